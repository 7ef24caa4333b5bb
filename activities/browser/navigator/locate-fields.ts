// What each visible input is for — account email or username, new password,
// its confirmation, the current password, a one-time code (or one box of a
// split code) — read the way a person would: autocomplete tokens first, then
// type, name/id, label, placeholder, aria-label, in several languages.
import type { Frame, Locator, Page } from 'playwright-core';
import { markedLocator, scanPage, type FrameEntry } from './frames.js';
import { sleep, type NavContext } from './options.js';
import type { FrameScan, ScannedField } from './page-agent.js';
import {
  CODE_FIELD,
  CONFIRM_PASSWORD_FIELD,
  CURRENT_PASSWORD_FIELD,
  EMAIL_FIELD,
  NEW_PASSWORD_FIELD,
  NEWSLETTER_CONTEXT,
  NOT_ACCOUNT_FIELD,
  NOT_CODE_FIELD,
  RESET_CONTEXT,
  SIGN_IN_CONTEXT,
  USERNAME_FIELD,
} from './vocabulary.js';

export type FieldKind =
  | 'email'
  | 'username'
  | 'new_password'
  | 'confirm_password'
  | 'current_password'
  | 'password'
  | 'code'
  | 'code_digit'
  | 'other';

/** name="new_password" / id="confirmPassword2" → "new password" / "confirm password 2". */
function words(s: string): string {
  return s
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .replace(/[_\-[\].:]+/g, ' ')
    .toLowerCase();
}

/** Everything the field says about itself. */
export function describeField(f: ScannedField): string {
  return [f.label, f.ariaLabel, f.placeholder, words(f.name), words(f.elementId), f.title].filter(Boolean).join(' | ');
}

export function fieldKind(f: ScannedField): FieldKind {
  if (f.disabled) return 'other';
  const d = describeField(f);
  const ac = f.autocomplete;
  if (f.type === 'password' || /(?:^|\s)(?:new|current)-password(?:\s|$)/.test(ac)) {
    if (/new-password/.test(ac)) return CONFIRM_PASSWORD_FIELD.test(d) ? 'confirm_password' : 'new_password';
    if (/current-password/.test(ac)) return 'current_password';
    if (CONFIRM_PASSWORD_FIELD.test(d)) return 'confirm_password';
    if (CURRENT_PASSWORD_FIELD.test(d)) return 'current_password';
    if (NEW_PASSWORD_FIELD.test(d)) return 'new_password';
    return 'password';
  }
  if (/one-time-code/.test(ac)) return f.digitGroup ? 'code_digit' : 'code';
  if (f.digitGroup) return 'code_digit';
  if (!NOT_CODE_FIELD.test(d)) {
    if (CODE_FIELD.test(d) && !EMAIL_FIELD.test(d) && f.type !== 'email') return 'code';
    const numeric = f.inputMode === 'numeric' || f.type === 'number' || /\[0-9\]|\\d/.test(f.pattern);
    const codeLength = f.maxLength !== null && f.maxLength >= 4 && f.maxLength <= 8;
    if (numeric && codeLength && !/phone|tel\b|mobile/i.test(d)) return 'code';
  }
  if (NOT_ACCOUNT_FIELD.test(d)) return 'other';
  if (f.type === 'email' || /(?:^|\s)email(?:\s|$)/.test(ac)) return 'email';
  if (/(?:^|\s)username(?:\s|$)/.test(ac)) return EMAIL_FIELD.test(d) || f.inputMode === 'email' ? 'email' : 'username';
  if (f.type === 'password') return 'password';
  if (EMAIL_FIELD.test(d) || f.inputMode === 'email') return 'email';
  if (USERNAME_FIELD.test(d) && ['text', '', 'tel'].includes(f.type)) return 'username';
  return 'other';
}

export const isAccountField = (k: FieldKind) => k === 'email' || k === 'username';
export const isNewPassword = (k: FieldKind) => k === 'new_password' || k === 'confirm_password';
export const isLoginPassword = (k: FieldKind) => k === 'password' || k === 'current_password';
export const isCode = (k: FieldKind) => k === 'code' || k === 'code_digit';

export interface ClassifiedField {
  frameIndex: number;
  field: ScannedField;
  kind: FieldKind;
}

export function classifyFields(frames: FrameScan[]): ClassifiedField[] {
  const out: ClassifiedField[] = [];
  frames.forEach((scan, frameIndex) => {
    for (const field of scan.fields) out.push({ frameIndex, field, kind: fieldKind(field) });
  });
  return out;
}

/** Two fields belong together: same <form>, or both form-less in the same frame. */
export function sameForm(a: ClassifiedField, b: ClassifiedField): boolean {
  return a.frameIndex === b.frameIndex && a.field.formId === b.field.formId;
}

/** Headings and title of the field's frame plus its own container text: what the form is about. */
export function fieldTopic(cf: ClassifiedField, frames: FrameScan[]): string {
  const scan = frames[cf.frameIndex];
  return [cf.field.context, ...(scan?.headings ?? []).slice(0, 3), scan?.title ?? ''].join(' \n ');
}

/** An account-email field of a reset form: no password beside it, and the form reads like recovery rather than sign-in. */
export function isResetEmailField(cf: ClassifiedField, all: ClassifiedField[], frames: FrameScan[]): boolean {
  if (!isAccountField(cf.kind)) return false;
  if (all.some((o) => o !== cf && (isLoginPassword(o.kind) || isNewPassword(o.kind)) && sameForm(o, cf))) return false;
  const own = cf.field.context;
  if (RESET_CONTEXT.test(own)) return true;
  if (SIGN_IN_CONTEXT.test(own) || NEWSLETTER_CONTEXT.test(own)) return false;
  const topic = fieldTopic(cf, frames);
  if (RESET_CONTEXT.test(topic)) return true;
  if (SIGN_IN_CONTEXT.test(topic) || NEWSLETTER_CONTEXT.test(topic)) return false;
  // A lone email field on a page that says nothing either way: a reset form is the likelier reading.
  return cf.kind === 'email';
}

// ---------------------------------------------------------------------------
// Locating fields to act on
// ---------------------------------------------------------------------------

export interface FieldTarget {
  frame: Frame;
  field: ScannedField;
  kind: FieldKind;
  locator: Locator;
}

export function toTarget(entries: FrameEntry[], cf: ClassifiedField): FieldTarget {
  const entry = entries[cf.frameIndex] as FrameEntry;
  return { frame: entry.frame, field: cf.field, kind: cf.kind, locator: markedLocator(entry.frame, cf.field.id) };
}

/**
 * Scans the page (all frames) until `pick` finds what it wants or `timeoutMs`
 * passes; returns the last scan either way.
 */
export async function waitForFields<T>(
  page: Page,
  ctx: NavContext,
  pick: (fields: ClassifiedField[], entries: FrameEntry[]) => T | null,
  timeoutMs = ctx.timeouts.element,
): Promise<{ found: T | null; entries: FrameEntry[] }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const entries = await scanPage(page);
    const fields = classifyFields(entries.map((e) => e.scan));
    const found = pick(fields, entries);
    if (found || Date.now() >= deadline || page.isClosed()) return { found, entries };
    await sleep(250);
  }
}

/** The boxes of a split code, in order, or the single best code field. */
export function pickCodeFields(fields: ClassifiedField[]): ClassifiedField[] | null {
  const digits = fields.filter((f) => f.kind === 'code_digit' && !f.field.readOnly);
  if (digits.length >= 4) {
    const group = digits[0]?.field.digitGroup;
    return digits.filter((d) => d.field.digitGroup === group && d.frameIndex === digits[0]?.frameIndex);
  }
  const single = fields.filter((f) => f.kind === 'code' && !f.field.readOnly);
  const best = single.find((f) => /one-time-code/.test(f.field.autocomplete)) ?? single[0];
  return best ? [best] : null;
}

/** New-password fields of one form (new first, then confirmations), or null. */
export function pickNewPasswordFields(fields: ClassifiedField[]): ClassifiedField[] | null {
  const primary = fields.find((f) => f.kind === 'new_password') ?? fields.find((f) => f.kind === 'confirm_password');
  if (!primary) return null;
  const group = fields.filter((f) => sameForm(f, primary) && (isNewPassword(f.kind) || f.kind === 'password'));
  return group.sort((a, b) => Number(a.kind === 'confirm_password') - Number(b.kind === 'confirm_password'));
}

/** Sign-in fields: the password (current/unknown kind) and the account field of its form, or an account field alone (first step of a two-step sign-in). */
export function pickLoginFields(fields: ClassifiedField[]): { username?: ClassifiedField; password?: ClassifiedField } | null {
  const password = fields.find((f) => f.kind === 'current_password') ?? fields.find((f) => f.kind === 'password');
  if (password) {
    const username = fields.find((f) => isAccountField(f.kind) && sameForm(f, password) && !f.field.readOnly);
    return { password, ...(username ? { username } : {}) };
  }
  const accounts = fields.filter((f) => isAccountField(f.kind) && !f.field.readOnly);
  const username = accounts.find((f) => /username/.test(f.field.autocomplete)) ?? accounts[0];
  return username ? { username } : null;
}
