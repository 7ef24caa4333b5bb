// The navigator's settings and the small amount of state it keeps: bounded
// waits, a logger, and — per browser context — the values it typed, so no
// message it reports can repeat them.
import type { BrowserContext, Page } from 'playwright-core';
import { createLogger, type Logger } from '../../../lib/logger.js';

export interface NavigatorTimeouts {
  /** A page load (goto, a navigation after a click). */
  navigation: number;
  /** Waiting for a field or button to appear (SPAs render late). */
  element: number;
  /** One click or fill. */
  action: number;
  /** The longest wait for a page to settle after a submit (requests done, DOM quiet). */
  settle: number;
  /** How long a click may show no effect at all before another way of submitting is tried. */
  reaction: number;
  /** Cap on waiting for network idle after a load. */
  networkIdle: number;
  /** The /.well-known reliability probe. */
  probe: number;
}

export const DEFAULT_TIMEOUTS: NavigatorTimeouts = {
  navigation: 15_000,
  element: 5_000,
  action: 5_000,
  settle: 10_000,
  reaction: 4_000,
  networkIdle: 2_000,
  probe: 5_000,
};

export interface NavigatorOptions {
  logger?: Logger;
  timeouts?: Partial<NavigatorTimeouts>;
}

/** What every navigator function receives. */
export interface NavContext {
  log: Logger;
  timeouts: NavigatorTimeouts;
}

export function createNavContext(opts: NavigatorOptions = {}): NavContext {
  return {
    log: (opts.logger ?? createLogger({ level: 'silent' })).child({ component: 'navigator' }),
    timeouts: { ...DEFAULT_TIMEOUTS, ...opts.timeouts },
  };
}

// ---------------------------------------------------------------------------
// What we typed, per browser context (popups share it).
// ---------------------------------------------------------------------------

interface Typed {
  values: Set<string>;
  accountEmail?: string;
}
const typedByContext = new WeakMap<BrowserContext, Typed>();

function typedFor(page: Page): Typed {
  const context = page.context();
  let typed = typedByContext.get(context);
  if (!typed) typedByContext.set(context, (typed = { values: new Set() }));
  return typed;
}

export function rememberTyped(page: Page, value: string, opts: { accountEmail?: boolean } = {}): void {
  const typed = typedFor(page);
  if (value.trim().length >= 3) typed.values.add(value.trim());
  if (opts.accountEmail) typed.accountEmail = value.trim();
}

/** The account email typed earlier in this context, to complete a reset form that asks for it again. */
export function accountEmailFor(page: Page): string | undefined {
  return typedFor(page).accountEmail;
}

const EMAIL_ADDRESS = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+\.[a-z]{2,}/gi;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A site's own words made safe to report: nothing we typed, no email address, one line, ≤ `max` characters. */
export function redactFor(page: Page, text: string, max = 300, opts: { keepLines?: boolean } = {}): string {
  let out = text;
  const values = [...typedFor(page).values].sort((a, b) => b.length - a.length);
  for (const value of values) out = out.replace(new RegExp(escapeRegExp(value), 'gi'), '[…]');
  out = out.replace(EMAIL_ADDRESS, '[email]');
  out = (opts.keepLines ? out.replace(/[^\S\n]+/g, ' ').replace(/\s*\n\s*/g, '\n') : out.replace(/\s+/g, ' ')).trim();
  return out.length > max ? `${out.slice(0, max - 1).trimEnd()}…` : out;
}

/** Origin only: paths and queries of reset pages carry tokens. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'about:blank';
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves with `promise`, or rejects after `ms` (for calls that have no timeout of their own, like evaluate). */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** An error's first line with any URL cut to its origin (Playwright quotes URLs, and reset URLs carry tokens). */
export function safeError(err: unknown): string {
  const line = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
  return line.replace(/\bhttps?:\/\/[^\s"'<>]+/g, (url) => originOf(url)).slice(0, 200);
}
