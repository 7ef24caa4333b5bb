// What the page shows now, from what every visible frame shows. Fresh
// detection goes in a fixed priority order (CAPTCHA first: never guess past
// one). After our own submit, a new error message outranks the form it sits
// on: a new-password form that comes back with "must contain a digit" is a
// rejection, not an invitation.
import type { Page } from 'playwright-core';
import { findCaptcha } from './captcha.js';
import { classifyError, type ErrorTopic } from './classify-error.js';
import { scanPage } from './frames.js';
import {
  classifyFields,
  fieldTopic,
  isAccountField,
  isCode,
  isLoginPassword,
  isNewPassword,
  isResetEmailField,
  type ClassifiedField,
} from './locate-fields.js';
import type { CodeSource, PageState } from './navigator.js';
import { redactFor, sleep, type NavContext } from './options.js';
import type { FrameScan } from './page-agent.js';
import { settle } from './settle.js';
import {
  ACCOUNT_ACTION,
  CODE_FROM_EMAIL,
  CODE_FROM_SMS,
  CODE_FROM_TOTP,
  EMAIL_SENT,
  PASSWORD_CHANGED,
  SIGN_IN_ACTION,
  SIGN_IN_CONTEXT,
  SIGNED_IN_TEXT,
  SIGN_OUT_ACTION,
} from './vocabulary.js';

/** The page before our submit: its error messages and document identities. */
export interface BeforeSubmit {
  errors: Set<string>;
  docs: Set<string>;
}

export interface ClassifyOptions {
  /** Set after our own submit: errors that are new since then win over forms. */
  before?: BeforeSubmit;
  /** The step we submitted; otherwise inferred from the fields on the page. */
  topic?: ErrorTopic;
  /** Makes the site's words safe to report (removes what we typed). */
  redact?: (text: string) => string;
}

export function beforeSubmit(frames: FrameScan[]): BeforeSubmit {
  return { errors: new Set(frames.flatMap((f) => f.errors)), docs: new Set(frames.map((f) => f.doc)) };
}

/** Error messages that are really confirmations ("we sent you a link" in a role=alert box). */
function realErrors(frames: FrameScan[]): { text: string; doc: string }[] {
  const out: { text: string; doc: string }[] = [];
  for (const scan of frames) {
    for (const text of scan.errors) {
      if (!text.trim() || PASSWORD_CHANGED.test(text) || EMAIL_SENT.test(text)) continue;
      out.push({ text, doc: scan.doc });
    }
  }
  return out;
}

function codeSource(codeFields: ClassifiedField[], frames: FrameScan[]): CodeSource {
  const text = codeFields.map((f) => `${fieldTopic(f, frames)} ${f.field.label}`).join(' \n ');
  if (CODE_FROM_TOTP.test(text)) return 'totp';
  if (CODE_FROM_SMS.test(text)) return 'sms';
  if (CODE_FROM_EMAIL.test(text)) return 'email';
  return 'unknown';
}

function topicFromFields(fields: ClassifiedField[]): ErrorTopic | undefined {
  if (fields.some((f) => isCode(f.kind))) return 'code';
  if (fields.some((f) => isNewPassword(f.kind))) return 'new_password';
  if (fields.some((f) => isLoginPassword(f.kind))) return 'login';
  if (fields.some((f) => isAccountField(f.kind))) return 'email';
  return undefined;
}

function joinErrors(errors: { text: string }[]): string {
  return Array.from(new Set(errors.map((e) => e.text))).join(' ');
}

/** Pure: the state of a page from its frames' scans (main frame first). */
export function classifyPage(frames: FrameScan[], opts: ClassifyOptions = {}): PageState {
  const redact = opts.redact ?? ((s: string) => s.replace(/\s+/g, ' ').trim().slice(0, 300));
  const captcha = findCaptcha(frames);
  if (captcha) return { kind: 'captcha', vendor: captcha };

  const fields = classifyFields(frames);
  const topic = opts.topic ?? topicFromFields(fields);
  const errors = realErrors(frames);
  const text = frames.map((f) => f.text).join('\n');
  const success = PASSWORD_CHANGED.test(text);

  if (opts.before) {
    const { before } = opts;
    const fresh = errors.filter((e) => !before.docs.has(e.doc) || !before.errors.has(e.text));
    if (fresh.length) {
      const message = joinErrors(fresh);
      const reason = classifyError(message, topic);
      if (reason !== 'unknown' || !success) return { kind: 'error', reason, message: redact(message) };
    }
  }

  const expired = errors.filter((e) => classifyError(e.text) === 'link_expired');
  if (expired.length && !success) return { kind: 'error', reason: 'link_expired', message: redact(joinErrors(expired)) };

  const codes = fields.filter((f) => isCode(f.kind) && !f.field.readOnly);
  if (codes.length) return { kind: 'code_prompt', source: codeSource(codes, frames) };

  if (fields.some((f) => isNewPassword(f.kind))) return { kind: 'new_password_form' };

  if (success) return { kind: 'password_changed' };
  if (EMAIL_SENT.test(text)) return { kind: 'email_sent' };

  if (fields.some((f) => isResetEmailField(f, fields, frames))) return { kind: 'email_form' };

  const actions = frames.flatMap((f) => f.actions);
  const passwordShown = fields.some((f) => isLoginPassword(f.kind));
  if (!passwordShown) {
    const signOut = actions.some((a) => SIGN_OUT_ACTION.test(a.name));
    const signInOffered = actions.some((a) => SIGN_IN_ACTION.test(a.name));
    const accountLink = actions.some((a) => a.kind === 'link' && ACCOUNT_ACTION.test(a.name));
    if (signOut || SIGNED_IN_TEXT.test(text) || (accountLink && !signInOffered && !fields.some((f) => isAccountField(f.kind)))) {
      return { kind: 'signed_in' };
    }
  }

  if (passwordShown) return { kind: 'login_form' };
  const accountFields = fields.filter((f) => isAccountField(f.kind));
  if (accountFields.some((f) => SIGN_IN_CONTEXT.test(fieldTopic(f, frames)))) return { kind: 'login_form' };

  if (errors.length) {
    const message = joinErrors(errors);
    return { kind: 'error', reason: classifyError(message, topic), message: redact(message) };
  }
  return { kind: 'unknown' };
}

export interface DetectOptions extends Omit<ClassifyOptions, 'redact'> {
  /** The caller just waited for the page to settle. */
  settled?: boolean;
  /** Look again while the page is unrecognisable, up to the element timeout (default true: SPAs render after their fetches). */
  patient?: boolean;
}

/** What the page shows, once it has settled. */
export async function detectPageState(page: Page, ctx: NavContext, opts: DetectOptions = {}): Promise<PageState> {
  const { settled, patient = true, ...classify } = opts;
  if (!settled) await settle(page, ctx);
  const deadline = Date.now() + (patient ? ctx.timeouts.element : 0);
  for (;;) {
    const entries = await scanPage(page);
    const state = classifyPage(
      entries.map((e) => e.scan),
      { ...classify, redact: (s) => redactFor(page, s) },
    );
    if (state.kind !== 'unknown' || Date.now() >= deadline || page.isClosed()) {
      ctx.log.debug({ state: state.kind, frames: entries.length }, 'page state');
      return state;
    }
    await sleep(300);
  }
}
