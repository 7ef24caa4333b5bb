// The account pages in real Chromium against the real API, with account
// emails in the development outbox (no mail server anywhere):
//  - "Forgot password?" → the email in the outbox → its link → a new password
//    → sign in with it; the link's token never travels in a URL and leaves the
//    address bar;
//  - the unconfirmed-email banner → "Email me a new link" → the outbox → the link →
//    confirmed, the banner gone; its rate limit in words;
//  - each answer a link can get (expired 410, used 409, unknown 404, none) and
//    mismatched passwords, each in its own sentence;
//  - a server without email says so on the forgot-password page;
// each new page checked with axe-core and photographed.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueAccountToken, markAccountTokenUsed, type AccountTokenKind } from '../../lib/accounts/account-tokens.js';
import { PASSWORD_RESET_TTL_MS, VERIFY_EMAIL_TTL_MS } from '../../lib/accounts/policy.js';
import { hashToken } from '../../lib/crypto.js';
import { freePort } from '../../lib/free-port.js';
import { testConfig } from '../support/test-config.js';
import { createTestDb, type TestDb } from '../support/test-db.js';
import { expectAccessible, expectNoHorizontalScroll, launchBrowser, newContext, screenshot, serveApp, type ServedApp } from './browser-support.js';

const POLL = { timeout: 30_000, interval: 250 };

describe('account pages', () => {
  let testDb: TestDb;
  let served: ServedApp;
  let browser: Browser;

  beforeAll(async () => {
    testDb = await createTestDb('sqlite');
    const port = await freePort();
    const config = testConfig({
      DATABASE_URL: testDb.url,
      APP_ORIGIN: `http://127.0.0.1:${port}`,
      REKEY_DEV_OUTBOX: 'on',
      REKEY_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'rekey-account-pages-')),
      TEMPORAL_TASK_QUEUE: `account-pages-${randomBytes(4).toString('hex')}`,
    });
    [served, browser] = await Promise.all([serveApp({ config, db: testDb.db, port }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await testDb?.drop();
  });

  const url = (p: string) => `${served.origin}${p}`;
  const newEmail = () => `acct-${randomBytes(4).toString('hex')}@example.com`;
  const newPassword = () => `Acct-${randomBytes(6).toString('hex')}`;

  async function signUpByApi(email: string, password: string): Promise<string> {
    const res = await fetch(url('/api/auth/signup'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    expect(res.status).toBe(201);
    return ((await res.json()) as { user: { id: string } }).user.id;
  }

  async function token(userId: string, kind: AccountTokenKind, state: 'fresh' | 'expired' | 'used'): Promise<string> {
    const ttlMs = kind === 'password_reset' ? PASSWORD_RESET_TTL_MS : VERIFY_EMAIL_TTL_MS;
    const now = state === 'expired' ? new Date(Date.now() - 2 * ttlMs) : new Date();
    const value = await issueAccountToken(testDb.db, { userId, kind, ttlMs, now });
    if (state === 'used') {
      const row = await testDb.db.accountToken.findUniqueOrThrow({ where: { tokenHash: hashToken(value) } });
      await markAccountTokenUsed(testDb.db, { id: row.id, now });
    }
    return value;
  }

  /** The outbox page, reloaded ("Check again") until an email with this subject to this address is listed; returns it. */
  async function openOutboxEmail(page: Page, to: string, subject: string) {
    await page.getByRole('heading', { name: 'Outbox (development)', level: 1 }).waitFor();
    const email = page.getByRole('article').filter({ has: page.getByRole('heading', { name: subject }) }).filter({ hasText: to });
    await expect
      .poll(async () => {
        if ((await email.count()) > 0) return true;
        await page.getByRole('button', { name: 'Check again' }).click();
        return false;
      }, POLL)
      .toBe(true);
    return email.first();
  }

  it('forgot password → the email in the dev outbox → its link → a new password → sign in with it', async () => {
    const email = newEmail();
    const password = newPassword();
    await signUpByApi(email, password);
    const context = await newContext(browser);
    const page = await context.newPage();
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));

    await page.goto(url('/signin'));
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    await expectAccessible(page, 'forgot password');
    await screenshot(page, 'account-01-forgot-password');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Email me a link' }).click();
    await page.getByRole('status').filter({ hasText: `If an account uses ${email}, an email with a link` }).waitFor();
    await page.getByRole('link', { name: 'Outbox (development)' }).waitFor();
    await expectAccessible(page, 'forgot password: sent');
    await screenshot(page, 'account-02-forgot-password-sent');

    // Signed out, as someone who forgot their password is.
    await page.getByRole('link', { name: 'Outbox (development)' }).click();
    const mail = await openOutboxEmail(page, email, 'Reset your Rekey password');
    await expectAccessible(page, 'dev outbox');
    await screenshot(page, 'account-03-dev-outbox');
    // Long links wrap on a phone.
    await page.setViewportSize({ width: 360, height: 740 });
    await expectNoHorizontalScroll(page);
    await page.setViewportSize({ width: 1280, height: 900 });
    const link = mail.getByRole('link', { name: /\/reset-password#token=/ });
    const href = (await link.getAttribute('href'))!;
    expect(href.startsWith(url('/reset-password#token='))).toBe(true);
    const linkToken = decodeURIComponent(href.split('#token=')[1]!);
    await link.click();

    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    // The token leaves the address bar at once, and no URL the page asked for carried it.
    await expect.poll(() => page.url(), POLL).toBe(url('/reset-password'));
    expect(requested.filter((u) => u.includes(linkToken) || u.includes(encodeURIComponent(linkToken)))).toEqual([]);
    await expectAccessible(page, 'reset password');
    const chosen = newPassword();
    await page.getByLabel('New password', { exact: true }).fill(chosen);
    await page.getByLabel('Repeat the new password').fill(chosen);
    await screenshot(page, 'account-04-reset-password');
    const posted = page.waitForRequest((r) => r.url() === url('/api/account/reset-password') && r.method() === 'POST');
    await page.getByRole('button', { name: 'Set new password' }).click();
    expect((await posted).postDataJSON()).toEqual({ token: linkToken, password: chosen });

    await page.waitForURL(/\/signin\?password=reset$/);
    await page.getByRole('status').filter({ hasText: 'Your password is changed' }).waitFor();
    await screenshot(page, 'account-05-sign-in-after-reset');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();
    await page.getByLabel('Password', { exact: true }).fill(chosen);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/chat$/);
    // The reset link proved the address: no banner.
    expect(await page.getByRole('button', { name: 'Email me a new link' }).count()).toBe(0);
    expect(requested.filter((u) => u.includes(linkToken))).toEqual([]);
    expect(context.problems).toEqual([]);
    await context.close();
  });

  it('a reset link that expired, was used, is unknown or missing, and mismatched passwords: each its own sentence and next step', async () => {
    const email = newEmail();
    const userId = await signUpByApi(email, newPassword());
    const context = await newContext(browser);
    const page = await context.newPage();

    async function submitWith(t: string | null, first: string, second = first) {
      await page.goto(url(t ? `/reset-password#token=${encodeURIComponent(t)}` : '/reset-password'));
      await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
      await page.getByLabel('New password', { exact: true }).fill(first);
      await page.getByLabel('Repeat the new password').fill(second);
      await page.getByRole('button', { name: 'Set new password' }).click();
    }
    const nextStepLink = () => page.getByRole('link', { name: 'request a new link', exact: true });

    // Mismatched: said before anything is sent; the link stays usable.
    const fresh = await token(userId, 'password_reset', 'fresh');
    await submitWith(fresh, 'first-passphrase-1', 'second-passphrase-2');
    await page.getByRole('alert').filter({ hasText: 'The two passwords are not the same.' }).waitFor();
    expect(await page.getByLabel('Repeat the new password').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'reset password: mismatch');
    await screenshot(page, 'account-06-reset-password-mismatch');
    expect((await testDb.db.accountToken.findUniqueOrThrow({ where: { tokenHash: hashToken(fresh) } })).usedAt).toBeNull();

    // The server's password rule, by the field.
    await submitWith(fresh, email, email);
    await page.getByRole('alert').filter({ hasText: 'The new password must not be your email address.' }).waitFor();

    await submitWith(await token(userId, 'password_reset', 'expired'), 'a-good-passphrase-1');
    await page.getByRole('alert').filter({ hasText: 'This link has expired' }).waitFor();
    expect(await nextStepLink().getAttribute('href')).toBe('/forgot-password');
    await expectAccessible(page, 'reset password: expired');
    await screenshot(page, 'account-07-reset-password-expired');

    await submitWith(await token(userId, 'password_reset', 'used'), 'a-good-passphrase-1');
    await page.getByRole('alert').filter({ hasText: 'This link was already used.' }).waitFor();
    await page.getByRole('link', { name: 'sign in', exact: true }).waitFor();
    expect(await nextStepLink().getAttribute('href')).toBe('/forgot-password');

    await submitWith(randomBytes(32).toString('base64url'), 'a-good-passphrase-1');
    await page.getByRole('alert').filter({ hasText: 'This link is not valid.' }).waitFor();
    expect(await nextStepLink().getAttribute('href')).toBe('/forgot-password');

    await page.goto(url('/reset-password'));
    await page.getByRole('alert').filter({ hasText: 'This page needs the link from your password-reset email.' }).waitFor();
    await nextStepLink().click();
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();

    // None of the failures used the fresh link up.
    expect((await testDb.db.accountToken.findUniqueOrThrow({ where: { tokenHash: hashToken(fresh) } })).usedAt).toBeNull();
    expect(context.problems).toEqual([]);
    await context.close();
  });

  it('the unconfirmed-email banner: a new link → the outbox → the link → confirmed, the banner gone; then its rate limit in words', async () => {
    const email = newEmail();
    const password = newPassword();
    const context = await newContext(browser);
    const page = await context.newPage();

    await page.goto(url('/signup'));
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/chat$/);
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    const banner = page.getByRole('region', { name: 'Your email address is not confirmed yet.' });
    await banner.getByText(email).waitFor();
    await expectAccessible(page, 'settings with the banner');

    await banner.getByRole('button', { name: 'Email me a new link' }).click();
    await banner.getByText(`A new link is on its way to ${email}.`).waitFor();
    await banner.getByRole('link', { name: 'Outbox (development)' }).waitFor();
    await screenshot(page, 'account-08-verify-banner-sent');
    await page.setViewportSize({ width: 360, height: 740 });
    await expectNoHorizontalScroll(page);
    await expectAccessible(page, 'the banner on a phone');
    await page.setViewportSize({ width: 1280, height: 900 });

    await banner.getByRole('link', { name: 'Outbox (development)' }).click();
    const newest = await openOutboxEmail(page, email, 'Confirm your email for Rekey');
    // The sign-up email and the one sent again.
    await expect.poll(async () => {
      await page.getByRole('button', { name: 'Check again' }).click();
      return page.getByRole('article').filter({ hasText: email }).count();
    }, POLL).toBe(2);
    await newest.getByRole('link', { name: /\/verify-email#token=/ }).click();

    await page.getByRole('heading', { name: 'Confirm your email' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Your email address is confirmed.' }).waitFor();
    await expect.poll(() => page.url(), POLL).toBe(url('/verify-email'));
    await expectAccessible(page, 'verify email: confirmed');
    await screenshot(page, 'account-09-verify-email-confirmed');
    expect(await page.getByRole('region', { name: 'Your email address is not confirmed yet.' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Go to the chat' }).click();
    await page.waitForURL(/\/chat$/);
    expect(await page.getByRole('button', { name: 'Email me a new link' }).count()).toBe(0);
    expect((await testDb.db.user.findUniqueOrThrow({ where: { email } })).emailVerifiedAt).not.toBeNull();

    // Another unconfirmed account on this network: the hourly limit of links, said in words.
    await testDb.db.user.update({ where: { email }, data: { emailVerifiedAt: null } });
    await page.goto(url('/settings'));
    const again = page.getByRole('region', { name: 'Your email address is not confirmed yet.' });
    await again.getByRole('button', { name: 'Email me a new link' }).waitFor();
    // One used by the first click; spend the rest of this network's hour.
    for (let i = 0; i < 4; i++) {
      const status = await page.evaluate(async () => (await fetch('/api/account/verify-email/start', { method: 'POST' })).status);
      expect(status).toBe(200);
    }
    await again.getByRole('button', { name: 'Email me a new link' }).click();
    await again.getByText(/You asked for several links in the last hour\. Try again in \d+ minutes/).waitFor();
    await screenshot(page, 'account-10-verify-banner-rate-limited');
    expect(context.problems).toEqual([]);
    await context.close();
  });

  it('a confirmation link that expired, was used, is unknown or missing: each its own sentence and next step', async () => {
    const email = newEmail();
    const userId = await signUpByApi(email, newPassword());
    const context = await newContext(browser);
    const page = await context.newPage();
    const open = async (t: string | null) => {
      await page.goto(url(t ? `/verify-email#token=${encodeURIComponent(t)}` : '/verify-email'));
      await page.getByRole('heading', { name: 'Confirm your email' }).waitFor();
    };

    await open(await token(userId, 'verify_email', 'expired'));
    await page.getByRole('alert').filter({ hasText: 'This link has expired' }).waitFor();
    await page.getByText('and use “Email me a new link” at the top of the page.').waitFor();
    await expectAccessible(page, 'verify email: expired');
    await screenshot(page, 'account-11-verify-email-expired');

    await open(await token(userId, 'verify_email', 'used'));
    await page.getByRole('alert').filter({ hasText: 'This link was already used' }).waitFor();

    await open(randomBytes(32).toString('base64url'));
    await page.getByRole('alert').filter({ hasText: 'This link is not valid.' }).waitFor();

    await open(null);
    await page.getByRole('alert').filter({ hasText: 'This page needs the link from your confirmation email.' }).waitFor();

    // A reset token is not a confirmation token.
    await open(await token(userId, 'password_reset', 'fresh'));
    await page.getByRole('alert').filter({ hasText: 'This link is not valid.' }).waitFor();
    expect((await testDb.db.user.findUniqueOrThrow({ where: { id: userId } })).emailVerifiedAt).toBeNull();
    expect(context.problems).toEqual([]);
    await context.close();
  });

  it('a server without any way to send email says so, on the forgot-password page and in the banner', async () => {
    // Its own database: the banner test above spent this network's hourly links.
    const noMailDb = await createTestDb('sqlite');
    const port = await freePort();
    const config = testConfig({
      DATABASE_URL: noMailDb.url,
      APP_ORIGIN: `http://127.0.0.1:${port}`,
      TEMPORAL_TASK_QUEUE: `account-pages-nomail-${randomBytes(4).toString('hex')}`,
    });
    const noMail = await serveApp({ config, db: noMailDb.db, port });
    try {
      const context = await newContext(browser);
      const page = await context.newPage();
      await page.goto(`${noMail.origin}/forgot-password`);
      await page.getByLabel('Email').fill(newEmail());
      await page.getByRole('button', { name: 'Email me a link' }).click();
      await page.getByRole('alert').filter({ hasText: 'Account emails are not set up on this server' }).waitFor();
      await page.getByText('SMTP_URL', { exact: true }).waitFor();
      await expectAccessible(page, 'forgot password: not configured');
      await screenshot(page, 'account-12-forgot-password-not-configured');
      // …and no outbox here.
      await page.goto(`${noMail.origin}/dev/outbox`);
      await page.getByText('The development outbox is off here.').waitFor();
      await expectAccessible(page, 'dev outbox: off');
      await screenshot(page, 'account-13-dev-outbox-off');

      await page.goto(`${noMail.origin}/signup`);
      await page.getByLabel('Email').fill(newEmail());
      await page.getByLabel('Password', { exact: true }).fill(newPassword());
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.waitForURL(/\/chat$/);
      const banner = page.getByRole('region', { name: 'Your email address is not confirmed yet.' });
      await banner.getByRole('button', { name: 'Email me a new link' }).click();
      await banner.getByText('Account emails are not set up on this server, so no link can be sent.').waitFor();
      expect(context.problems).toEqual([]);
      await context.close();
    } finally {
      await noMail.close();
      await noMailDb.drop();
    }
  });
});
