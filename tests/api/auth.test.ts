// Sign-up, sign-in, sign-out and /me: happy paths, errors, cookie attributes,
// and that unknown accounts look exactly like wrong passwords.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costLabel, createHarness, PASSWORD, POLL, uniqueEmail, type Harness } from './auth-support.js';
import { forEachDatabase, onDatabase } from '../support/test-db.js';

forEachDatabase('auth: sign-up, sign-in, sign-out, me', (get) => {
  let h: Harness;
  beforeAll(() => {
    h = createHarness({ db: get().db, url: get().url });
  });
  afterAll(() => h.close());

  describe('POST /api/auth/signup', () => {
    it('creates the account, answers 201 {user} and sets an httpOnly SameSite=Lax session cookie', async () => {
      const email = uniqueEmail();
      const b = h.browser();
      const res = await b.post('/api/auth/signup', { email: email.toUpperCase(), password: PASSWORD, name: 'Ada' });
      expect(res.status).toBe(201);
      const body = await res.json();
      expect(body).toEqual({
        user: { id: expect.any(String), email, name: 'Ada', role: 'user', emailVerified: false, twoFactorEnabled: false, createdAt: expect.any(String) },
      });
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('authjs.session-token='))!;
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      expect(cookie).toMatch(/Path=\//);
      expect(cookie).not.toMatch(/Secure/i); // http:// origin in tests
      const token = b.cookies.get('authjs.session-token')!;
      // Only the hash is stored.
      const row = await get().db.session.findFirstOrThrow({ where: { userId: body.user.id } });
      expect(row.tokenHash).not.toBe(token);
      expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
      const me = await b.get('/api/auth/me');
      expect(me.status).toBe(200);
      expect((await me.json()).user.email).toBe(email);
      // argon2id at rest
      const user = await get().db.user.findUniqueOrThrow({ where: { email } });
      expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    });

    it('sends a verification email', async () => {
      const { email } = await h.signUp();
      await expect.poll(() => h.outbox.find((m) => m.to === email && /Confirm/.test(m.subject)), POLL).toBeTruthy();
      const mail = h.outbox.find((m) => m.to === email)!;
      expect(mail.text).toContain('http://localhost:3000/verify-email#token=');
      expect(mail.html).toContain('<a href="http://localhost:3000/verify-email#token=');
    });

    it('refuses weak passwords: too short, too long, the email itself (400, field named)', async () => {
      const email = uniqueEmail();
      for (const password of ['short', 'x'.repeat(257), email, email.toUpperCase()]) {
        const res = await h.browser().post('/api/auth/signup', { email, password });
        expect(res.status).toBe(400);
        expect((await res.json()).error.field).toBe('password');
      }
      const local = 'longlocalpart';
      const res = await h.browser().post('/api/auth/signup', { email: `${local}@example.com`, password: local });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ code: 'validation_failed', field: 'password' });
    });

    it('400 names the field for an invalid body', async () => {
      const res = await h.browser().post('/api/auth/signup', { email: 'not-an-email', password: PASSWORD });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ code: 'validation_failed', field: 'email' });
    });

    it('an existing address gets 409 email_taken, creates nothing, and its owner is told by email', async () => {
      const { email, userId } = await h.signUp();
      const res = await h.browser().post('/api/auth/signup', { email, password: 'another password 123' });
      expect(res.status).toBe(409);
      expect(await res.json()).toEqual({ error: { code: 'email_taken', message: expect.any(String), field: 'email' } });
      expect(res.headers.getSetCookie()).toEqual([]);
      expect(await get().db.user.count({ where: { email } })).toBe(1);
      const user = await get().db.user.findUniqueOrThrow({ where: { id: userId } });
      expect(user.passwordHash).toBeTruthy();
      await expect.poll(() => h.outbox.some((m) => m.to === email && /Sign-up attempt/.test(m.subject)), POLL).toBe(true);
    });
  });

  describe('POST /api/auth/signin', () => {
    it('signs in with the right password (any case of the email) and records it', async () => {
      const { email, userId } = await h.signUp();
      const b = h.browser();
      const res = await b.post('/api/auth/signin', { email: ` ${email.toUpperCase()} `, password: PASSWORD });
      expect(res.status).toBe(200);
      expect((await res.json()).user.id).toBe(userId);
      expect(b.cookies.get('authjs.session-token')).toBeTruthy();
      expect((await b.get('/api/auth/me')).status).toBe(200);
      const events = await get().db.auditEvent.findMany({ where: { userId, action: 'auth.signin' } });
      expect(events).toHaveLength(1);
      expect(events[0]!.ip).toBe(b.ip);
      expect(events[0]!.detail).not.toContain(PASSWORD);
    });

    it('wrong password and unknown email: the same 401 body, no cookie, both audited', async () => {
      const { email, userId } = await h.signUp();
      const wrong = await h.browser().post('/api/auth/signin', { email, password: 'wrong password!!' });
      const unknown = await h.browser().post('/api/auth/signin', { email: uniqueEmail(), password: 'wrong password!!' });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(await wrong.json()).toEqual(await unknown.json());
      expect(wrong.headers.getSetCookie()).toEqual([]);
      expect(unknown.headers.getSetCookie()).toEqual([]);
      const failed = await get().db.auditEvent.findMany({ where: { action: 'auth.signin_failed' } });
      expect(failed.some((e) => e.userId === userId)).toBe(true);
      expect(failed.some((e) => e.userId === null)).toBe(true);
      expect(failed.every((e) => !e.detail?.includes('wrong password!!'))).toBe(true);
    });

    it('400 names the field for an invalid body', async () => {
      const res = await h.browser().post('/api/auth/signin', { email: 'a@example.com' });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ code: 'validation_failed', field: 'password' });
      expect((await h.browser().post('/api/auth/signin', { email: 'a@example.com', password: 'x'.repeat(257) })).status).toBe(400);
    });

    it('rehashes a password stored with an older cost on the next sign-in', async () => {
      const { email, userId } = await h.signUp();
      const argon2 = await import('argon2');
      await get().db.user.update({
        where: { id: userId },
        data: { passwordHash: await argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 512, timeCost: 1, parallelism: 1 }) },
      });
      expect((await h.browser().post('/api/auth/signin', { email, password: PASSWORD })).status).toBe(200);
      const user = await get().db.user.findUniqueOrThrow({ where: { id: userId } });
      expect(user.passwordHash).toContain('m=1024');
    });
  });

  describe('POST /api/auth/signout and GET /api/auth/me', () => {
    it('revokes this session and clears the cookies; the old cookie is anonymous afterwards', async () => {
      const { browser, userId } = await h.signUp();
      const token = browser.cookies.get('authjs.session-token')!;
      const res = await browser.post('/api/auth/signout');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true });
      expect(res.headers.getSetCookie().some((c) => /^authjs\.session-token=;/.test(c) && /Max-Age=0/i.test(c))).toBe(true);
      const stale = await h.browser().get('/api/auth/me', { headers: { cookie: `authjs.session-token=${token}` } });
      expect(stale.status).toBe(401);
      const session = await get().db.session.findFirstOrThrow({ where: { userId } });
      expect(session.revokedAt).not.toBeNull();
      expect(await get().db.auditEvent.count({ where: { userId, action: 'auth.signout' } })).toBe(1);
    });

    it('sign-out without a session is still 200', async () => {
      expect((await h.browser().post('/api/auth/signout')).status).toBe(200);
    });

    it('me without a session is 401 in the one error shape', async () => {
      const res = await h.browser().get('/api/auth/me');
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    });

    it('a made-up cookie is anonymous', async () => {
      const res = await h.browser().get('/api/auth/me', { headers: { cookie: 'authjs.session-token=forged' } });
      expect(res.status).toBe(401);
    });

    it('sessions slide: use pushes the expiry out; an unused session expires after 30 days', async () => {
      const { browser, userId } = await h.signUp();
      const before = await get().db.session.findFirstOrThrow({ where: { userId } });
      h.clock.advance(20 * 24 * 3_600_000);
      expect((await browser.get('/api/auth/me')).status).toBe(200);
      const after = await get().db.session.findFirstOrThrow({ where: { userId } });
      expect(after.expiresAt.getTime()).toBeGreaterThan(before.expiresAt.getTime() + 19 * 24 * 3_600_000);
      h.clock.advance(31 * 24 * 3_600_000);
      expect((await browser.get('/api/auth/me')).status).toBe(401);
    });
  });
});

forEachDatabase('auth over HTTPS', (get) => {
  let h: Harness;
  beforeAll(() => {
    h = createHarness({ db: get().db, url: get().url, env: { APP_ORIGIN: 'https://rekey.example' } });
  });
  afterAll(() => h.close());

  it('uses the __Secure- cookie name with Secure', async () => {
    const res = await h.browser().post('/api/auth/signup', { email: uniqueEmail(), password: PASSWORD });
    expect(res.status).toBe(201);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Secure-authjs.session-token='))!;
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });
});

// The argon2 work is counted, not timed (timing a loaded machine proves
// nothing either way): the same verifications at the same cost take the same
// time. The wall-clock figures are in `npm run bench:auth`. The property does
// not depend on the database, so one is enough.
onDatabase('sqlite', 'sign-in and sign-up do the same argon2 work whether or not the account exists', (get) => {
  let h: Harness;
  let cost: string;
  beforeAll(() => {
    h = createHarness({ db: get().db, url: get().url });
    cost = costLabel(h.deps.config.passwordHashing);
  });
  afterAll(() => h.close());

  const signIn = async (email: string) => {
    const res = await h.browser().post('/api/auth/signin', { email, password: 'not the password' });
    expect(res.status).toBe(401);
    h.clock.advance(16 * 60_000); // stay under the per-account limit
  };

  it('an unknown email pays one verification at the configured cost, as a wrong password does', async () => {
    const { email } = await h.signUp();
    await signIn(uniqueEmail()); // the first one also makes the dummy hash, once per process
    const oneVerification = [{ kind: 'verify', cost }];
    for (let i = 0; i < 3; i++) {
      expect(await h.hasher.during(() => signIn(email)), 'wrong password').toEqual(oneVerification);
      expect(await h.hasher.during(() => signIn(uniqueEmail())), 'unknown email').toEqual(oneVerification);
    }
  });

  it('signing up with a taken address pays the same hash as a new sign-up', async () => {
    const { email } = await h.signUp();
    const signUp = async (e: string, status: number) => {
      const res = await h.browser().post('/api/auth/signup', { email: e, password: PASSWORD });
      expect(res.status).toBe(status);
    };
    const oneHash = [{ kind: 'hash', cost }];
    expect(await h.hasher.during(() => signUp(uniqueEmail(), 201)), 'new address').toEqual(oneHash);
    expect(await h.hasher.during(() => signUp(email, 409)), 'taken address').toEqual(oneHash);
  });
});

onDatabase('sqlite', 'OpenAPI document', (get) => {
  let h: Harness;
  beforeAll(() => {
    h = createHarness({ db: get().db, url: get().url });
  });
  afterAll(() => h.close());

  it('documents every account route with its body schema, responses and security', async () => {
    const doc = await (await h.browser().get('/api/openapi.json')).json();
    const expected: [string, string, number[]][] = [
      ['/api/auth/signup', 'post', [201, 400, 409, 429]],
      ['/api/auth/signin', 'post', [200, 400, 401, 429]],
      ['/api/auth/signin/mfa', 'post', [200, 400, 401, 429]],
      ['/api/auth/signout', 'post', [200]],
      ['/api/auth/me', 'get', [200, 401]],
      ['/api/auth/sudo', 'post', [200, 400, 401, 403, 429]],
      ['/api/auth/sessions', 'get', [200, 401]],
      ['/api/auth/sessions/{id}', 'delete', [204, 401, 404]],
      ['/api/auth/sessions/revoke-others', 'post', [200, 401]],
      ['/api/api-keys', 'get', [200, 401]],
      ['/api/api-keys', 'post', [201, 400, 401, 403]],
      ['/api/api-keys/{id}', 'delete', [204, 401, 404]],
      ['/api/account/forgot-password', 'post', [200, 400, 429]],
      ['/api/account/reset-password', 'post', [200, 400, 404, 409, 410]],
      ['/api/account/change-password', 'post', [200, 400, 401, 409, 429]],
      ['/api/account/verify-email/start', 'post', [200, 401, 429]],
      ['/api/account/verify-email/confirm', 'post', [200, 400, 404, 409, 410]],
      ['/api/account/2fa/setup', 'post', [200, 401, 409]],
      ['/api/account/2fa/enable', 'post', [200, 400, 401, 409]],
      ['/api/account/2fa/verify', 'post', [200, 400, 401, 409, 429]],
      ['/api/account/2fa/disable', 'post', [200, 400, 401, 403, 409, 429]],
      ['/api/account/export', 'get', [200, 401]],
      ['/api/account', 'delete', [204, 401, 403]],
      ['/api/cron/retention', 'post', [200, 401, 503]],
    ];
    for (const [path, method, statuses] of expected) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(Object.keys(op.responses).map(Number).sort()).toEqual(statuses);
    }
    expect(doc.paths['/api/auth/signup'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/SignUpRequest' });
    expect(doc.components.schemas.SignUpRequest.required).toEqual(['email', 'password']);
    expect(doc.components.securitySchemes).toMatchObject({ sessionCookie: { in: 'cookie' }, apiKey: { scheme: 'bearer' } });
    expect(doc.paths['/api/api-keys'].post.security).toEqual([{ sessionCookie: [] }]);
  });
});
