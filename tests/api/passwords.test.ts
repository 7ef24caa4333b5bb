// /api/passwords: the real app over a real database (SQLite and PostgreSQL).
// Happy paths, validation (400 with the field named), and the security cases:
// 401 without credentials, 403 cross-origin with a cookie, 404 for another
// person's entry, 403 sudo_required on reveal, secrets never in a response.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../lib/crypto.js';
import type { Db } from '../../lib/db/index.js';
import { createVaultStore } from '../../lib/vault/vault-store.js';
import { createTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-config.js';
import { forEachDatabase } from '../support/test-db.js';
import { insertTaskRow } from '../support/task-rows.js';
import { signedIn, type SignedInPerson } from '../support/signed-in.js';

type Person = SignedInPerson;

/** A sudo grant on the person's session, as POST /api/auth/sudo leaves it: the cookie to send with it. */
async function grantSudo(db: Db, person: Person, untilMs = 5 * 60_000): Promise<string> {
  const sudo = randomBytes(32).toString('base64url');
  await db.session.update({ where: { id: person.sessionId }, data: { sudoHash: hashToken(sudo), sudoUntil: new Date(Date.now() + untilMs) } });
  return `${person.cookie}; rekey.sudo=${sudo}`;
}

const TOTP = 'JBSWY3DPEHPK3PXP';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const SECRET_PASSWORD = 'old-Password-4711';

forEachDatabase('/api/passwords', (get) => {
  let t: ReturnType<typeof createTestApp>;
  let alice: Person;
  let bob: Person;

  beforeAll(async () => {
    const { db, url } = get();
    t = createTestApp({ config: testConfig({ DATABASE_URL: url }), db });
    alice = await signedIn(db);
    bob = await signedIn(db);
  });
  afterAll(async () => {
    await t?.close();
  });

  function call(who: { cookie: string } | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const h: Record<string, string> = { ...(who ? { cookie: who.cookie } : {}), ...headers };
    if (body !== undefined) h['content-type'] = 'application/json';
    return t.app.request(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  }

  async function create(who: Person, body: Record<string, unknown> = {}) {
    const res = await call(who, 'POST', '/api/passwords', { url: 'https://www.netflix.com/login', username: 'ada@example.com', password: SECRET_PASSWORD, ...body });
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as Record<string, unknown> & { id: string };
  }

  async function fieldOf(res: Response) {
    return ((await res.json()) as { error: { code: string; field?: string } }).error;
  }

  describe('happy paths', () => {
    it('creates an entry: 201 with the entry, the service guessed from the URL, no secret anywhere', async () => {
      const res = await call(alice, 'POST', '/api/passwords', {
        url: 'https://www.netflix.com/login',
        username: 'ada',
        email: 'ada@example.com',
        password: SECRET_PASSWORD,
        totpSecret: TOTP,
        label: 'Family',
      });
      expect(res.status).toBe(201);
      const text = await res.text();
      expect(text).not.toContain(SECRET_PASSWORD);
      expect(text).not.toContain(TOTP);
      const entry = JSON.parse(text);
      expect(entry).toEqual({
        id: expect.any(String),
        serviceId: 'netflix',
        url: 'https://www.netflix.com/login',
        username: 'ada',
        email: 'ada@example.com',
        label: 'Family',
        hasTotp: true,
        state: 'current',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const vault = createVaultStore({ db: get().db, keyring: t.deps.keyring });
      expect(await vault.password(alice.userId, entry.id, 'current')).toBe(SECRET_PASSWORD);
      expect(await vault.totpSecret(alice.userId, entry.id)).toBe(TOTP);
    });

    it('reads one entry and lists entries newest first, with cursor pagination', async () => {
      const carol = await signedIn(get().db);
      // Apart in time, so "newest first" has one answer (ties fall back to the id).
      const first = await create(carol, { label: 'one' });
      await sleep(5);
      const second = await create(carol, { label: 'two' });
      await sleep(5);
      const third = await create(carol, { label: 'three', serviceId: 'github', url: 'https://github.com/login' });

      const one = await call(carol, 'GET', `/api/passwords/${first.id}`);
      expect(one.status).toBe(200);
      expect(await one.json()).toMatchObject({ id: first.id, label: 'one', hasTotp: false, state: 'current' });

      const page1 = await call(carol, 'GET', '/api/passwords?limit=2');
      expect(page1.status).toBe(200);
      const body1 = (await page1.json()) as { items: { id: string }[]; nextCursor: string | null };
      expect(body1.items.map((i) => i.id)).toEqual([third.id, second.id]);
      expect(body1.nextCursor).toEqual(expect.any(String));
      const page2 = await call(carol, 'GET', `/api/passwords?limit=2&cursor=${encodeURIComponent(body1.nextCursor!)}`);
      const body2 = (await page2.json()) as { items: { id: string }[]; nextCursor: string | null };
      expect(body2.items.map((i) => i.id)).toEqual([first.id]);
      expect(body2.nextCursor).toBeNull();
      expect(JSON.stringify([body1, body2])).not.toContain(SECRET_PASSWORD);
    });

    it('accepts an otpauth:// URI and stores its base32 secret', async () => {
      const entry = await create(alice, { totpSecret: `otpauth://totp/Netflix:ada?secret=${TOTP.toLowerCase()}&issuer=Netflix` });
      expect(entry.hasTotp).toBe(true);
      expect(await createVaultStore({ db: get().db, keyring: t.deps.keyring }).totpSecret(alice.userId, entry.id)).toBe(TOTP);
    });

    it('PATCH changes details, replaces the password (the old one becomes previous) and the TOTP secret', async () => {
      const entry = await create(alice, { totpSecret: TOTP, email: 'ada@example.com' });
      const res = await call(alice, 'PATCH', `/api/passwords/${entry.id}`, {
        url: 'https://github.com/login',
        username: 'ada-lovelace',
        email: null,
        label: 'Work',
        serviceId: 'github',
        password: 'new-Password-0815',
        totpSecret: 'KRSXG5CTMVRXEZLU KRSXG5A=',
      });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).not.toContain('new-Password-0815');
      expect(JSON.parse(text)).toMatchObject({ url: 'https://github.com/login', username: 'ada-lovelace', email: null, label: 'Work', serviceId: 'github', hasTotp: true, state: 'current' });
      const vault = createVaultStore({ db: get().db, keyring: t.deps.keyring });
      expect(await vault.password(alice.userId, entry.id, 'current')).toBe('new-Password-0815');
      expect(await vault.password(alice.userId, entry.id, 'previous')).toBe(SECRET_PASSWORD);
      expect(await vault.totpSecret(alice.userId, entry.id)).toBe('KRSXG5CTMVRXEZLUKRSXG5A');

      const removed = await call(alice, 'PATCH', `/api/passwords/${entry.id}`, { totpSecret: null });
      expect(await removed.json()).toMatchObject({ hasTotp: false });
      expect(await vault.totpSecret(alice.userId, entry.id)).toBeNull();
    });

    it('DELETE removes the entry and its history; a running reset of it makes it 409', async () => {
      const { db } = get();
      const entry = await create(alice);
      const running = await create(alice);
      await db.task.create({
        data: {
          userId: alice.userId,
          serviceId: 'netflix',
          serviceName: 'Netflix',
          serviceUrl: 'https://www.netflix.com',
          email: 'ada@example.com',
          vaultEntryId: running.id,
          accountKey: `netflix:${randomUUID()}`,
          workflowId: `reset-${randomUUID()}`,
          status: 'waiting_for_email',
        },
      });
      expect((await call(alice, 'DELETE', `/api/passwords/${running.id}`)).status).toBe(409);

      const res = await call(alice, 'DELETE', `/api/passwords/${entry.id}`);
      expect(res.status).toBe(204);
      expect((await call(alice, 'GET', `/api/passwords/${entry.id}`)).status).toBe(404);
      expect(await db.passwordVersion.count({ where: { entryId: entry.id } })).toBe(0);
    });
  });

  describe('reveal', () => {
    it('needs sudo: 403 sudo_required without a grant, or with an expired one', async () => {
      const entry = await create(alice);
      const res = await call(alice, 'POST', `/api/passwords/${entry.id}/reveal`);
      expect(res.status).toBe(403);
      expect((await fieldOf(res)).code).toBe('sudo_required');

      const expired = await grantSudo(get().db, alice, -1_000);
      const late = await call({ cookie: expired }, 'POST', `/api/passwords/${entry.id}/reveal`);
      expect(late.status).toBe(403);
      expect((await fieldOf(late)).code).toBe('sudo_required');
    });

    it('with sudo: the current password, not cached, and an audit event', async () => {
      const { db } = get();
      const entry = await create(alice);
      const cookie = await grantSudo(db, alice);
      const res = await call({ cookie }, 'POST', `/api/passwords/${entry.id}/reveal`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.json()).toEqual({ password: SECRET_PASSWORD, state: 'current' });
      const events = await db.auditEvent.findMany({ where: { userId: alice.userId, action: 'vault.password_revealed' } });
      expect(events.some((e) => e.detail?.includes(entry.id))).toBe(true);
      expect(JSON.stringify(events)).not.toContain(SECRET_PASSWORD);
    });

    it('an API key cannot reveal (no sudo for keys)', async () => {
      const { db } = get();
      const entry = await create(alice);
      const key = `rk_${randomBytes(24).toString('base64url')}`;
      await db.apiKey.create({ data: { userId: alice.userId, name: 'script', prefix: key.slice(0, 10), keyHash: hashToken(key) } });
      const res = await t.app.request(`/api/passwords/${entry.id}/reveal`, { method: 'POST', headers: { authorization: `Bearer ${key}` } });
      expect(res.status).toBe(403);
      expect((await fieldOf(res)).code).toBe('sudo_required');
      // The key reads the vault, though.
      expect((await t.app.request(`/api/passwords/${entry.id}`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    });

    it("another person's entry is 404 even with sudo", async () => {
      const entry = await create(alice);
      const cookie = await grantSudo(get().db, bob);
      const res = await call({ cookie }, 'POST', `/api/passwords/${entry.id}/reveal`);
      expect(res.status).toBe(404);
    });
  });

  describe('a reset that ended unconfirmed: the person always has a way to the password that works', () => {
    const NEW_PASSWORD = 'new-Password-from-a-reset-99';
    /** A reset of the entry that ended as the workflow leaves one: completed, the new password still pending. */
    async function unconfirmedReset(who: Person, taskStatus = 'completed') {
      const { db, keyring } = { db: get().db, keyring: t.deps.keyring };
      const entry = await create(who);
      const task = await insertTaskRow(db, who.userId, { vaultEntryId: entry.id, status: taskStatus, confirmed: taskStatus === 'completed' ? false : null });
      await createVaultStore({ db, keyring }).addPending(who.userId, entry.id, task.id, NEW_PASSWORD);
      return { entry, task };
    }

    it('reveal shows the pending password, with its state, once its reset has ended', async () => {
      const { entry } = await unconfirmedReset(alice);
      const cookie = await grantSudo(get().db, alice);
      const res = await call({ cookie }, 'POST', `/api/passwords/${entry.id}/reveal`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ password: NEW_PASSWORD, state: 'pending' });
    });

    it('while its reset still runs, reveal shows the current password and nothing can be confirmed', async () => {
      const { entry } = await unconfirmedReset(alice, 'running');
      // The list and the entry say the same: nothing waits for the person yet.
      const listed = (await (await call(alice, 'GET', '/api/passwords?limit=100')).json()) as { items: { id: string; state: string }[] };
      expect(listed.items.find((i) => i.id === entry.id)?.state).toBe('current');
      expect(await (await call(alice, 'GET', `/api/passwords/${entry.id}`)).json()).toMatchObject({ state: 'current' });
      const cookie = await grantSudo(get().db, alice);
      expect(await (await call({ cookie }, 'POST', `/api/passwords/${entry.id}/reveal`)).json()).toEqual({ password: SECRET_PASSWORD, state: 'current' });
      expect((await call(alice, 'POST', `/api/passwords/${entry.id}/pending/confirm`)).status).toBe(409);
      expect((await call(alice, 'POST', `/api/passwords/${entry.id}/pending/discard`)).status).toBe(409);
    });

    it('"it works": the pending password becomes current, the old one previous, and the job says confirmed', async () => {
      const { db } = get();
      const { entry, task } = await unconfirmedReset(alice);
      const res = await call(alice, 'POST', `/api/passwords/${entry.id}/pending/confirm`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ id: entry.id, state: 'current' });
      const store = createVaultStore({ db, keyring: t.deps.keyring });
      expect(await store.password(alice.userId, entry.id, 'current')).toBe(NEW_PASSWORD);
      expect(await store.password(alice.userId, entry.id, 'previous')).toBe(SECRET_PASSWORD);
      expect((await db.task.findUniqueOrThrow({ where: { id: task.id } })).confirmed).toBe(true);
      expect((await call(alice, 'POST', `/api/passwords/${entry.id}/pending/confirm`)).status).toBe(409);
    });

    it('"use the previous one": the current password stays, the pending one is set aside but kept', async () => {
      const { db } = get();
      const { entry } = await unconfirmedReset(alice);
      const res = await call(alice, 'POST', `/api/passwords/${entry.id}/pending/discard`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ state: 'current' });
      const cookie = await grantSudo(db, alice);
      expect(await (await call({ cookie }, 'POST', `/api/passwords/${entry.id}/reveal`)).json()).toEqual({ password: SECRET_PASSWORD, state: 'current' });
      expect(await db.passwordVersion.count({ where: { entryId: entry.id, state: 'rejected' } })).toBe(1);
    });

    it("another person's entry is 404 for confirm and discard, and changes nothing", async () => {
      const { entry } = await unconfirmedReset(alice);
      expect((await call(bob, 'POST', `/api/passwords/${entry.id}/pending/confirm`)).status).toBe(404);
      expect((await call(bob, 'POST', `/api/passwords/${entry.id}/pending/discard`)).status).toBe(404);
      expect(await get().db.passwordVersion.count({ where: { entryId: entry.id, state: 'pending' } })).toBe(1);
    });

    it('a cross-origin confirm is refused before it changes anything', async () => {
      const { entry } = await unconfirmedReset(alice);
      const res = await call(alice, 'POST', `/api/passwords/${entry.id}/pending/confirm`, undefined, { origin: 'https://evil.example' });
      expect(res.status).toBe(403);
      expect(await get().db.passwordVersion.count({ where: { entryId: entry.id, state: 'pending' } })).toBe(1);
    });
  });

  describe('validation: 400 with the field named', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['a non-http URL', { url: 'ftp://example.com' }, 'url'],
      ['a URL that is not one', { url: 'not a url' }, 'url'],
      ['a URL with credentials in it', { url: 'https://ada:secret@example.com/' }, 'url'],
      ['a missing username', { username: undefined }, 'username'],
      ['an empty password', { password: '' }, 'password'],
      ['a bad email', { email: 'not-an-email' }, 'email'],
      ['a TOTP secret that is not base32', { totpSecret: 'not base32!' }, 'totpSecret'],
      ['a TOTP secret that is too short', { totpSecret: 'JBSWY3DP' }, 'totpSecret'],
      ['an HOTP URI', { totpSecret: `otpauth://hotp/x?secret=${TOTP}&counter=1` }, 'totpSecret'],
      ['an 8-digit TOTP URI', { totpSecret: `otpauth://totp/x?secret=${TOTP}&digits=8` }, 'totpSecret'],
      ['an unknown service', { serviceId: 'no-such-service' }, 'serviceId'],
    ];
    for (const [what, patch, field] of cases) {
      it(`POST: ${what}`, async () => {
        const body = { url: 'https://example.com', username: 'ada', password: 'pw', ...patch };
        const res = await call(alice, 'POST', '/api/passwords', JSON.parse(JSON.stringify(body)));
        expect(res.status).toBe(400);
        expect(await fieldOf(res)).toMatchObject({ code: 'validation_failed', field });
      });
    }

    it('PATCH: bad fields are named and nothing is written', async () => {
      const entry = await create(alice);
      for (const [body, field] of [
        [{ url: 'javascript:alert(1)' }, 'url'],
        [{ totpSecret: '1234' }, 'totpSecret'],
        [{ serviceId: 'nope-nope' }, 'serviceId'],
        [{ password: '' }, 'password'],
      ] as const) {
        const res = await call(alice, 'PATCH', `/api/passwords/${entry.id}`, { label: 'changed', ...body });
        expect(res.status).toBe(400);
        expect((await fieldOf(res)).field).toBe(field);
      }
      expect(await (await call(alice, 'GET', `/api/passwords/${entry.id}`)).json()).toMatchObject({ label: null });
    });

    it('a bad cursor or limit', async () => {
      expect(await fieldOf(await call(alice, 'GET', '/api/passwords?cursor=garbage'))).toMatchObject({ field: 'cursor' });
      expect(await fieldOf(await call(alice, 'GET', '/api/passwords?limit=0'))).toMatchObject({ field: 'limit' });
    });
  });

  describe('security', () => {
    it('401 without credentials on every route', async () => {
      const entry = await create(alice);
      for (const [method, path] of [
        ['GET', '/api/passwords'],
        ['POST', '/api/passwords'],
        ['GET', `/api/passwords/${entry.id}`],
        ['PATCH', `/api/passwords/${entry.id}`],
        ['DELETE', `/api/passwords/${entry.id}`],
        ['POST', `/api/passwords/${entry.id}/reveal`],
      ]) {
        const res = await call(null, method!, path!, method === 'GET' ? undefined : {});
        expect(res.status, `${method} ${path}`).toBe(401);
      }
    });

    it('403 for a cookie-authenticated write from another origin, before anything changes', async () => {
      const entry = await create(alice);
      const evil = { origin: 'https://evil.example' };
      const cookie = await grantSudo(get().db, alice);
      for (const [method, path, body] of [
        ['POST', '/api/passwords', { url: 'https://example.com', username: 'x', password: 'y' }],
        ['PATCH', `/api/passwords/${entry.id}`, { label: 'evil' }],
        ['DELETE', `/api/passwords/${entry.id}`, undefined],
        ['POST', `/api/passwords/${entry.id}/reveal`, undefined],
      ] as const) {
        const res = await call({ cookie }, method, path, body, evil);
        expect(res.status, `${method} ${path}`).toBe(403);
        expect((await fieldOf(res)).code).toBe('csrf_rejected');
      }
      expect(await (await call(alice, 'GET', `/api/passwords/${entry.id}`)).json()).toMatchObject({ label: null });
    });

    it("404 for another person's entry, like an unknown id", async () => {
      const entry = await create(alice);
      for (const [method, body] of [
        ['GET', undefined],
        ['PATCH', { label: 'mine now' }],
        ['DELETE', undefined],
      ] as const) {
        const theirs = await call(bob, method, `/api/passwords/${entry.id}`, body);
        const unknown = await call(bob, method, `/api/passwords/${randomUUID()}`, body);
        expect(theirs.status, method).toBe(404);
        expect(unknown.status).toBe(404);
        expect(await theirs.json()).toEqual(await unknown.json());
      }
      const list = (await (await call(bob, 'GET', '/api/passwords')).json()) as { items: { id: string }[] };
      expect(list.items.map((i) => i.id)).not.toContain(entry.id);
      expect((await call(alice, 'GET', `/api/passwords/${entry.id}`)).status).toBe(200);
    });
  });
});
