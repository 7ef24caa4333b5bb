// One sandbox, one browser and one mail recorder per test file, and the whole
// reset driven by the generic navigator alone: nothing here knows any site.
// Links and codes come out of the recorded emails the way production finds
// them (`extractReset`); texted codes and TOTP codes as a person would have them.
import { Secret, TOTP } from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { choosePasswordForPage } from '../../../../activities/browser/choose-password.js';
import { createNavigator } from '../../../../activities/browser/navigator/index.js';
import type { Navigator, PageState, ResetEntryHints } from '../../../../activities/browser/navigator/navigator.js';
import { extractReset } from '../../../../activities/mail/extract-reset.js';
import { startSandbox, type Sandbox } from '../../../../sandbox/sites/index.js';
import { launchBrowser } from '../../../support/chromium.js';
import { createMailRecorder, type MailRecorder } from '../../../support/mail-recorder.js';

export { launchBrowser };

/** A context whose Playwright calls fail instead of hanging (the navigator bounds its own waits too). */
export async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  return context;
}

export interface NavigatorEnv {
  sandbox: Sandbox;
  browser: Browser;
  navigator: Navigator;
  mail: MailRecorder;
  close(): Promise<void>;
}

export async function setUpNavigatorEnv(sites?: string[]): Promise<NavigatorEnv> {
  const mail = createMailRecorder();
  const sandbox = await startSandbox({ deliver: mail.deliver, ...(sites ? { sites } : {}) });
  const browser = await launchBrowser();
  return {
    sandbox,
    browser,
    mail,
    navigator: createNavigator({ timeouts: { navigation: 15_000 } }),
    async close() {
      await browser.close();
      await sandbox.stop();
    },
  };
}

export const OLD_PASSWORD = 'Old-Passw0rd-2024';
const TOTP_SECRET = new Secret({ size: 20 }).base32;
let userSeq = 0;

/** Every account gets a phone and a TOTP secret: sites that use them will ask, the others ignore them. */
export function createAccount(env: NavigatorEnv, slug: string): { email: string; totpSecret: string } {
  const email = `reset-${slug}-${++userSeq}@example.com`;
  env.sandbox.createUser(slug, { email, password: OLD_PASSWORD, totpSecret: TOTP_SECRET, phone: '+15555550142' });
  return { email, totpSecret: TOTP_SECRET };
}

export function hintsFor(env: NavigatorEnv, slug: string, from: 'catalog' | 'service-url'): ResetEntryHints {
  const site = env.sandbox.site(slug);
  if (from === 'service-url') return { serviceUrl: site.homeUrl };
  return { serviceUrl: site.homeUrl, ...(site.resetUrl ? { resetUrl: site.resetUrl } : {}), loginUrl: site.loginUrl };
}

/** A code the way the person (or the vault) would have it. */
async function codeFor(env: NavigatorEnv, slug: string, email: string, state: Extract<PageState, { kind: 'code_prompt' }>, mailsBefore: number): Promise<string> {
  if (state.source === 'totp') return new TOTP({ secret: Secret.fromBase32(TOTP_SECRET) }).generate();
  if (state.source === 'sms') {
    const code = env.sandbox.lastSmsCode(slug, email);
    if (!code) throw new Error('no texted code');
    return code;
  }
  const message = await env.mail.waitFor(email, mailsBefore + 1);
  const code = extractReset(message.parsed).codes[0];
  if (!code) throw new Error('no code in the email');
  return code;
}

export interface ResetRun {
  states: string[];
  password: string;
  entry: PageState;
  changed: PageState;
  signIn: PageState;
}

/**
 * The whole reset with the navigator only: entry → email → link or code →
 * whatever codes the site asks for → hints → new password (another one only
 * after a clear policy refusal, as the activity does) → sign-in with it.
 */
export async function resetWithNavigator(env: NavigatorEnv, slug: string, from: 'catalog' | 'service-url' = 'catalog'): Promise<ResetRun> {
  const { navigator, mail } = env;
  const { email } = createAccount(env, slug);
  const hints = hintsFor(env, slug, from);
  const states: string[] = [];
  const note = (s: PageState) => {
    states.push(s.kind === 'code_prompt' ? `code_prompt:${s.source}` : s.kind === 'error' ? `error:${s.reason}` : s.kind);
    return s;
  };
  const context = await newContext(env.browser);
  try {
    let page: Page = await context.newPage();
    const current = () => context.pages().at(-1) ?? page;
    const entry = note(await navigator.openResetEntry(page, hints));
    expect(entry.kind, states.join(' → ')).toBe('email_form');
    page = current();

    const mailsBefore = mail.count(email);
    let state = note(await navigator.submitEmail(page, email));
    page = current();
    if (state.kind === 'code_prompt') {
      state = note(await navigator.enterCode(page, await codeFor(env, slug, email, state, mailsBefore)));
    } else {
      expect(state.kind, states.join(' → ')).toBe('email_sent');
      const message = await mail.waitFor(email, mailsBefore + 1);
      const link = extractReset(message.parsed).links[0]?.url;
      expect(link, 'reset link in the email').toBeTruthy();
      await page.goto(link as string, { waitUntil: 'domcontentloaded' });
      state = note(await navigator.detectPageState(page));
    }
    for (let i = 0; i < 3 && state.kind === 'code_prompt'; i++) {
      page = current();
      state = note(await navigator.enterCode(page, await codeFor(env, slug, email, state, mail.count(email) - 1)));
    }
    expect(state.kind, states.join(' → ')).toBe('new_password_form');

    const refusals: { errorText: string; password: string }[] = [];
    let password = '';
    for (let attempt = 1; attempt <= 4; attempt++) {
      page = current();
      const pageHints = await navigator.readPasswordHints(page);
      password = choosePasswordForPage({ hints: pageHints, refusals });
      state = note(await navigator.submitNewPassword(page, password));
      if (state.kind !== 'error' || state.reason !== 'password_policy') break;
      expect(state.message).not.toContain(password);
      refusals.push({ errorText: state.message, password });
      expect((await navigator.detectPageState(current())).kind).toBe('new_password_form');
    }
    const changed = state;
    expect(changed.kind, states.join(' → ')).toBe('password_changed');
    expect(env.sandbox.getUser(slug, email)?.passwordChanges, 'password changes counted by the site').toBe(1);
    expect(env.sandbox.checkPassword(slug, email, password)).toBe(true);
    expect(env.sandbox.checkPassword(slug, email, OLD_PASSWORD)).toBe(false);

    // Sign in with the new password, in a clean context as verifyLogin does.
    const verify = await newContext(env.browser);
    try {
      let signIn = note(await navigator.signIn(await verify.newPage(), { serviceUrl: hints.serviceUrl, ...(hints.loginUrl ? { loginUrl: hints.loginUrl } : {}), username: email, password }));
      if (signIn.kind === 'code_prompt') {
        // 2FA after the password: the password was accepted; finish as the person would.
        const verifyPage = verify.pages().at(-1) as Page;
        signIn = note(await navigator.enterCode(verifyPage, await codeFor(env, slug, email, signIn, mail.count(email))));
      }
      expect(signIn.kind, states.join(' → ')).toBe('signed_in');
      return { states, password, entry, changed, signIn };
    } finally {
      await verify.close();
    }
  } finally {
    await context.close();
  }
}

/** At most `n` flows at once: the flows mostly wait (page loads, settling), so a few side by side save time without starving 2 cores. */
export function limit(n: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}
