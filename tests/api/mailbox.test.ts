// /api/mailbox: settings with a write-only password, and a real connection test
// against a real Dovecot (good credentials, a wrong password, a closed port, a
// missing folder). The host goes through the target guard.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../lib/free-port.js';
import { createMailboxStore } from '../../lib/mailbox/mailbox-store.js';
import { startDovecot, type DovecotServer } from '../../sandbox/mail/dovecot.js';
import { createTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-config.js';
import { forEachDatabase } from '../support/test-db.js';
import { signedIn, type SignedInPerson } from '../support/signed-in.js';

type Person = SignedInPerson;

const IMAP_USER = 'ann';
const IMAP_PASSWORD = 'imap-Secret-42';

let dovecot: DovecotServer;

beforeAll(async () => {
  dovecot = await startDovecot();
  await dovecot.addUser(IMAP_USER, IMAP_PASSWORD);
  await dovecot.deliver(IMAP_USER, 'From: shop@example.test\r\nSubject: Welcome\r\n\r\nHello\r\n');
});

afterAll(async () => {
  await dovecot?.stop();
});

forEachDatabase('/api/mailbox', (get) => {
  let t: ReturnType<typeof createTestApp>;
  /** The same database with REKEY_ALLOW_PRIVATE_TARGETS=false. */
  let strict: ReturnType<typeof createTestApp>;

  beforeAll(() => {
    const { db, url } = get();
    t = createTestApp({ config: testConfig({ DATABASE_URL: url }), db });
    strict = createTestApp({ config: testConfig({ DATABASE_URL: url, REKEY_ALLOW_PRIVATE_TARGETS: 'false' }), db });
  });
  afterAll(async () => {
    await t?.close();
    await strict?.close();
  });

  const settings = (overrides: Record<string, unknown> = {}) => ({
    host: dovecot.host,
    port: dovecot.port,
    secure: false,
    user: IMAP_USER,
    password: IMAP_PASSWORD,
    ...overrides,
  });

  function call(who: { cookie: string } | null, method: string, path: string, body?: unknown, opts: { headers?: Record<string, string>; via?: typeof t } = {}) {
    const headers: Record<string, string> = { ...(who ? { cookie: who.cookie } : {}), ...opts.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return (opts.via ?? t).app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  }

  const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string; field?: string } }).error;

  describe('settings', () => {
    it('PUT stores them, GET shows them without the password; folder defaults to INBOX', async () => {
      const ann = await signedIn(get().db);
      const put = await call(ann, 'PUT', '/api/mailbox', settings());
      expect(put.status).toBe(200);
      const text = await put.text();
      expect(text).not.toContain(IMAP_PASSWORD);
      expect(JSON.parse(text)).toEqual({
        host: '127.0.0.1',
        port: dovecot.port,
        secure: false,
        user: IMAP_USER,
        folder: 'INBOX',
        hasPassword: true,
        updatedAt: expect.any(String),
      });
      const got = await call(ann, 'GET', '/api/mailbox');
      expect(got.status).toBe(200);
      const gotText = await got.text();
      expect(gotText).not.toContain(IMAP_PASSWORD);
      expect(JSON.parse(gotText)).toMatchObject({ host: '127.0.0.1', folder: 'INBOX', hasPassword: true });
      const stored = await createMailboxStore({ db: get().db, keyring: t.deps.keyring }).connection(ann.userId);
      expect(stored?.password).toBe(IMAP_PASSWORD);
    });

    it('PUT without a password keeps the stored one for the same server, and asks again for another', async () => {
      const ann = await signedIn(get().db);
      const first = await call(ann, 'PUT', '/api/mailbox', settings());
      expect(first.status).toBe(200);
      const { password: _, ...withoutPassword } = settings();

      const sameServer = await call(ann, 'PUT', '/api/mailbox', { ...withoutPassword, folder: 'Archive' });
      expect(sameServer.status).toBe(200);
      expect(await sameServer.json()).toMatchObject({ folder: 'Archive' });
      const store = createMailboxStore({ db: get().db, keyring: t.deps.keyring });
      expect((await store.connection(ann.userId))?.password).toBe(IMAP_PASSWORD);

      for (const moved of [{ host: 'localhost' }, { port: dovecot.port + 1 }, { user: 'someone-else' }]) {
        const res = await call(ann, 'PUT', '/api/mailbox', { ...withoutPassword, ...moved });
        expect(res.status, JSON.stringify(moved)).toBe(400);
        expect(await errorOf(res)).toMatchObject({ code: 'validation_failed', field: 'password' });
      }
      // TLS on, then off without the password: refused too (it would travel in clear).
      expect((await call(ann, 'PUT', '/api/mailbox', settings({ secure: true }))).status).toBe(200);
      const downgrade = await call(ann, 'PUT', '/api/mailbox', { ...withoutPassword, secure: false });
      expect(await errorOf(downgrade)).toMatchObject({ field: 'password' });
    });

    it('a new mailbox needs a password', async () => {
      const ann = await signedIn(get().db);
      const { password: _, ...withoutPassword } = settings();
      const res = await call(ann, 'PUT', '/api/mailbox', withoutPassword);
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toMatchObject({ field: 'password' });
    });

    it('400 with the field named for bad settings', async () => {
      const ann = await signedIn(get().db);
      for (const [patch, field] of [
        [{ port: 70000 }, 'port'],
        [{ port: '993' }, 'port'],
        [{ secure: 'yes' }, 'secure'],
        [{ user: '' }, 'user'],
        [{ host: '' }, 'host'],
        [{ host: 'imap.example.com:993' }, 'host'],
      ] as const) {
        const res = await call(ann, 'PUT', '/api/mailbox', settings(patch));
        expect(res.status, JSON.stringify(patch)).toBe(400);
        expect((await errorOf(res)).field).toBe(field);
      }
    });

    it('DELETE forgets the settings; GET is then 404', async () => {
      const ann = await signedIn(get().db);
      await call(ann, 'PUT', '/api/mailbox', settings());
      expect((await call(ann, 'DELETE', '/api/mailbox')).status).toBe(204);
      expect((await call(ann, 'GET', '/api/mailbox')).status).toBe(404);
      expect((await call(ann, 'DELETE', '/api/mailbox')).status).toBe(204);
    });
  });

  describe('connection test (real Dovecot)', () => {
    it('good credentials: 200 with the folder status', async () => {
      const ann = await signedIn(get().db);
      const res = await call(ann, 'POST', '/api/mailbox/test', settings());
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true, messages: 1, uidNext: 2 });
    });

    it('an empty body tests the stored settings (with the stored password)', async () => {
      const ann = await signedIn(get().db);
      await call(ann, 'PUT', '/api/mailbox', settings());
      const res = await call(ann, 'POST', '/api/mailbox/test');
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ ok: true, messages: 1 });
    });

    it('an empty body and nothing stored: 404', async () => {
      const ann = await signedIn(get().db);
      const res = await call(ann, 'POST', '/api/mailbox/test');
      expect(res.status).toBe(404);
    });

    it('a wrong password: 422 mailbox_auth_failed, saying so', async () => {
      const ann = await signedIn(get().db);
      const res = await call(ann, 'POST', '/api/mailbox/test', settings({ password: 'wrong-password' }));
      expect(res.status).toBe(422);
      const error = await errorOf(res);
      expect(error.code).toBe('mailbox_auth_failed');
      expect(error.message).toMatch(/rejected the mailbox user name or password/);
      expect(error.message).not.toContain('wrong-password');
    });

    it('a closed port: 502 mailbox_unreachable', async () => {
      const ann = await signedIn(get().db);
      const res = await call(ann, 'POST', '/api/mailbox/test', settings({ port: await freePort() }));
      expect(res.status).toBe(502);
      const error = await errorOf(res);
      expect(error.code).toBe('mailbox_unreachable');
      expect(error.message).toMatch(/Cannot reach the mail server/);
    });

    it('a folder that does not exist: 422 mailbox_folder_not_found', async () => {
      const ann = await signedIn(get().db);
      const res = await call(ann, 'POST', '/api/mailbox/test', settings({ folder: 'No Such Folder' }));
      expect(res.status).toBe(422);
      expect(await errorOf(res)).toMatchObject({ code: 'mailbox_folder_not_found' });
    });

    it('a stored password is not sent to another server', async () => {
      const ann = await signedIn(get().db);
      await call(ann, 'PUT', '/api/mailbox', settings());
      const { password: _, ...withoutPassword } = settings();
      const res = await call(ann, 'POST', '/api/mailbox/test', { ...withoutPassword, port: await freePort() });
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toMatchObject({ field: 'password' });
    });

    it('10 tests per 10 minutes per person, then 429 with Retry-After', async () => {
      const ann = await signedIn(get().db);
      for (let i = 0; i < 10; i++) expect((await call(ann, 'POST', '/api/mailbox/test')).status).toBe(404);
      const limited = await call(ann, 'POST', '/api/mailbox/test');
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    });
  });

  describe('security', () => {
    it('private and local hosts are refused unless allowed: 400 target_not_allowed on host', async () => {
      const ann = await signedIn(get().db);
      for (const host of ['127.0.0.1', 'localhost', '10.1.2.3', '0x7f000001', '[::1]', '::ffff:127.0.0.1']) {
        for (const [method, path] of [
          ['PUT', '/api/mailbox'],
          ['POST', '/api/mailbox/test'],
        ]) {
          const res = await call(ann, method!, path!, settings({ host }), { via: strict });
          expect(res.status, `${method} ${host}`).toBe(400);
          expect(await errorOf(res), host).toMatchObject({ code: 'target_not_allowed', field: 'host' });
        }
      }
      expect((await call(ann, 'GET', '/api/mailbox', undefined, { via: strict })).status).toBe(404);
    });

    it('cloud metadata addresses are refused even when private targets are allowed', async () => {
      const ann = await signedIn(get().db);
      const res = await call(ann, 'PUT', '/api/mailbox', settings({ host: '169.254.169.254' }));
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toMatchObject({ code: 'target_not_allowed', field: 'host' });
    });

    it('401 without credentials', async () => {
      for (const [method, path] of [
        ['GET', '/api/mailbox'],
        ['PUT', '/api/mailbox'],
        ['DELETE', '/api/mailbox'],
        ['POST', '/api/mailbox/test'],
      ]) {
        expect((await call(null, method!, path!, method === 'PUT' ? settings() : undefined)).status, `${method} ${path}`).toBe(401);
      }
    });

    it('403 for cookie-authenticated writes from another origin, and nothing changes', async () => {
      const ann = await signedIn(get().db);
      await call(ann, 'PUT', '/api/mailbox', settings());
      const evil = { headers: { origin: 'https://evil.example' } };
      for (const [method, path, body] of [
        ['PUT', '/api/mailbox', settings({ host: 'imap.evil.example' })],
        ['DELETE', '/api/mailbox', undefined],
        ['POST', '/api/mailbox/test', settings()],
      ] as const) {
        const res = await call(ann, method, path, body, evil);
        expect(res.status, `${method} ${path}`).toBe(403);
        expect((await errorOf(res)).code).toBe('csrf_rejected');
      }
      expect(await (await call(ann, 'GET', '/api/mailbox')).json()).toMatchObject({ host: '127.0.0.1' });
    });

    it("one person's mailbox is invisible to another, and theirs to delete only", async () => {
      const ann = await signedIn(get().db);
      const bob = await signedIn(get().db);
      await call(ann, 'PUT', '/api/mailbox', settings());
      expect((await call(bob, 'GET', '/api/mailbox')).status).toBe(404);
      expect((await call(bob, 'POST', '/api/mailbox/test')).status).toBe(404);
      expect((await call(bob, 'DELETE', '/api/mailbox')).status).toBe(204);
      expect((await call(ann, 'GET', '/api/mailbox')).status).toBe(200);
    });
  });
});
