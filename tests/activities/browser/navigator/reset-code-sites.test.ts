import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAccount, hintsFor, limit, newContext, OLD_PASSWORD, resetWithNavigator, setUpNavigatorEnv, type NavigatorEnv } from './helpers.js';

// Sites that ask for codes (emailed, TOTP, texted), the CAPTCHA site, a wrong
// password at sign-in, and finding the reset page from the bare service URL.

const SITES = ['parcelpost', 'keystone', 'telewave', 'ticketly', 'papercrane', 'brightcart', 'nimbus', 'ledgerly'];
let env: NavigatorEnv;
// Flows run side by side (each in its own browser context, with its own account).
const slot = limit(3);

beforeAll(async () => {
  env = await setUpNavigatorEnv(SITES);
}, 30_000);
afterAll(async () => env?.close());

describe.concurrent('navigator: sites that ask for codes', { timeout: 90_000 }, () => {
  test('parcelpost (emailed 6-digit code in split one-digit boxes)', async () => {
    const run = await slot(() => resetWithNavigator(env, 'parcelpost'));
    expect(run.states).toEqual(['email_form', 'code_prompt:email', 'new_password_form', 'password_changed', 'signed_in']);
  });

  test('keystone (link used up on open, then TOTP; TOTP again at sign-in)', async () => {
    const run = await slot(() => resetWithNavigator(env, 'keystone'));
    expect(run.states).toEqual(['email_form', 'email_sent', 'code_prompt:totp', 'new_password_form', 'password_changed', 'code_prompt:totp', 'signed_in']);
  });

  test('telewave (texted code after the link)', async () => {
    const run = await slot(() => resetWithNavigator(env, 'telewave'));
    expect(run.states).toEqual(['email_form', 'email_sent', 'code_prompt:sms', 'new_password_form', 'password_changed', 'signed_in']);
  });
});

describe.concurrent('navigator: sites that resist', { timeout: 60_000 }, () => {
  test('ticketly: the reCAPTCHA on the forgot form is reported and nothing is sent', () => slot(async () => {
    const { email } = createAccount(env, 'ticketly');
    env.sandbox.clearRequestLog('ticketly');
    const context = await newContext(env.browser);
    try {
      const page = await context.newPage();
      expect(await env.navigator.openResetEntry(page, hintsFor(env, 'ticketly', 'catalog'))).toEqual({ kind: 'captcha', vendor: 'recaptcha' });
      expect(await env.navigator.submitEmail(page, email)).toEqual({ kind: 'captcha', vendor: 'recaptcha' });
      expect(env.sandbox.requestLog('ticketly').filter((r) => r.method === 'POST')).toEqual([]);
      expect(env.mail.count(email)).toBe(0);
      expect(env.sandbox.getUser('ticketly', email)?.passwordChanges).toBe(0);
    } finally {
      await context.close();
    }
  }));

  test('a wrong password at sign-in is error/wrong_password, in the site words, without the password', () => slot(async () => {
    const { email } = createAccount(env, 'papercrane');
    const context = await newContext(env.browser);
    try {
      const state = await env.navigator.signIn(await context.newPage(), {
        ...hintsFor(env, 'papercrane', 'catalog'),
        username: email,
        password: 'Not-the-right-one-42',
      });
      expect(state).toEqual({ kind: 'error', reason: 'wrong_password', message: 'These credentials do not match our records.' });
      // The right one signs in.
      const ok = await env.navigator.signIn(await context.newPage(), { ...hintsFor(env, 'papercrane', 'catalog'), username: email, password: OLD_PASSWORD });
      expect(ok.kind).toBe('signed_in');
    } finally {
      await context.close();
    }
  }));

  test('a wrong password on a two-step sign-in (username, continue, password)', () => slot(async () => {
    const { email } = createAccount(env, 'ledgerly');
    const context = await newContext(env.browser);
    try {
      const state = await env.navigator.signIn(await context.newPage(), { ...hintsFor(env, 'ledgerly', 'catalog'), username: email, password: 'Wrong-Passw0rd!' });
      expect(state).toMatchObject({ kind: 'error', reason: 'wrong_password' });
      expect(JSON.stringify(state)).not.toContain('Wrong-Passw0rd!');
    } finally {
      await context.close();
    }
  }));
});

describe.concurrent('navigator: finding the reset page from the service URL alone', { timeout: 60_000 }, () => {
  // No catalog reset or login URL: sign-in link → "Forgot password?" (or /.well-known/change-password).
  for (const slug of ['papercrane', 'nimbus', 'brightcart', 'parcelpost', 'keystone', 'ledgerly', 'ticketly']) {
    test(slug, () => slot(async () => {
      const context = await newContext(env.browser);
      try {
        const state = await env.navigator.openResetEntry(await context.newPage(), hintsFor(env, slug, 'service-url'));
        expect(state.kind).toBe(slug === 'ticketly' ? 'captcha' : 'email_form');
      } finally {
        await context.close();
      }
    }));
  }
});
