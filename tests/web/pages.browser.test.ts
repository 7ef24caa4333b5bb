// The web UI in real Chromium against the real API (no reset worker needed):
// sign-up, sign-in with the 2FA step, every settings section, vault (add,
// reveal behind sudo, CSV import), mailbox presets, services, tasks and a task
// detail, the phone OTP page — each checked with axe-core, on a desktop and a
// 360-px phone screen — and hostile text that must never run.
import { randomBytes, randomUUID } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../lib/free-port.js';
import { ensurePhoneOtpLink } from '../../lib/tasks/phone-otp-link.js';
import { testConfig } from '../support/test-config.js';
import { createTestDb, type TestDb } from '../support/test-db.js';
import {
  expectAccessible,
  expectNoHorizontalScroll,
  expectNoScriptInjection,
  launchBrowser,
  newContext,
  screenshot,
  serveApp,
  type ServedApp,
} from './browser-support.js';

const HOSTILE_IMG = '<img src=x onerror="window.__xss=1">';
const HOSTILE_SCRIPT = '<script>window.__xss=2</script>';

describe('web UI pages', () => {
  let testDb: TestDb;
  let served: ServedApp;
  let browser: Browser;
  const email = `web-${randomBytes(4).toString('hex')}@example.com`;
  const password = `Pages-${randomBytes(6).toString('hex')}`;
  /** Shown once by the 2FA setup; each later sign-in uses one up. */
  const recoveryCodes: string[] = [];

  beforeAll(async () => {
    testDb = await createTestDb('sqlite');
    const port = await freePort();
    const config = testConfig({
      DATABASE_URL: testDb.url,
      APP_ORIGIN: `http://127.0.0.1:${port}`,
      TEMPORAL_TASK_QUEUE: `web-pages-${randomBytes(4).toString('hex')}`,
    });
    [served, browser] = await Promise.all([serveApp({ config, db: testDb.db, port }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await testDb?.drop();
  });

  const url = (path: string) => `${served.origin}${path}`;
  const userId = async () => (await testDb.db.user.findFirstOrThrow({ where: { email } })).id;

  async function signIn(page: Page) {
    await page.goto(url('/signin'));
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('sign-up, 2FA setup with the QR code and recovery codes, sessions, API keys behind sudo, webhooks, export, then sign-in with the 2FA step', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();

    await page.goto(url('/'));
    await page.waitForURL(/\/signin$/);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    await expectAccessible(page, 'sign-up');
    await screenshot(page, '01-sign-up');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/chat$/);
    await page.getByRole('heading', { name: 'Chat' }).waitFor();
    // A question back (no reset starts): the conversation is kept for a reload of this tab, until sign-out.
    await page.getByLabel('Message').fill('reset gitlub');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('.bubble.theirs').getByText('Which one do you mean?').waitFor();
    await page.reload();
    await page.locator('.bubble.theirs').getByText('Which one do you mean?').waitFor();
    expect(await page.locator('.bubble.mine').count()).toBe(1);

    // Two-factor: QR code, a code computed from the shown secret, recovery codes shown once.
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await expectAccessible(page, 'settings');
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    const qr = page.getByRole('img', { name: /QR code to add Rekey/ });
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    const secret = (await page.locator('.secret-key').textContent())!.trim();
    await page.getByLabel('Code from the app').fill(new TOTP({ secret: Secret.fromBase32(secret) }).generate());
    await expectAccessible(page, 'settings: 2FA setup');
    await page.getByRole('button', { name: 'Turn on' }).click();
    const codes = page.getByRole('list', { name: 'Recovery codes' }).locator('code');
    await codes.first().waitFor();
    expect(await codes.count()).toBe(10);
    recoveryCodes.push(...(await codes.allTextContents()).map((c) => c.trim()));
    await screenshot(page, '02-settings-2fa-recovery-codes');
    await page.getByRole('button', { name: 'I saved them' }).click();
    await page.getByText('Two-factor sign-in is on: signing in asks').waitFor();

    // Sessions: this browser is listed.
    await page.locator('#sessions').getByText('This browser').waitFor();

    // An API key: creation needs sudo → the password prompt → the key, shown once.
    await page.getByLabel('Key name').fill('web test');
    await page.getByRole('button', { name: 'Create key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm your password' });
    await dialog.waitFor();
    await expectAccessible(page, 'sudo dialog');
    await dialog.getByLabel('Password', { exact: true }).fill('not my password');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'That is not your password.' }).waitFor();
    await dialog.getByLabel('Password', { exact: true }).fill(password);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    const key = page.locator('.api-key-value');
    await key.waitFor();
    expect(await key.textContent()).toMatch(/^rk_/);
    await page.locator('#api-keys').getByText('web test').waitFor();

    // A webhook: its signing secret shown once, its (empty) delivery log.
    await page.getByLabel('Endpoint URL').fill('http://127.0.0.1:9/hooks/rekey');
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await page.locator('#webhooks .secret').waitFor();
    expect(await page.locator('#webhooks .secret').textContent()).toMatch(/^whsec_/);
    await page.locator('#webhooks').getByRole('button', { name: 'Deliveries' }).click();
    await page.getByText('No deliveries yet.').waitFor();
    await expectAccessible(page, 'settings: filled in');
    await screenshot(page, '03-settings');

    // Export: the link downloads the JSON attachment with this session.
    const exported = await page.request.get(url('/api/account/export'));
    expect(exported.status()).toBe(200);
    expect(exported.headers()['content-disposition']).toMatch(/^attachment/);
    expect(await page.locator('a[href="/api/account/export"]').count()).toBe(1);

    // Sign out, sign in again: the 2FA step takes a recovery code.
    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await page.waitForURL(/\/signin$/);
    expect(await page.evaluate(() => sessionStorage.getItem('rekey.chat'))).toBeNull();
    await expectAccessible(page, 'sign-in');
    await screenshot(page, '04-sign-in');
    // By keyboard alone: the page heading has the focus, Tab reaches the fields in order, Enter submits.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Sign in');
    await page.keyboard.press('Tab');
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor();
    await expectAccessible(page, 'sign-in: 2FA step');
    await page.getByLabel('Code').fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('alert').filter({ hasText: 'That code is not right' }).waitFor();
    await page.getByLabel('Code').fill(recoveryCodes.shift()!);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/chat$/);

    expect(context.problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('vault (add, reveal behind sudo, CSV import), mailbox presets, services, tasks and a task detail, chat: accessible on desktop and a 360-px phone', async () => {
    const me = await userId();
    // A finished reset to list and open (written as the workflow would leave it).
    const taskId = randomUUID();
    await testDb.db.task.create({
      data: {
        id: taskId,
        userId: me,
        serviceId: 'netflix',
        serviceName: 'Netflix',
        serviceUrl: 'https://www.netflix.com/LoginHelp',
        email,
        accountKey: `netflix:${taskId}`,
        workflowId: `reset-netflix-${taskId}`,
        status: 'failed',
        step: 'wait_for_email',
        failureType: 'EmailTimeout',
        failureReason: 'No reset email arrived in time. Check the mailbox settings and the account email.',
        startedAt: new Date(Date.now() - 60_000),
        completedAt: new Date(),
        seq: 9,
        steps: {
          create: [
            { name: 'navigate', status: 'completed', durationMs: 1200, position: 0 },
            { name: 'enter_email', status: 'completed', durationMs: 800, position: 1 },
            { name: 'wait_for_email', status: 'failed', durationMs: 45_000, position: 2 },
            { name: 'follow_link', status: 'pending', position: 3 },
            { name: 'set_password', status: 'pending', position: 4 },
            { name: 'verify_login', status: 'pending', position: 5 },
          ],
        },
      },
    });

    for (const viewport of [
      { name: 'desktop', width: 1280, height: 900 },
      { name: 'phone', width: 360, height: 740 },
    ]) {
      const context = await newContext(browser, { viewport, isMobile: viewport.name === 'phone', hasTouch: viewport.name === 'phone' });
      const page = await context.newPage();
      await signIn(page);
      await page.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor();
      await page.getByLabel('Code').fill(recoveryCodes.shift()!);
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.waitForURL(/\/chat$/);
      const shot = (n: string) => screenshot(page, `${viewport.name}-${n}`);

      // Chat: a message that names no site gets a question back, rendered as the result section.
      await expectAccessible(page, `${viewport.name} chat`);
      await page.getByLabel('Message').fill('hello there');
      await page.getByRole('button', { name: 'Send' }).click();
      await page.locator('.result').filter({ hasText: 'I could not tell which website you mean' }).waitFor();
      await expectAccessible(page, `${viewport.name} chat with a reply`);
      await expectNoHorizontalScroll(page);
      await shot('05-chat');

      // Vault: add an entry (desktop only; the phone sees it), reveal it behind sudo.
      await page.getByRole('link', { name: 'Vault' }).click();
      await page.getByRole('heading', { name: 'Vault', level: 1 }).waitFor();
      if (viewport.name === 'desktop') {
        await page.getByText('Add an entry').click();
        const form = page.getByRole('form', { name: 'New entry' });
        await form.getByLabel('Site address').fill('https://www.example.com/login');
        await form.getByLabel('Username', { exact: true }).fill('ada@example.com');
        await form.getByLabel('Password', { exact: true }).fill('Vault-pass-1');
        await form.getByLabel('TOTP secret (optional)').fill('JBSWY3DPEHPK3PXP');
        await form.getByLabel('Label (optional)').fill('Example login');
        await form.getByRole('button', { name: 'Add entry' }).click();
        await page.getByRole('status').filter({ hasText: 'Added Example login.' }).waitFor();

        // Import a Bitwarden export: two logins, one secure note left out.
        await page.getByText('Import from a password manager').click();
        const csv = [
          'folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp',
          ',,login,"Shop, Inc.",,,0,https://shop.example.com,"bob@example.com","pa""ss,word",',
          ',,note,Note,secret note,,0,,,,',
          ',,login,Forum,,,0,forum.example.org,carol,pw-forum,',
        ].join('\n');
        await page.getByLabel('CSV file').setInputFiles({ name: 'bitwarden_export.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
        await page.getByText('Bitwarden export with 2 logins to import, 1 rows left out.').waitFor();
        await page.getByRole('button', { name: 'Import', exact: true }).click();
        await page.getByRole('status').filter({ hasText: 'Imported 2 of 2.' }).waitFor();
        await page.getByRole('heading', { name: 'Shop, Inc.' }).waitFor();
        const rows = await testDb.db.vaultEntry.findMany({ where: { userId: me }, select: { label: true, url: true } });
        expect(rows.map((r) => r.label).sort()).toEqual(['Example login', 'Forum', 'Shop, Inc.']);
      }
      await page.getByRole('button', { name: 'Reveal the password for Shop, Inc.' }).click();
      const dialog = page.getByRole('dialog', { name: 'Confirm your password' });
      await dialog.getByLabel('Password', { exact: true }).fill(password);
      await dialog.getByRole('button', { name: 'Confirm' }).click();
      await page.locator('.secret').filter({ hasText: 'pa"ss,word' }).waitFor();
      await expectAccessible(page, `${viewport.name} vault`);
      await expectNoHorizontalScroll(page);
      await shot('06-vault');

      // Mailbox: a preset fills in the server.
      await page.getByRole('link', { name: 'Mailbox' }).click();
      await page.getByRole('heading', { name: 'Mailbox' }).waitFor();
      await page.getByLabel('Provider').selectOption('fastmail');
      expect(await page.getByLabel('IMAP server').inputValue()).toBe('imap.fastmail.com');
      await page.getByLabel('Provider').selectOption('icloud');
      expect(await page.getByLabel('IMAP server').inputValue()).toBe('imap.mail.me.com');
      expect(await page.getByLabel('Port', { exact: true }).inputValue()).toBe('993');
      await expectAccessible(page, `${viewport.name} mailbox`);
      await expectNoHorizontalScroll(page);
      await shot('07-mailbox');

      // Services: the catalog, searched.
      await page.getByRole('link', { name: 'Services' }).click();
      await page.getByRole('heading', { name: 'Services', level: 1 }).waitFor();
      await page.getByLabel('Search services').fill('netflx');
      await page.getByRole('heading', { name: 'Netflix', level: 3 }).waitFor();
      await expectAccessible(page, `${viewport.name} services`);
      await expectNoHorizontalScroll(page);
      await shot('08-services');

      // Tasks and one task: its steps, durations and failure; retry offered.
      await page.getByRole('link', { name: 'Tasks' }).click();
      await page.getByRole('heading', { name: 'Tasks', level: 1 }).waitFor();
      await page.getByRole('link', { name: 'Netflix' }).first().waitFor();
      await expectAccessible(page, `${viewport.name} tasks`);
      await expectNoHorizontalScroll(page);
      await shot('09-tasks');
      await page.getByRole('link', { name: 'Netflix' }).first().click();
      await page.getByRole('heading', { name: 'Reset of Netflix' }).waitFor();
      await page.getByRole('alert').filter({ hasText: 'No reset email arrived in time' }).waitFor();
      await page.getByText('45 s').waitFor();
      await page.getByRole('button', { name: 'Retry' }).waitFor();
      await expectAccessible(page, `${viewport.name} task detail`);
      await expectNoHorizontalScroll(page);
      await shot('10-task-detail');

      // Settings on this screen too.
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
      await page.locator('#sessions').getByText('This browser').waitFor();
      await expectAccessible(page, `${viewport.name} settings`);
      await expectNoHorizontalScroll(page);
      await shot('11-settings');

      expect(context.problems).toEqual([]);
      await context.close();
    }
  }, 90_000);

  it('hostile text in vault entries, service names, chat messages and the chat stream itself never runs', async () => {
    const me = await userId();
    await testDb.db.vaultEntry.create({
      data: { userId: me, url: 'https://hostile.example.com/', username: HOSTILE_SCRIPT, label: HOSTILE_IMG, email: null },
    });
    const taskId = randomUUID();
    await testDb.db.task.create({
      data: {
        id: taskId,
        userId: me,
        serviceId: 'hostile',
        serviceName: `${HOSTILE_IMG}${HOSTILE_SCRIPT}[x](javascript:window.__xss=3)`,
        serviceUrl: 'https://hostile.example.com/',
        email,
        accountKey: `hostile:${taskId}`,
        workflowId: `reset-hostile-${taskId}`,
        status: 'waiting_for_otp',
        waitingFor: 'otp',
        seq: 4,
      },
    });
    const link = await ensurePhoneOtpLink(served.deps, { taskId, until: new Date(Date.now() + 600_000) });

    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page);
    await page.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor();
    await page.getByLabel('Code').fill(recoveryCodes.shift()!);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/chat$/);

    // The server's answer to a hostile message (it escapes what it echoes).
    await page.getByLabel('Message').fill(`Reset my ${HOSTILE_IMG} ${HOSTILE_SCRIPT} [click me](javascript:window.__xss=3) password`);
    await page.getByRole('button', { name: 'Send' }).click();
    // The catalog may even read it as a service ("src=x" is X): a reset then starts (no worker here), or a question comes back.
    await page.locator('.bubble.theirs').last().locator('.reply-header, .result').first().waitFor();

    // A hostile stream: raw HTML, script URLs in links and images, an autolink, event handlers.
    await page.route('**/api/chat/reset', (route) =>
      route.fulfill({
        status: 200,
        headers: { 'content-type': 'text/event-stream' },
        body: [
          sse('header', [`## Resetting ${HOSTILE_IMG} password`]),
          sse('progress', ['### Agent', `${HOSTILE_SCRIPT} Navigating...`, '[link](javascript:window.__xss=3)', '[upper](JaVaScRiPt:window.__xss=4)', '<javascript:window.__xss=5>']),
          sse('gmail', ['<iframe src="javascript:window.__xss=6"></iframe> waiting']),
          sse('captcha', ['![shot](javascript:window.__xss=7)', '![remote](https://evil.example/x.png)', '<svg onload="window.__xss=8"></svg>']),
          sse('password', ['New password saved to vault. Entry: `entry-123456` <a href="javascript:window.__xss=9">x</a>']),
          sse('result', ['[data](data:text/html,<script>window.__xss=10</script>) <details open ontoggle="window.__xss=11">x</details>']),
        ].join(''),
      }),
    );
    await page.getByLabel('Message').fill('Reset my Netflix password');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('.result').filter({ hasText: 'x' }).last().waitFor();
    await page.unroute('**/api/chat/reset');
    await page.waitForTimeout(300); // any onerror would have fired by now
    await expectNoScriptInjection(page);
    expect(await page.locator('#root').getByText('Resetting').count()).toBeGreaterThan(0);
    await screenshot(page, '12-hostile-chat');

    for (const path of ['/vault', '/tasks', `/tasks/${taskId}`]) {
      await page.goto(url(path));
      await page.locator('h1').first().waitFor();
      await page.waitForLoadState('networkidle').catch(() => undefined);
      await expectNoScriptInjection(page);
    }
    await page.goto(url('/vault'));
    await page.getByRole('heading', { name: HOSTILE_IMG }).waitFor(); // shown as text
    await page.getByText(HOSTILE_SCRIPT).waitFor();

    // The phone page names the hostile service as text too; it is accessible on a 360-px screen.
    const phone = await (await newContext(browser, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true })).newPage();
    await phone.goto(link.url.replace(/^https?:\/\/[^/]+/, served.origin));
    await phone.getByRole('heading', { name: /asks for a code/ }).waitFor();
    await expectNoScriptInjection(phone);
    await expectAccessible(phone, 'phone OTP page');
    await expectNoHorizontalScroll(phone);
    await screenshot(phone, '13-phone-otp-hostile-name');
    await phone.context().close();

    expect(context.problems).toEqual([]);
    await context.close();
  }, 60_000);
});

function sse(name: string, lines: string[]): string {
  return [`<!-- section:${name} -->`, ...lines].map((l) => `data: ${l}`).join('\n') + '\n\n';
}
