// The development outbox: without SMTP_URL in development, account emails are
// written under the data directory and GET /api/dev/outbox lists them — to
// this machine only (loopback, no proxy header, a loopback Host), never in
// production. Real files, the real app, both databases.
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backgroundJobsSettled } from '../../lib/accounts/run-in-background.js';
import { ConfigError, loadConfig } from '../../lib/config.js';
import { createDevOutbox, DEV_OUTBOX_KEEP, type DevOutboxEmail } from '../../lib/email/dev-outbox.js';
import { forEachDatabase } from '../support/test-db.js';
import { createHarness, errorCode, POLL, uniqueEmail, type Browser, type Harness } from './auth-support.js';

const LOCAL = { host: '127.0.0.1:3000' };
const NEW_PASSWORD = 'a passphrase from the outbox';

async function outboxOf(browser: Browser, headers: Record<string, string> = LOCAL): Promise<DevOutboxEmail[]> {
  const res = await browser.get('/api/dev/outbox', { headers });
  if (res.status !== 200) throw new Error(`outbox: ${res.status}`);
  return ((await res.json()) as { items: DevOutboxEmail[] }).items;
}

const tokenIn = (text: string) => decodeURIComponent(/#token=([A-Za-z0-9_%-]+)/.exec(text)![1]!);

forEachDatabase('dev outbox', (get) => {
  describe('on (development without SMTP_URL)', () => {
    let h: Harness;
    let dataDir: string;
    beforeAll(() => {
      dataDir = mkdtempSync(path.join(os.tmpdir(), 'rekey-dev-outbox-'));
      h = createHarness({ db: get().db, url: get().url, mail: false, env: { REKEY_DEV_OUTBOX: 'on', REKEY_DATA_DIR: dataDir } });
    });
    afterAll(() => h.close());

    const local = () => h.browser({ ip: '127.0.0.1' });

    it('forgot-password answers configured:true, and the reset email, link included, is in the outbox; the link resets the password', async () => {
      const { email } = await h.signUp();
      const res = await h.browser().post('/api/account/forgot-password', { email });
      expect(await res.json()).toEqual({ ok: true, configured: true });
      await backgroundJobsSettled();

      const reset = (await outboxOf(local())).find((m) => m.to === email && m.subject === 'Reset your Rekey password');
      expect(reset?.text).toContain('http://localhost:3000/reset-password#token=');
      expect(Date.parse(reset!.sentAt)).not.toBeNaN();

      const done = await h.browser().post('/api/account/reset-password', { token: tokenIn(reset!.text), password: NEW_PASSWORD });
      expect(done.status).toBe(200);
      const signIn = await h.browser().post('/api/auth/signin', { email, password: NEW_PASSWORD });
      expect(signIn.status).toBe(200);
      // The "password was changed" notice lands there too.
      await expect.poll(async () => (await outboxOf(local())).some((m) => m.to === email && m.subject === 'Your Rekey password was changed'), POLL).toBe(true);
    });

    it('sign-up and "send again" put verification emails there, newest first; the link verifies the address', async () => {
      const { browser, email } = await h.signUp();
      await backgroundJobsSettled();
      const start = await browser.post('/api/account/verify-email/start');
      expect(await start.json()).toEqual({ ok: true, configured: true, alreadyVerified: false });
      await backgroundJobsSettled();

      const mine = (await outboxOf(local())).filter((m) => m.to === email);
      expect(mine.map((m) => m.subject)).toEqual(['Confirm your email for Rekey', 'Confirm your email for Rekey']);
      expect(Date.parse(mine[0]!.sentAt)).toBeGreaterThanOrEqual(Date.parse(mine[1]!.sentAt));
      const confirm = await h.browser().post('/api/account/verify-email/confirm', { token: tokenIn(mine[0]!.text) });
      expect(confirm.status).toBe(200);
      const me = (await (await browser.get('/api/auth/me')).json()) as { user: { emailVerified: boolean } };
      expect(me.user.emailVerified).toBe(true);
    });

    it('no session needed, and the answer is not cached', async () => {
      const res = await local().get('/api/dev/outbox', { headers: LOCAL });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
    });

    it('accepts localhost and [::1] as the Host, over IPv6 loopback too', async () => {
      expect((await local().get('/api/dev/outbox', { headers: { host: 'localhost:3000' } })).status).toBe(200);
      expect((await h.browser({ ip: '::1' }).get('/api/dev/outbox', { headers: { host: '[::1]:3000' } })).status).toBe(200);
    });

    describe('security: 404, as for a path that does not exist, unless the request is from this machine', () => {
      it('from another address', async () => {
        const res = await h.browser({ ip: '192.168.1.20' }).get('/api/dev/outbox', { headers: LOCAL });
        expect(res.status).toBe(404);
        expect(await errorCode(res)).toBe('not_found');
      });

      it('over loopback through a proxy (X-Forwarded-For, Forwarded, X-Real-IP)', async () => {
        for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip']) {
          const res = await local().get('/api/dev/outbox', { headers: { ...LOCAL, [header]: header === 'forwarded' ? 'for=198.51.100.7' : '198.51.100.7' } });
          expect(res.status, header).toBe(404);
        }
      });

      it('over loopback with a foreign Host (a DNS-rebinding page), or none', async () => {
        expect((await local().get('/api/dev/outbox', { headers: { host: 'evil.example:3000' } })).status).toBe(404);
        expect((await local().get('/api/dev/outbox', { headers: { host: '127.0.0.1.evil.example' } })).status).toBe(404);
        expect((await local().get('/api/dev/outbox')).status).toBe(404);
      });

      it('keeps the folder and each email readable by this user only', async () => {
        const dir = path.join(dataDir, 'dev-outbox');
        expect(statSync(dir).mode & 0o777).toBe(0o700);
        const files = readdirSync(dir);
        expect(files.length).toBeGreaterThan(0);
        for (const f of files) expect(statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
      });
    });
  });

  describe('off (tests, production, or SMTP_URL set)', () => {
    let h: Harness;
    beforeAll(() => {
      h = createHarness({ db: get().db, url: get().url, mail: false });
    });
    afterAll(() => h.close());

    it('forgot-password answers configured:false, and the outbox is 404 even from loopback', async () => {
      const res = await h.browser().post('/api/account/forgot-password', { email: uniqueEmail() });
      expect(await res.json()).toEqual({ ok: true, configured: false });
      const outbox = await h.browser({ ip: '127.0.0.1' }).get('/api/dev/outbox', { headers: LOCAL });
      expect(outbox.status).toBe(404);
    });
  });
});

describe('dev outbox configuration', () => {
  const base = { REKEY_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'), REKEY_DATA_DIR: '/tmp/rekey-config-test' };

  it('on by default in development without SMTP_URL, under the data directory', () => {
    expect(loadConfig({ ...base, NODE_ENV: 'development' }).devOutbox).toEqual({ dir: '/tmp/rekey-config-test/dev-outbox' });
  });

  it('off with SMTP_URL, in tests unless asked for, and always in production', () => {
    expect(loadConfig({ ...base, NODE_ENV: 'development', SMTP_URL: 'smtp://mail.example:587' }).devOutbox).toBeNull();
    expect(loadConfig({ ...base, NODE_ENV: 'test' }).devOutbox).toBeNull();
    expect(loadConfig({ ...base, NODE_ENV: 'development', REKEY_DEV_OUTBOX: 'off' }).devOutbox).toBeNull();
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).devOutbox).toBeNull();
  });

  it('refuses REKEY_DEV_OUTBOX in production, and together with SMTP_URL', () => {
    expect(() => loadConfig({ ...base, NODE_ENV: 'production', REKEY_DEV_OUTBOX: 'on' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, NODE_ENV: 'production', REKEY_DEV_OUTBOX: 'on' })).toThrow(/REKEY_DEV_OUTBOX/);
    expect(() => loadConfig({ ...base, NODE_ENV: 'development', REKEY_DEV_OUTBOX: 'on', SMTP_URL: 'smtp://mail.example:587' })).toThrow(/REKEY_DEV_OUTBOX/);
  });
});

describe('dev outbox folder', () => {
  it(`keeps the newest ${DEV_OUTBOX_KEEP} emails and lists at most 50, newest first`, async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'rekey-dev-outbox-')), 'dev-outbox');
    const outbox = createDevOutbox(dir);
    const start = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < DEV_OUTBOX_KEEP + 5; i++) {
      await outbox.deliver({ to: 'a@example.com', subject: `email ${i}`, text: `body ${i}`, html: '<p>x</p>' }, new Date(start + i * 1000));
    }
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toHaveLength(DEV_OUTBOX_KEEP);
    const listed = await outbox.list();
    expect(listed).toHaveLength(50);
    expect(listed[0]!.subject).toBe(`email ${DEV_OUTBOX_KEEP + 4}`);
    expect(listed[49]!.subject).toBe(`email ${DEV_OUTBOX_KEEP - 45}`);
    expect((await outbox.list({ limit: 200 })).at(-1)!.subject).toBe('email 5');
  });

  it('an outbox that was never written to is empty', async () => {
    expect(await createDevOutbox(path.join(os.tmpdir(), 'rekey-no-such-outbox-', String(process.pid))).list()).toEqual([]);
  });
});
