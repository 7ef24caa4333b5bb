// Sudo: a fresh password check, a SameSite=Strict cookie bound to the session,
// 5 minutes long. API-key creation, account deletion and 2FA disable refuse
// without it (403 sudo_required), and again once it is 5 minutes old.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, enableTwoFactor, errorCode, PASSWORD, type Browser, type Harness } from './auth-support.js';
import { forEachDatabase } from '../support/test-db.js';

forEachDatabase('sudo', (get) => {
  let h: Harness;
  beforeAll(() => {
    h = createHarness({ db: get().db, url: get().url });
  });
  afterAll(() => h.close());

  const gated: { name: string; call: (b: Browser) => Promise<Response> }[] = [
    { name: 'POST /api/api-keys', call: (b) => b.post('/api/api-keys', { name: 'script' }) },
    { name: 'DELETE /api/account', call: (b) => b.delete('/api/account') },
    { name: 'POST /api/account/2fa/disable', call: (b) => b.post('/api/account/2fa/disable', { password: PASSWORD }) },
  ];

  it('sets an httpOnly, SameSite=Strict, 5-minute cookie and stores only its hash on the session', async () => {
    const { browser, userId } = await h.signUp();
    const res = await browser.post('/api/auth/sudo', { password: PASSWORD });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.ok).toBe(true);
    expect(new Date(body.sudoUntil).getTime() - h.clock.now().getTime()).toBeGreaterThan(4.9 * 60_000);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('rekey.sudo='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Max-Age=300/i);
    expect(cookie).toMatch(/Path=\//);
    const session = await get().db.session.findFirstOrThrow({ where: { userId } });
    expect(session.sudoHash).toMatch(/^[0-9a-f]{64}$/);
    expect(session.sudoHash).not.toBe(browser.cookies.get('rekey.sudo'));
    expect(await get().db.auditEvent.count({ where: { userId, action: 'auth.sudo' } })).toBe(1);
  });

  it('a wrong password is 400 wrong_password and grants nothing', async () => {
    const { browser } = await h.signUp();
    const res = await browser.post('/api/auth/sudo', { password: 'not my password' });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('wrong_password');
    expect(browser.cookies.has('rekey.sudo')).toBe(false);
  });

  it('wrong sudo passwords count toward the account limit (429 after 5)', async () => {
    const { browser } = await h.signUp();
    for (let i = 0; i < 5; i++) expect((await browser.post('/api/auth/sudo', { password: `guess number ${i}` })).status).toBe(400);
    expect((await browser.post('/api/auth/sudo', { password: PASSWORD })).status).toBe(429);
  });

  it('is refused without a session (401) and with an API key (403)', async () => {
    expect((await h.browser().post('/api/auth/sudo', { password: PASSWORD })).status).toBe(401);
    const { browser } = await h.signUp();
    await browser.sudo();
    const { key } = await (await browser.post('/api/api-keys', { name: 'k' })).json();
    const res = await h.browser().post('/api/auth/sudo', { password: PASSWORD }, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(403);
  });

  describe.each(gated)('$name', ({ call }) => {
    it('403 sudo_required without a grant', async () => {
      const { browser } = await h.signUp();
      const res = await call(browser);
      expect(res.status).toBe(403);
      expect(await errorCode(res)).toBe('sudo_required');
    });

    it('403 sudo_required once the grant is 5 minutes old', async () => {
      const { browser } = await h.signUp();
      await enableTwoFactor(h, browser);
      await browser.sudo();
      h.clock.advance(5 * 60_000 + 1);
      const res = await call(browser);
      expect(res.status).toBe(403);
      expect(await errorCode(res)).toBe('sudo_required');
    });

    it('passes within the grant', async () => {
      const { browser } = await h.signUp();
      await enableTwoFactor(h, browser);
      await browser.sudo();
      h.clock.advance(4 * 60_000);
      expect([200, 201, 204]).toContain((await call(browser)).status);
    });

    it("another session's sudo cookie does not work", async () => {
      const { browser, email } = await h.signUp();
      const other = h.browser();
      expect((await other.post('/api/auth/signin', { email, password: PASSWORD })).status).toBe(200);
      await enableTwoFactor(h, browser);
      await browser.sudo();
      // The second browser presents the first browser's sudo cookie with its own session.
      other.cookies.set('rekey.sudo', browser.cookies.get('rekey.sudo')!);
      const res = await call(other);
      expect(res.status).toBe(403);
    });
  });

  it('an API key never passes a sudo gate', async () => {
    const { browser } = await h.signUp();
    await browser.sudo();
    const { key } = await (await browser.post('/api/api-keys', { name: 'k' })).json();
    const viaKey = h.browser();
    const res = await viaKey.post('/api/api-keys', { name: 'k2' }, { headers: { authorization: `Bearer ${key}`, cookie: `rekey.sudo=${browser.cookies.get('rekey.sudo')}` } });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe('sudo_required');
  });
});
