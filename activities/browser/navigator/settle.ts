// Waiting for a page to be done: after a load (network idle, capped), after a
// click on a server-rendered form (a navigation), or on a single-page app
// that only fetches and re-renders. Every wait here is bounded.
import type { Page, Request } from 'playwright-core';
import { runAgent } from './frames.js';
import { sleep, type NavContext } from './options.js';
import type { Fingerprint } from './page-agent.js';

const POLL_MS = 150;
const QUIET_MS = 300;

/** A cheap summary of all frames: document identity, URL, visible text, visible fields. Null while the main frame navigates. */
export async function fingerprint(page: Page): Promise<Fingerprint | null> {
  if (page.isClosed()) return null;
  const frames = page.frames().filter((f) => !f.isDetached());
  const prints = await Promise.all(frames.map((f) => runAgent<Fingerprint>(f, { cmd: 'fingerprint' })));
  if (!prints[0]) return null;
  return { key: prints.map((p) => p?.key ?? '-').join('#'), busy: prints.some((p) => p?.busy) };
}

/** Requests (documents, fetch, XHR) a page starts from now on, and main-frame navigations. */
export interface ActivityMonitor {
  started(): number;
  /** Requests that carry something to the server: document loads and non-GET fetches. */
  submissions(): number;
  inflight(): number;
  navigations(): number;
  stop(): void;
}

export function watchActivity(page: Page): ActivityMonitor {
  const pending = new Set<Request>();
  let started = 0;
  let submissions = 0;
  let navigations = 0;
  const interesting = (r: Request) => ['document', 'fetch', 'xhr'].includes(r.resourceType());
  const onRequest = (r: Request) => {
    if (!interesting(r)) return;
    started++;
    if (r.resourceType() === 'document' || r.method() !== 'GET') submissions++;
    pending.add(r);
  };
  const onDone = (r: Request) => pending.delete(r);
  const onNavigated = (frame: { parentFrame(): unknown }) => {
    if (!frame.parentFrame()) navigations++;
  };
  page.on('request', onRequest);
  page.on('requestfinished', onDone);
  page.on('requestfailed', onDone);
  page.on('framenavigated', onNavigated);
  return {
    started: () => started,
    submissions: () => submissions,
    inflight: () => pending.size,
    navigations: () => navigations,
    stop() {
      page.off('request', onRequest);
      page.off('requestfinished', onDone);
      page.off('requestfailed', onDone);
      page.off('framenavigated', onNavigated);
    },
  };
}

/**
 * Waits until the page is quiet: loaded, network idle (capped), the requests
 * `monitor` saw finished, no spinner, and the same fingerprint for a moment.
 * Returns when quiet or when `maxMs` is spent, whichever is first.
 */
export async function settle(page: Page, ctx: NavContext, opts: { maxMs?: number; monitor?: ActivityMonitor } = {}): Promise<void> {
  const maxMs = opts.maxMs ?? ctx.timeouts.settle;
  const start = Date.now();
  const left = () => Math.max(1, start + maxMs - Date.now());
  if (page.isClosed()) return;
  await page.waitForLoadState('domcontentloaded', { timeout: left() }).catch(() => undefined);
  // Network idle (capped) and a quiet DOM are waited for side by side.
  let idle = false;
  void page
    .waitForLoadState('networkidle', { timeout: Math.min(left(), ctx.timeouts.networkIdle) })
    .catch(() => undefined)
    .finally(() => {
      idle = true;
    });
  // A spinner that never stops (decorative loaders exist) stops counting halfway through.
  const busyUntil = start + maxMs / 2;
  let last = '';
  let since = Date.now();
  while (Date.now() - start < maxMs && !page.isClosed()) {
    const fp = await fingerprint(page);
    const requestsDone = !opts.monitor || opts.monitor.inflight() === 0;
    const key = fp ? `${fp.key}|${requestsDone}` : '';
    if (fp && key === last) {
      if (idle && Date.now() - since >= QUIET_MS && requestsDone && (!fp.busy || Date.now() > busyUntil)) return;
    } else {
      last = key;
      since = Date.now();
    }
    await sleep(POLL_MS);
  }
}

/**
 * After a click or Enter: did anything happen? True as soon as the page starts
 * a request or navigation, or its fingerprint differs from `before`; false
 * when `withinMs` pass without a sign of life.
 */
export async function waitForReaction(page: Page, before: string, monitor: ActivityMonitor, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (page.isClosed()) return true;
    if (monitor.started() > 0 || monitor.navigations() > 0) return true;
    const fp = await fingerprint(page);
    if (!fp || fp.key !== before) return true;
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
}
