// Real resets driven from the web UI: Chromium against the real API, a real
// worker, Dovecot and the sandbox sites (tests/support/reset-harness.ts).
//  - sign up → mailbox on the harness's Dovecot → a vault entry for a Telewave
//    account → chat "Reset my Telewave password" → the steps stream in → the
//    code asked for is typed on a 360×740 phone page opened from the chat's
//    link → the result, and the new password revealed behind sudo;
//  - Ticketly escalates a CAPTCHA: the chat and the task show its screenshot;
//  - the codec endpoint called as the Temporal Web UI calls it (CORS preflight,
//    then POST with a staff API key made in the settings page) decodes the
//    Telewave reset's history, which holds no password, code or link token;
//  - "Try the sandbox" provisions a demo mailbox and an account per site.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractReset } from '../../activities/mail/extract-reset.js';
import { freePort } from '../../lib/free-port.js';
import { provisionDemo } from '../../sandbox/provision.js';
import { sandboxInfoFile, type SandboxInfo } from '../../sandbox/sandbox-info.js';
import { startResetHarness, type ResetHarness } from '../support/reset-harness.js';
import { payloadsIn } from '../support/history-payloads.js';
import { expectAccessible, expectNoHorizontalScroll, launchBrowser, newContext, screenshot, serveApp, type ServedApp } from './browser-support.js';

describe('resets from the web UI', () => {
  let h: ResetHarness;
  let served: ServedApp;
  let browser: Browser;
  let context: BrowserContext & { problems: string[] };
  let page: Page;
  const email = `flow-${randomBytes(4).toString('hex')}@example.com`;
  const password = `Flow-${randomBytes(6).toString('hex')}`;
  const mailbox = { user: `flow-${randomBytes(4).toString('hex')}@mail.localhost`, password: randomBytes(9).toString('base64url') };
  const telewave = { password: `Initial-${randomBytes(6).toString('base64url')}-7x`, code: '', newPassword: '' };
  let telewaveWorkflowId = '';

  beforeAll(async () => {
    const port = await freePort();
    h = await startResetHarness({ sites: ['telewave', 'ticketly', 'papercrane'], env: { APP_ORIGIN: `http://127.0.0.1:${port}` } });
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
  const userId = async () => (await h.db.user.findFirstOrThrow({ where: { email } })).id;

  /** The password prompt, if this session has no sudo grant yet. */
  async function confirmSudoIfAsked(done: () => Promise<unknown>) {
    const dialog = page.getByRole('dialog', { name: 'Confirm your password' });
    const first = await Promise.race([dialog.waitFor().then(() => 'dialog' as const), done().then(() => 'done' as const)]);
    if (first === 'dialog') {
      await dialog.getByLabel('Password', { exact: true }).fill(password);
      await dialog.getByRole('button', { name: 'Confirm' }).click();
      await done();
    }
  }

  it('sign-up, mailbox, vault entry, "Reset my Telewave password" with the code typed on a phone, the result', async () => {
    // Sign up.
    await page.goto(url('/signup'));
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/chat$/);

    // The mailbox: the harness's Dovecot, tested for real, then saved.
    await h.dovecot.addUser(mailbox.user, mailbox.password);
    await page.getByRole('link', { name: 'Mailbox' }).click();
    await page.getByLabel('Provider').selectOption('custom');
    await page.getByLabel('IMAP server').fill(h.dovecot.host);
    await page.getByLabel('Port', { exact: true }).fill(String(h.dovecot.port));
    await page.getByLabel('TLS from the start (port 993)').uncheck();
    await page.getByLabel('User name').fill(mailbox.user);
    await page.getByLabel('Password', { exact: true }).fill(mailbox.password);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByRole('status').filter({ hasText: 'Connection works' }).waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Mailbox saved.' }).waitFor();
    await expectAccessible(page, 'mailbox, saved');
    await screenshot(page, 'flow-01-mailbox');

    // The Telewave account, and its entry added through the vault page.
    h.sandbox.createUser('telewave', { email: mailbox.user, password: telewave.password, phone: '+15555550142' });
    await page.getByRole('link', { name: 'Vault' }).click();
    await page.getByText('Add an entry').click();
    const form = page.getByRole('form', { name: 'New entry' });
    await form.getByLabel('Site address').fill(h.sandbox.site('telewave').homeUrl);
    await form.getByLabel('Username', { exact: true }).fill(mailbox.user);
    await form.getByLabel('Password', { exact: true }).fill(telewave.password);
    await form.getByRole('button', { name: 'Add entry' }).click();
    await page.getByRole('status').filter({ hasText: /^Added / }).waitFor();
    await screenshot(page, 'flow-02-vault');

    // The chat: the reset streams in, section by section.
    await page.getByRole('link', { name: 'Chat' }).click();
    await page.getByLabel('Message').fill('Reset my Telewave password');
    await page.getByRole('button', { name: 'Send' }).click();
    const reply = page.locator('.bubble.theirs').last();
    await reply.getByRole('heading', { name: /Resetting Telewave/ }).waitFor({ timeout: 20_000 });
    await reply.locator('.agent .step-text').getByText('Navigating to Telewave').waitFor({ timeout: 20_000 });
    await reply.locator('.gmail').waitFor({ timeout: 30_000 });
    await reply.locator('.agent .step-line.done').first().waitFor();
    expect(await reply.locator('.agent .duration').count()).toBeGreaterThan(0);

    // The code prompt: a QR code and the phone link.
    const prompt = reply.locator('.otp-prompt');
    await prompt.waitFor({ timeout: 60_000 });
    await prompt.getByRole('heading', { name: 'Telewave Mobile asks for a code' }).waitFor();
    expect(await prompt.getByRole('img', { name: /QR code/ }).getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    const otpUrl = (await prompt.locator('a.otp-link').getAttribute('href'))!;
    expect(otpUrl).toMatch(new RegExp(`^${served.origin}/otp/[A-Za-z0-9_-]+$`));
    await expectAccessible(page, 'chat waiting for a code');
    await screenshot(page, 'flow-03-chat-waiting-for-code');

    // A reload keeps the conversation (this tab's sessionStorage, without the phone link) and follows the waiting reset again.
    const kept = (await page.evaluate(() => sessionStorage.getItem('rekey.chat'))) ?? '';
    expect(kept).toContain('Reset my Telewave password');
    expect(kept).not.toContain('/otp/');
    await page.reload();
    await page.locator('.bubble.mine').filter({ hasText: 'Reset my Telewave password' }).waitFor();
    expect(await page.locator('.bubble.mine').count()).toBe(1);
    await reply.getByRole('heading', { name: /Resetting Telewave/ }).waitFor();
    await reply.locator('.otp-prompt').waitFor({ timeout: 30_000 });
    expect(await reply.locator('.otp-prompt a.otp-link').getAttribute('href')).toBe(otpUrl);
    expect(await reply.locator('.agent .step-line.done').count()).toBeGreaterThan(0);
    await screenshot(page, 'flow-03b-chat-after-reload');

    // The phone: no session, 360×740.
    const phoneContext = await newContext(browser, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const phone = await phoneContext.newPage();
    await phone.goto(otpUrl);
    await phone.getByRole('heading', { name: 'Telewave Mobile asks for a code' }).waitFor();
    const input = phone.getByLabel('Code');
    expect(await input.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await input.getAttribute('inputmode')).toBe('numeric');
    expect(await phone.locator('input').count()).toBe(1);
    await expectAccessible(phone, 'phone OTP page');
    await expectNoHorizontalScroll(phone);
    await screenshot(phone, 'flow-04-phone-otp');
    await expect.poll(() => (telewave.code = h.sandbox.lastSmsCode('telewave', mailbox.user) ?? ''), { timeout: 30_000 }).toMatch(/^\d{6}$/);
    await input.fill(telewave.code);
    await phone.getByRole('button', { name: 'Send code' }).click();
    // The phone page follows the code until the site took it and the reset finished.
    await phone.getByRole('status').filter({ hasText: 'Done: Telewave Mobile took the code and your password was reset.' }).waitFor({ timeout: 90_000 });
    await screenshot(phone, 'flow-05-phone-otp-accepted');
    expect(phoneContext.problems).toEqual([]);
    await phoneContext.close();

    // Back in the chat: the result, and the new password behind sudo.
    await reply.locator('.result.success').getByText('Password reset complete!').waitFor({ timeout: 90_000 });
    await page.locator('.otp-prompt').waitFor({ state: 'detached' });
    await reply.getByRole('button', { name: 'Reveal' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm your password' });
    await dialog.getByLabel('Password', { exact: true }).fill(password);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    const shown = reply.locator('code.secret');
    await shown.waitFor();
    const entry = await h.db.vaultEntry.findFirstOrThrow({ where: { userId: await userId(), serviceId: 'telewave' } });
    telewave.newPassword = (await h.vault.password(await userId(), entry.id, 'current'))!;
    expect(await shown.textContent()).toBe(telewave.newPassword);
    expect(telewave.newPassword).not.toBe(telewave.password);
    await expectAccessible(page, 'chat, reset complete');
    await screenshot(page, 'flow-06-chat-complete');

    // The task: the step timeline, all done.
    const task = await h.db.task.findFirstOrThrow({ where: { userId: await userId(), serviceId: 'telewave' } });
    telewaveWorkflowId = task.workflowId;
    await page.getByRole('link', { name: 'Tasks' }).click();
    await page.getByRole('link', { name: 'Telewave Mobile' }).click();
    await page.getByRole('heading', { name: 'Reset of Telewave Mobile' }).waitFor();
    await page.getByText('Password reset complete.').waitFor();
    expect(await page.locator('.timeline-step.status-completed').count()).toBeGreaterThanOrEqual(5);
    await page.locator('.screenshot img').waitFor();
    await expectAccessible(page, 'task detail, completed');
    await screenshot(page, 'flow-07-task-completed');
    expect(context.problems).toEqual([]);
  }, 150_000);

  it('Ticketly asks for a CAPTCHA: the chat and the task show the screenshot and what to do', async () => {
    h.sandbox.createUser('ticketly', { email: mailbox.user, password: 'Ticketly-initial-1x', phone: '+15555550142' });
    const created = await page.request.post(url('/api/passwords'), {
      data: { url: h.sandbox.site('ticketly').homeUrl, username: mailbox.user, password: 'Ticketly-initial-1x', serviceId: 'ticketly' },
    });
    expect(created.status()).toBe(201);

    await page.getByRole('link', { name: 'Chat' }).click();
    await page.getByLabel('Message').fill('Reset my Ticketly password');
    await page.getByRole('button', { name: 'Send' }).click();
    const reply = page.locator('.bubble.theirs').last();
    const captcha = reply.locator('.captcha');
    await captcha.getByText('asks for a CAPTCHA').waitFor({ timeout: 60_000 });
    const img = captcha.getByRole('img', { name: /Screenshot of the Ticketly page/ });
    await img.waitFor();
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth), { timeout: 10_000 }).toBeGreaterThan(100);
    await screenshot(page, 'flow-08-chat-captcha');
    await reply.locator('.result.failure').waitFor({ timeout: 30_000 });
    await reply.getByText('What to do next').waitFor();
    await expectAccessible(page, 'chat, CAPTCHA and failure');

    await reply.getByRole('link', { name: 'Open this reset’s task' }).click();
    await page.getByRole('heading', { name: 'Reset of Ticketly' }).waitFor();
    const shot = page.locator('.screenshot img');
    await shot.waitFor();
    expect(await shot.getAttribute('src')).toMatch(/^data:image\/(png|jpeg);base64,/);
    await page.getByRole('button', { name: 'Retry' }).waitFor();
    await expectAccessible(page, 'task detail, failed with a CAPTCHA');
    await screenshot(page, 'flow-09-task-captcha');
    expect(context.problems).toEqual([]);
  }, 90_000);

  it('the codec endpoint, called like the Temporal Web UI with a staff key from the settings page, decodes the history without a secret', async () => {
    expect(telewaveWorkflowId).not.toBe('');
    await h.db.user.update({ where: { id: await userId() }, data: { role: 'staff' } });
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Key name').fill('temporal ui');
    await page.getByRole('button', { name: 'Create key' }).click();
    const keyShown = page.locator('.api-key-value');
    await confirmSudoIfAsked(() => keyShown.waitFor());
    const key = (await keyShown.textContent())!.trim();
    expect(key).toMatch(/^rk_/);

    const uiOrigin = h.config.temporal.uiOrigin;
    const preflight = await fetch(url('/codec/decode'), {
      method: 'OPTIONS',
      headers: { Origin: uiOrigin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,authorization' },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(uiOrigin);
    expect(preflight.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toMatch(/authorization/);

    // Every payload of the history, as the UI sends them: base64 metadata and data.
    const history = await h.client.workflow.getHandle(telewaveWorkflowId).fetchHistory();
    const payloads: { metadata: Record<string, string>; data?: string }[] = payloadsIn(history).map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      ...(p.data ? { data: Buffer.from(p.data).toString('base64') } : {}),
    }));
    // Inputs, results, signals, activity arguments: encrypted (search attributes are not payloads the codec sees).
    const encrypted = payloads.filter((p) => Buffer.from(p.metadata.encoding ?? '', 'base64').toString() === 'binary/encrypted');
    expect(encrypted.length).toBeGreaterThan(5);

    const res = await fetch(url('/codec/decode'), {
      method: 'POST',
      headers: { Origin: uiOrigin, 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
      body: JSON.stringify({ payloads }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(uiOrigin);
    const decoded = ((await res.json()) as { payloads: { metadata: Record<string, string>; data?: string }[] }).payloads;
    expect(decoded).toHaveLength(payloads.length);
    const text = decoded.map((p) => Buffer.from(p.data ?? '', 'base64').toString('utf8')).join('\n');
    const task = await h.db.task.findFirstOrThrow({ where: { workflowId: telewaveWorkflowId } });
    expect(text).toContain(task.id); // decoding worked: ids are there

    const mail = h.mails.find((m) => m.to === mailbox.user && /telewave/i.test(m.raw))!;
    const link = extractReset(await simpleParser(mail.raw)).links[0]!.url;
    const token = new URL(link).searchParams.values().next().value ?? link.split('/').pop()!;
    for (const [what, secret] of Object.entries({ oldPassword: telewave.password, newPassword: telewave.newPassword, code: telewave.code, link, token })) {
      expect(secret.length, what).toBeGreaterThan(3);
      expect(text.includes(secret), `${what} in the decoded history`).toBe(false);
    }

    // A key of someone who is not staff is refused.
    await h.db.user.update({ where: { id: await userId() }, data: { role: 'user' } });
    const refused = await fetch(url('/codec/decode'), {
      method: 'POST',
      headers: { Origin: uiOrigin, 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
      body: JSON.stringify({ payloads: payloads.slice(0, 1) }),
    });
    expect(refused.status).toBe(403);
  }, 60_000);

  it('the task form starts a reset, its page follows it live, Cancel stops it and Retry offers a new run', async () => {
    // The conversation survived the trip to the task page.
    await page.getByRole('link', { name: 'Chat' }).click();
    await page.locator('.result.success').getByText('Password reset complete!').waitFor();
    expect(await page.locator('.bubble.mine').allTextContents()).toEqual(['You: Reset my Telewave password', 'You: Reset my Ticketly password']);

    await page.getByRole('link', { name: 'Tasks' }).click();
    await page.getByRole('heading', { name: 'Tasks', level: 1 }).waitFor();
    const entry = await h.db.vaultEntry.findFirstOrThrow({ where: { userId: await userId(), serviceId: 'telewave' } });
    await page.getByLabel('Vault entry (receives the new password)').selectOption(entry.id);
    expect(await page.getByLabel('Site address').inputValue()).toBe(h.sandbox.site('telewave').homeUrl);
    await page.getByLabel('Account email on that site').fill(mailbox.user);
    await page.getByRole('button', { name: 'Start reset' }).click();
    await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'Reset of Telewave Mobile' }).waitFor();
    await page.locator('.timeline-step.status-running, .timeline-step.status-completed').first().waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Cancel reset' }).click();
    await page.locator('.badge.status-cancelled').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Retry' }).waitFor();
    await expectAccessible(page, 'task detail, cancelled');
    await screenshot(page, 'flow-10-task-cancelled');
    expect(context.problems).toEqual([]);
  }, 60_000);

  it('"Try the sandbox" gives a demo mailbox and an account on every sandbox site', async () => {
    // What the sandbox process serves on loopback (sandbox/main.ts), for this harness's sites and Dovecot.
    const control = new Hono().post('/provision', async (c) => {
      const body = (await c.req.json().catch(() => ({}))) as { label?: string };
      return c.json(await provisionDemo({ sandbox: h.sandbox, dovecot: h.dovecot, label: String(body.label ?? 'demo') }));
    });
    const port = await freePort();
    const server = serve({ fetch: control.fetch, port, hostname: '127.0.0.1' });
    const file = sandboxInfoFile(h.config);
    const info: SandboxInfo = {
      webPort: h.sandbox.port,
      imap: { host: h.dovecot.host, port: h.dovecot.port },
      provisionUrl: `http://127.0.0.1:${port}/provision`,
      controlUrl: h.sandbox.controlUrl,
      sites: h.sandbox.sites,
    };
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(info));
    try {
      await page.getByRole('link', { name: 'Chat' }).click();
      await page.getByRole('button', { name: 'Try the sandbox' }).click();
      await page.getByRole('status').filter({ hasText: `an account on ${h.sandbox.sites.length} sandbox sites` }).waitFor();
      await page.getByRole('button', { name: /^Reset my .+ password$/ }).first().waitFor();
      await expectAccessible(page, 'chat, sandbox ready');
      await screenshot(page, 'flow-11-sandbox-ready');
      const me = await userId();
      const entries = await h.db.vaultEntry.findMany({ where: { userId: me, label: { endsWith: '(sandbox)' } } });
      expect(entries.map((e) => e.serviceId).sort()).toEqual(h.sandbox.sites.map((s) => s.slug).sort());
      const saved = await page.request.get(url('/api/mailbox'));
      expect(((await saved.json()) as { user: string }).user).toMatch(/@mail\.localhost$/);
    } finally {
      server.close();
    }
  }, 30_000);
});
