// Listing and revoking sessions; revocation bites on the next request.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHarness, errorCode, PASSWORD, type Harness } from './auth-support.js';
import { forEachDatabase } from '../support/test-db.js';

forEachDatabase('sessions', (get) => {
  let h: Harness;
  beforeAll(() => {
    h = createHarness({ db: get().db, url: get().url });
  });
  afterAll(() => h.close());

  const signInAgain = async (email: string, userAgent?: string) => {
    const b = h.browser({ userAgent });
    expect((await b.post('/api/auth/signin', { email, password: PASSWORD })).status).toBe(200);
    return b;
  };

  it('GET lists live sessions with device, address, times and the caller marked current', async () => {
    const { browser, email } = await h.signUp();
    const phone = await signInAgain(
      email,
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    );
    const res = await browser.get('/api/auth/sessions');
    expect(res.status).toBe(200);
    const { items, nextCursor } = await res.json();
    expect(nextCursor).toBeNull();
    expect(items).toHaveLength(2);
    const mine = items.find((s: { current: boolean }) => s.current);
    expect(mine).toMatchObject({ device: 'Firefox on Linux', ip: browser.ip, current: true });
    expect(items.find((s: { current: boolean }) => !s.current)).toMatchObject({ device: 'Safari on iPhone', ip: phone.ip });
    for (const s of items) {
      expect(Object.keys(s).sort()).toEqual(['createdAt', 'current', 'device', 'expiresAt', 'id', 'ip', 'lastSeenAt', 'userAgent']);
    }
  });

  it('paginates with limit and cursor', async () => {
    const { browser, email } = await h.signUp();
    for (let i = 0; i < 3; i++) {
      h.clock.advance(1_000);
      await signInAgain(email);
    }
    const first = await (await browser.get('/api/auth/sessions?limit=3')).json();
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await (await browser.get(`/api/auth/sessions?limit=3&cursor=${first.nextCursor}`)).json();
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    const ids = [...first.items, ...second.items].map((s: { id: string }) => s.id);
    expect(new Set(ids).size).toBe(4);
    expect((await browser.get('/api/auth/sessions?cursor=garbage')).status).toBe(400);
  });

  it('DELETE revokes another device; its very next request is anonymous', async () => {
    const { browser, email, userId } = await h.signUp();
    const other = await signInAgain(email);
    expect((await other.get('/api/auth/me')).status).toBe(200);
    const { items } = await (await browser.get('/api/auth/sessions')).json();
    const target = items.find((s: { current: boolean }) => !s.current);
    const res = await browser.delete(`/api/auth/sessions/${target.id}`);
    expect(res.status).toBe(204);
    expect((await other.get('/api/auth/me')).status).toBe(401);
    expect((await browser.get('/api/auth/me')).status).toBe(200);
    expect(await get().db.auditEvent.count({ where: { userId, action: 'session.revoked' } })).toBe(1);
    // Already revoked: gone.
    expect((await browser.delete(`/api/auth/sessions/${target.id}`)).status).toBe(404);
  });

  it("DELETE of another person's session is 404, the same as a made-up id, and changes nothing", async () => {
    const alice = await h.signUp();
    const bob = await h.signUp();
    const bobs = await (await bob.browser.get('/api/auth/sessions')).json();
    const res = await alice.browser.delete(`/api/auth/sessions/${bobs.items[0].id}`);
    expect(res.status).toBe(404);
    const made = await alice.browser.delete('/api/auth/sessions/00000000-0000-4000-8000-000000000000');
    expect(made.status).toBe(404);
    expect(await res.json()).toEqual(await made.json());
    expect((await bob.browser.get('/api/auth/me')).status).toBe(200);
  });

  it('DELETE of the own session signs this browser out', async () => {
    const { browser } = await h.signUp();
    const { items } = await (await browser.get('/api/auth/sessions')).json();
    const res = await browser.delete(`/api/auth/sessions/${items[0].id}`);
    expect(res.status).toBe(204);
    expect((await browser.get('/api/auth/me')).status).toBe(401);
  });

  it('revoke-others keeps the caller and returns the count', async () => {
    const { browser, email } = await h.signUp();
    const others = [await signInAgain(email), await signInAgain(email)];
    const res = await browser.post('/api/auth/sessions/revoke-others');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ revoked: 2 });
    for (const o of others) expect((await o.get('/api/auth/me')).status).toBe(401);
    expect((await browser.get('/api/auth/me')).status).toBe(200);
  });

  it('revoke-others with an API key revokes every session', async () => {
    const { browser, email } = await h.signUp();
    await signInAgain(email);
    await browser.sudo();
    const { key } = await (await browser.post('/api/api-keys', { name: 'ops' })).json();
    const res = await h.browser().post('/api/auth/sessions/revoke-others', undefined, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ revoked: 2 });
    expect((await browser.get('/api/auth/me')).status).toBe(401);
  });

  it('all three need a signed-in caller', async () => {
    const anon = h.browser();
    expect((await anon.get('/api/auth/sessions')).status).toBe(401);
    expect((await anon.delete('/api/auth/sessions/x')).status).toBe(401);
    const res = await anon.post('/api/auth/sessions/revoke-others');
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('unauthorized');
  });

  it('a revoked session loses its sudo grant too', async () => {
    const { browser, email } = await h.signUp();
    const other = await signInAgain(email);
    await other.sudo();
    await browser.post('/api/auth/sessions/revoke-others');
    expect((await other.post('/api/api-keys', { name: 'x' })).status).toBe(401);
  });
});
