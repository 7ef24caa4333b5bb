// API keys: created once with sudo, stored hashed, used as Bearer, revoked.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashToken } from '../../lib/crypto.js';
import { createHarness, errorCode, type Harness } from './auth-support.js';
import { forEachDatabase } from '../support/test-db.js';

forEachDatabase('API keys', (get) => {
  let h: Harness;
  beforeAll(() => {
    h = createHarness({ db: get().db, url: get().url });
  });
  afterAll(() => h.close());

  const bearer = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });

  it('POST (with sudo) returns the key once: rk_ + random, stored as a hash with a display prefix', async () => {
    const { browser, userId } = await h.signUp();
    await browser.sudo();
    const res = await browser.post('/api/api-keys', { name: 'backup script' });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.key).toMatch(/^rk_[A-Za-z0-9_-]{43}$/);
    expect(body.apiKey).toEqual({
      id: expect.any(String),
      name: 'backup script',
      prefix: body.key.slice(0, 11),
      createdAt: expect.any(String),
      lastUsedAt: null,
      expiresAt: null,
    });
    const row = await get().db.apiKey.findUniqueOrThrow({ where: { id: body.apiKey.id } });
    expect(row.keyHash).toBe(hashToken(body.key));
    expect(JSON.stringify(row)).not.toContain(body.key);
    const list = await (await browser.get('/api/api-keys')).json();
    expect(list.items).toEqual([body.apiKey]);
    expect(JSON.stringify(list)).not.toContain(body.key);
    expect(await get().db.auditEvent.count({ where: { userId, action: 'api_key.created' } })).toBe(1);
    const event = await get().db.auditEvent.findFirstOrThrow({ where: { userId, action: 'api_key.created' } });
    expect(event.detail).not.toContain(body.key);
  });

  it('authenticates as Bearer (and records lastUsedAt); a wrong key is 401', async () => {
    const { browser, userId } = await h.signUp();
    await browser.sudo();
    const { key, apiKey } = await (await browser.post('/api/api-keys', { name: 'k' })).json();
    const me = await h.browser().get('/api/auth/me', bearer(key));
    expect(me.status).toBe(200);
    expect((await me.json()).user.id).toBe(userId);
    expect((await get().db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).lastUsedAt).not.toBeNull();
    const wrong = await h.browser().get('/api/auth/me', bearer(`${key}x`));
    expect(wrong.status).toBe(401);
  });

  it('expires at expiresAt; a past expiry is refused at creation', async () => {
    const { browser } = await h.signUp();
    await browser.sudo();
    const expiresAt = new Date(h.clock.now().getTime() + 3_600_000).toISOString();
    const { key } = await (await browser.post('/api/api-keys', { name: 'short-lived', expiresAt })).json();
    expect((await h.browser().get('/api/auth/me', bearer(key))).status).toBe(200);
    h.clock.advance(3_600_000 + 1);
    expect((await h.browser().get('/api/auth/me', bearer(key))).status).toBe(401);
    await browser.sudo();
    const past = await browser.post('/api/api-keys', { name: 'x', expiresAt: new Date(h.clock.now().getTime() - 1000).toISOString() });
    expect(past.status).toBe(400);
    expect((await past.json()).error.field).toBe('expiresAt');
  });

  it('validation: 400 with the field named', async () => {
    const { browser } = await h.signUp();
    await browser.sudo();
    const res = await browser.post('/api/api-keys', { name: '' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.field).toBe('name');
  });

  it('creation without sudo is 403 sudo_required; with an API key too', async () => {
    const { browser } = await h.signUp();
    const res = await browser.post('/api/api-keys', { name: 'x' });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe('sudo_required');
    await browser.sudo();
    const { key } = await (await browser.post('/api/api-keys', { name: 'k' })).json();
    const viaKey = await h.browser().post('/api/api-keys', { name: 'x' }, bearer(key));
    expect(viaKey.status).toBe(403);
  });

  it('DELETE revokes: the next request with the key is 401; it leaves the list', async () => {
    const { browser, userId } = await h.signUp();
    await browser.sudo();
    const { key, apiKey } = await (await browser.post('/api/api-keys', { name: 'k' })).json();
    expect((await browser.delete(`/api/api-keys/${apiKey.id}`)).status).toBe(204);
    expect((await h.browser().get('/api/auth/me', bearer(key))).status).toBe(401);
    expect((await (await browser.get('/api/api-keys')).json()).items).toEqual([]);
    expect((await browser.delete(`/api/api-keys/${apiKey.id}`)).status).toBe(404);
    expect(await get().db.auditEvent.count({ where: { userId, action: 'api_key.revoked' } })).toBe(1);
  });

  it("another person's key: 404 like a made-up id, still works for its owner", async () => {
    const alice = await h.signUp();
    const bob = await h.signUp();
    await bob.browser.sudo();
    const { key, apiKey } = await (await bob.browser.post('/api/api-keys', { name: 'bob' })).json();
    const res = await alice.browser.delete(`/api/api-keys/${apiKey.id}`);
    expect(res.status).toBe(404);
    const made = await alice.browser.delete('/api/api-keys/00000000-0000-4000-8000-000000000000');
    expect(await res.json()).toEqual(await made.json());
    expect((await h.browser().get('/api/auth/me', bearer(key))).status).toBe(200);
    expect((await (await alice.browser.get('/api/api-keys')).json()).items).toEqual([]);
  });

  it('a key can list and revoke keys (including itself)', async () => {
    const { browser } = await h.signUp();
    await browser.sudo();
    const { key, apiKey } = await (await browser.post('/api/api-keys', { name: 'self' })).json();
    const list = await h.browser().get('/api/api-keys', bearer(key));
    expect((await list.json()).items).toHaveLength(1);
    expect((await h.browser().delete(`/api/api-keys/${apiKey.id}`, bearer(key))).status).toBe(204);
    expect((await h.browser().get('/api/api-keys', bearer(key))).status).toBe(401);
  });

  it('needs a signed-in caller', async () => {
    expect((await h.browser().get('/api/api-keys')).status).toBe(401);
    expect((await h.browser().post('/api/api-keys', { name: 'x' })).status).toBe(401);
    expect((await h.browser().delete('/api/api-keys/x')).status).toBe(401);
  });
});
