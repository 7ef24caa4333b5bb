// CSRF (programmatic-surface.txt): every unsafe route of the full app, found
// by walking the router, refuses a cookie-authenticated request from a foreign
// Origin with 403 before anything runs. No Origin and the app's own Origin
// pass; API-key (Bearer) requests are exempt.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHarness, PASSWORD, type Harness } from './auth-support.js';
import { forEachDatabase } from '../support/test-db.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const EVIL = 'https://evil.example';
const ID = '00000000-0000-4000-8000-000000000000';

/** Every unsafe method+path the app routes (middleware entries are method ALL). */
function unsafeRoutes(h: Harness): { method: string; path: string }[] {
  const seen = new Map<string, { method: string; path: string }>();
  for (const r of h.app.routes) {
    if (!UNSAFE.has(r.method)) continue;
    const path = r.path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, ID).replace(/\*/g, 'x');
    seen.set(`${r.method} ${path}`, { method: r.method, path });
  }
  return [...seen.values()];
}

/** Rows per table: any side effect of a refused request would change one. */
async function snapshot(h: Harness) {
  const { db } = h.deps;
  const [users, sessions, liveSessions, apiKeys, liveKeys, audit, buckets, tokens, tasks, vault, mailboxes, webhooks, challenges] = await Promise.all([
    db.user.findMany({ select: { id: true, passwordHash: true, totpEnabledAt: true, emailVerifiedAt: true, updatedAt: true } }),
    db.session.count(),
    db.session.count({ where: { revokedAt: null } }),
    db.apiKey.count(),
    db.apiKey.count({ where: { revokedAt: null } }),
    db.auditEvent.count(),
    db.rateLimitBucket.findMany({ select: { key: true, count: true } }),
    db.accountToken.count(),
    db.task.count(),
    db.vaultEntry.count(),
    db.mailbox.count(),
    db.webhook.count(),
    db.mfaChallenge.count(),
  ]);
  return { users, sessions, liveSessions, apiKeys, liveKeys, audit, buckets, tokens, tasks, vault, mailboxes, webhooks, challenges };
}

forEachDatabase('CSRF on every unsafe route', (get) => {
  let h: Harness;
  beforeAll(() => {
    h = createHarness({ db: get().db, url: get().url, env: { CRON_SECRET: 'cron-secret-0123456789abcdef' } });
  });
  afterAll(() => h.close());

  it('finds the account routes among them', () => {
    const names = unsafeRoutes(h).map((r) => `${r.method} ${r.path}`);
    for (const expected of [
      'POST /api/auth/signup',
      'POST /api/auth/signin',
      'POST /api/auth/signin/mfa',
      'POST /api/auth/signout',
      'POST /api/auth/sudo',
      `DELETE /api/auth/sessions/${ID}`,
      'POST /api/auth/sessions/revoke-others',
      'POST /api/api-keys',
      `DELETE /api/api-keys/${ID}`,
      'POST /api/account/forgot-password',
      'POST /api/account/reset-password',
      'POST /api/account/change-password',
      'POST /api/account/verify-email/start',
      'POST /api/account/verify-email/confirm',
      'POST /api/account/2fa/setup',
      'POST /api/account/2fa/enable',
      'POST /api/account/2fa/verify',
      'POST /api/account/2fa/disable',
      'DELETE /api/account',
      'POST /api/cron/retention',
    ]) {
      expect(names).toContain(expected);
    }
  });

  it('a signed-in browser (with sudo) from a foreign Origin gets 403 on each, with no side effect', async () => {
    const { browser } = await h.signUp();
    await browser.sudo();
    const { key } = await (await browser.post('/api/api-keys', { name: 'k' })).json();
    const before = await snapshot(h);
    const routes = unsafeRoutes(h);
    expect(routes.length).toBeGreaterThan(20);
    for (const { method, path } of routes) {
      if (path.startsWith('/api/hooks/in/')) continue; // HMAC-verified receivers are exempt by design
      for (const origin of [EVIL, 'null', 'http://localhost:3000.evil.example', 'http://localhost:3001']) {
        const res = await browser.send(method, path, { email: 'x@example.com', password: PASSWORD, code: '123456', token: 't', name: 'n' }, { headers: { origin } });
        expect(res.status, `${method} ${path} from ${origin}`).toBe(403);
        expect((await res.json()).error.code, `${method} ${path}`).toBe('csrf_rejected');
      }
    }
    expect(await snapshot(h)).toEqual(before);
    // The browser is still signed in, with sudo; the key still works.
    expect((await browser.get('/api/auth/me')).status).toBe(200);
    expect((await browser.post('/api/api-keys', { name: 'still sudo' })).status).toBe(201);
    expect((await h.browser().get('/api/auth/me', { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
  });

  it('passes requests with no Origin and with the app’s own Origin (every route)', async () => {
    // Anonymous, so nothing can be changed: only that CSRF did not answer.
    for (const { method, path } of unsafeRoutes(h)) {
      for (const headers of [{}, { origin: 'http://localhost:3000' }] as Record<string, string>[]) {
        const res = await h.browser().send(method, path, {}, { headers });
        const body = res.headers.get('content-type')?.includes('json') ? await res.json() : {};
        expect(body?.error?.code, `${method} ${path} ${JSON.stringify(headers)}`).not.toBe('csrf_rejected');
      }
    }
  });

  it('cookie-authenticated requests pass with the own Origin and with none', async () => {
    const { browser, email } = await h.signUp();
    const other = h.browser();
    await other.post('/api/auth/signin', { email, password: PASSWORD });
    const own = await browser.post('/api/auth/sessions/revoke-others', undefined, { headers: { origin: 'http://localhost:3000' } });
    expect(own.status).toBe(200);
    expect(await own.json()).toEqual({ revoked: 1 });
    const none = await browser.post('/api/auth/signout');
    expect(none.status).toBe(200);
    expect((await browser.get('/api/auth/me')).status).toBe(401);
  });

  it('in development the app’s own origin passes under 127.0.0.1 as under localhost (same scheme and port only)', async () => {
    expect(h.deps.config.production).toBe(false);
    const { browser } = await h.signUp();
    for (const origin of ['http://127.0.0.1:3000', 'http://localhost:3000']) {
      const res = await browser.post('/api/auth/sessions/revoke-others', undefined, { headers: { origin } });
      expect(res.status, origin).toBe(200);
    }
    for (const origin of ['http://127.0.0.1:3001', 'https://127.0.0.1:3000', 'http://127.0.0.2:3000', 'http://[::2]:3000']) {
      const res = await browser.post('/api/auth/sessions/revoke-others', undefined, { headers: { origin } });
      expect(res.status, origin).toBe(403);
      expect((await res.json()).error.code).toBe('csrf_rejected');
    }
  });

  it('in production only APP_ORIGIN itself passes: its loopback twin is cross-origin', async () => {
    const prod = createHarness({ db: get().db, url: get().url, env: { NODE_ENV: 'production' } });
    try {
      expect(prod.deps.config.production).toBe(true);
      const { browser } = await prod.signUp();
      const twin = await browser.post('/api/auth/sessions/revoke-others', undefined, { headers: { origin: 'http://127.0.0.1:3000' } });
      expect(twin.status).toBe(403);
      expect((await twin.json()).error.code).toBe('csrf_rejected');
      const own = await browser.post('/api/auth/sessions/revoke-others', undefined, { headers: { origin: 'http://localhost:3000' } });
      expect(own.status).toBe(200);
    } finally {
      await prod.close();
    }
  });

  it('an API key with a foreign Origin passes CSRF (every route)', async () => {
    const { browser } = await h.signUp();
    await browser.sudo();
    const { key } = await (await browser.post('/api/api-keys', { name: 'script' })).json();
    const res = await h.browser().post('/api/auth/sessions/revoke-others', undefined, { headers: { authorization: `Bearer ${key}`, origin: EVIL } });
    expect(res.status).toBe(200);
    for (const { method, path } of unsafeRoutes(h)) {
      if (method === 'DELETE' && path === '/api/account') continue; // (sudo-gated anyway)
      const r = await h.browser().send(method, path, {}, { headers: { authorization: `Bearer ${key}`, origin: EVIL } });
      const body = r.headers.get('content-type')?.includes('json') ? await r.json() : {};
      expect(body?.error?.code, `${method} ${path}`).not.toBe('csrf_rejected');
    }
  });
});
