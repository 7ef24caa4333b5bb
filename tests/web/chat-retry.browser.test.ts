// Retry from the chat, in real Chromium against the real API, a real worker,
// Dovecot and the sandbox's Paper Crane site: a reset fails because the
// mailbox password is wrong; the chat says so in Rekey's words (no API path)
// and offers a Retry button; the person fixes the mailbox and presses Retry;
// the new reset (a retry of the failed one) is followed in the chat to the end.
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../lib/free-port.js';
import { startResetHarness, type ResetHarness } from '../support/reset-harness.js';
import { expectAccessible, launchBrowser, newContext, screenshot, serveApp, type ServedApp } from './browser-support.js';

describe('Retry in the chat', () => {
  let h: ResetHarness;
  let served: ServedApp;
  let browser: Browser;
  let context: BrowserContext & { problems: string[] };
  let page: Page;
  const email = `retry-${randomBytes(4).toString('hex')}@example.com`;
  const password = `Retry-${randomBytes(6).toString('hex')}`;
  const mailbox = { user: `retry-${randomBytes(4).toString('hex')}@mail.localhost`, password: randomBytes(9).toString('base64url') };
  const site = { password: `Initial-${randomBytes(6).toString('base64url')}-7x` };

  beforeAll(async () => {
    const port = await freePort();
    h = await startResetHarness({ sites: ['papercrane'], env: { APP_ORIGIN: `http://127.0.0.1:${port}` } });
    [served, browser] = await Promise.all([serveApp({ config: h.config, db: h.db, catalog: h.catalog, port }), launchBrowser()]);
    context = await newContext(browser);
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await h?.close();
  });

  const url = (p: string) => `${served.origin}${p}`;
  const saveMailbox = async (mailboxPassword: string) => {
    const res = await page.request.put(url('/api/mailbox'), {
      data: { host: h.dovecot.host, port: h.dovecot.port, secure: false, user: mailbox.user, password: mailboxPassword },
    });
    expect(res.status()).toBe(200);
  };

  it('a reset failed by a wrong mailbox password is retried from the chat once the mailbox is fixed', async () => {
    await page.goto(url('/signup'));
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/chat$/);
    const userId = (await h.db.user.findFirstOrThrow({ where: { email } })).id;

    // A mailbox whose password is wrong, and a Paper Crane account in the vault.
    await h.dovecot.addUser(mailbox.user, mailbox.password);
    await saveMailbox('not-the-mailbox-password');
    h.sandbox.createUser('papercrane', { email: mailbox.user, password: site.password });
    const created = await page.request.post(url('/api/passwords'), {
      data: { url: h.sandbox.site('papercrane').homeUrl, username: mailbox.user, password: site.password, serviceId: 'papercrane' },
    });
    expect(created.status()).toBe(201);

    await page.getByLabel('Message').fill('Reset my Paper Crane password');
    await page.getByRole('button', { name: 'Send' }).click();
    const failed = page.locator('.bubble.theirs').last();
    await failed.locator('.result.failure').getByText('The mailbox refused the IMAP credentials.').waitFor({ timeout: 90_000 });
    await failed.getByText('What to do next').waitFor();
    expect(await failed.textContent()).not.toMatch(/\/api\/|POST /);
    const retryButton = failed.getByRole('button', { name: 'Retry' });
    await retryButton.waitFor();
    await expectAccessible(page, 'chat, failed reset with Retry');
    await screenshot(page, 'retry-01-failed-with-retry-button');
    const first = await h.db.task.findFirstOrThrow({ where: { userId } });
    expect(first.status).toBe('failed');

    // The person fixes the mailbox, then presses Retry.
    await saveMailbox(mailbox.password);
    await retryButton.click();
    await expect.poll(() => page.locator('.bubble.mine').allTextContents()).toEqual([
      'You: Reset my Paper Crane password',
      'You: Retry the Paper Crane Stationery reset',
    ]);
    expect(await failed.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    const again = page.locator('.bubble.theirs').last();
    await again.getByRole('heading', { name: /Resetting Paper Crane/ }).waitFor({ timeout: 30_000 });
    await again.locator('.result.success').getByText('Password reset complete!').waitFor({ timeout: 120_000 });
    await screenshot(page, 'retry-02-retried-and-complete');

    const tasks = await h.db.task.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } });
    expect(tasks.map((t) => [t.status, t.retryOfId])).toEqual([
      ['failed', null],
      ['completed', first.id],
    ]);
    const entry = await h.db.vaultEntry.findFirstOrThrow({ where: { userId, serviceId: 'papercrane' } });
    const newPassword = await h.vault.password(userId, entry.id, 'current');
    expect(newPassword).not.toBe(site.password);
    expect(h.sandbox.checkPassword('papercrane', mailbox.user, newPassword!)).toBe(true);
    expect(context.problems).toEqual([]);
  }, 240_000);
});
