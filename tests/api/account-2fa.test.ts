// The 2FA lifecycle: setup → enable → sign-in with a code or recovery code →
// verify → disable. Codes are single-use: a TOTP code within its window, a
// recovery code for ever.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTotpSecret } from '../../lib/accounts/totp.js';
import { createHarness, enableTwoFactor, errorCode, PASSWORD, totpCode, type Harness } from './auth-support.js';
import { forEachDatabase } from '../support/test-db.js';

forEachDatabase('two-factor authentication', (get) => {
  let h: Harness;
  beforeAll(() => {
    h = createHarness({ db: get().db, url: get().url });
  });
  afterAll(() => h.close());

  const challenge = async (email: string) => {
    const res = await h.browser().post('/api/auth/signin', { email, password: PASSWORD });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({ mfaRequired: true, challengeToken: expect.any(String) });
    expect(res.headers.getSetCookie()).toEqual([]);
    return body.challengeToken as string;
  };

  describe('setup and enable', () => {
    it('setup returns a base32 secret, an otpauth URI and a PNG QR data URL, and stores nothing', async () => {
      const { browser, email, userId } = await h.signUp();
      const res = await browser.post('/api/account/2fa/setup');
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(body.otpauthUri).toContain('otpauth://totp/Rekey:');
      expect(body.otpauthUri).toContain(`secret=${body.secret}`);
      expect(body.otpauthUri).toContain(encodeURIComponent(email));
      expect(body.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
      const user = await get().db.user.findUniqueOrThrow({ where: { id: userId } });
      expect(user.totpSecretEnc).toBeNull();
      expect(user.totpEnabledAt).toBeNull();
    });

    it('enable with a wrong code is 400 invalid_code; with the right one returns 10 recovery codes, stored encrypted/hashed', async () => {
      const { browser, userId } = await h.signUp();
      const { secret } = await (await browser.post('/api/account/2fa/setup')).json();
      const wrong = await browser.post('/api/account/2fa/enable', { secret, code: '000000' });
      expect(wrong.status).toBe(400);
      expect(await errorCode(wrong)).toBe('invalid_code');
      const bad = await browser.post('/api/account/2fa/enable', { secret: 'short', code: '123456' });
      expect(bad.status).toBe(400);
      expect((await bad.json()).error.field).toBe('secret');

      const res = await browser.post('/api/account/2fa/enable', { secret, code: totpCode(secret, h.clock.now()) });
      expect(res.status).toBe(200);
      const { recoveryCodes } = await res.json();
      expect(recoveryCodes).toHaveLength(10);
      expect(new Set(recoveryCodes).size).toBe(10);
      for (const c of recoveryCodes) expect(c).toMatch(/^[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}$/);

      const user = await get().db.user.findUniqueOrThrow({ where: { id: userId } });
      expect(user.totpEnabledAt).not.toBeNull();
      expect(Buffer.from(user.totpSecretEnc!).toString('utf8')).not.toContain(secret);
      expect(openTotpSecret(h.deps.keyring, userId, user.totpSecretEnc!)).toBe(secret);
      const stored = await get().db.recoveryCode.findMany({ where: { userId } });
      expect(stored).toHaveLength(10);
      for (const r of stored) expect(recoveryCodes).not.toContain(r.codeHash);
      expect((await (await browser.get('/api/auth/me')).json()).user.twoFactorEnabled).toBe(true);
      expect(await get().db.auditEvent.count({ where: { userId, action: 'twofa.enabled' } })).toBe(1);

      // Already on: setup and enable are 409.
      expect((await browser.post('/api/account/2fa/setup')).status).toBe(409);
      const again = await browser.post('/api/account/2fa/enable', { secret, code: totpCode(secret, h.clock.now()) });
      expect(again.status).toBe(409);
    });

    it('needs a signed-in caller', async () => {
      expect((await h.browser().post('/api/account/2fa/setup')).status).toBe(401);
      expect((await h.browser().post('/api/account/2fa/enable', { secret: 'A'.repeat(32), code: '123456' })).status).toBe(401);
    });
  });

  describe('signing in with 2FA on', () => {
    it('a TOTP code finishes the sign-in; the same code cannot be replayed in its window', async () => {
      const { browser, email } = await h.signUp();
      const { secret } = await enableTwoFactor(h, browser);
      const code = totpCode(secret, h.clock.now());
      const b = h.browser();
      const ok = await b.post('/api/auth/signin/mfa', { challengeToken: await challenge(email), code });
      expect(ok.status).toBe(200);
      expect((await ok.json()).user.email).toBe(email);
      expect((await b.get('/api/auth/me')).status).toBe(200);

      // Replay within the same 30 s step, and 20 s later (still inside the ±1 window).
      const replay = await h.browser().post('/api/auth/signin/mfa', { challengeToken: await challenge(email), code });
      expect(replay.status).toBe(401);
      expect(await errorCode(replay)).toBe('invalid_credentials');
      h.clock.advance(20_000);
      const later = await h.browser().post('/api/auth/signin/mfa', { challengeToken: await challenge(email), code });
      expect(later.status).toBe(401);

      // The next step's code works.
      h.clock.advance(30_000);
      const next = await h.browser().post('/api/auth/signin/mfa', { challengeToken: await challenge(email), code: totpCode(secret, h.clock.now()) });
      expect(next.status).toBe(200);
    });

    it('the code used to enable 2FA cannot be used to sign in', async () => {
      const { browser, email } = await h.signUp();
      const { secret } = await (await browser.post('/api/account/2fa/setup')).json();
      const code = totpCode(secret, h.clock.now());
      expect((await browser.post('/api/account/2fa/enable', { secret, code })).status).toBe(200);
      const res = await h.browser().post('/api/auth/signin/mfa', { challengeToken: await challenge(email), code });
      expect(res.status).toBe(401);
    });

    it('a recovery code works once (any case, with or without dashes); a used one is refused', async () => {
      const { browser, email, userId } = await h.signUp();
      const { recoveryCodes } = await enableTwoFactor(h, browser);
      const code = recoveryCodes[3]!;
      const ok = await h.browser().post('/api/auth/signin/mfa', { challengeToken: await challenge(email), code: code.toUpperCase().replace(/-/g, '') });
      expect(ok.status).toBe(200);
      const reused = await h.browser().post('/api/auth/signin/mfa', { challengeToken: await challenge(email), code });
      expect(reused.status).toBe(401);
      expect(await errorCode(reused)).toBe('invalid_credentials');
      expect(await get().db.recoveryCode.count({ where: { userId, usedAt: { not: null } } })).toBe(1);
      const event = await get().db.auditEvent.findFirstOrThrow({ where: { userId, action: 'twofa.recovery_used' } });
      expect(JSON.parse(event.detail!)).toEqual({ recoveryCodesLeft: 9 });
      expect(event.detail).not.toContain(code);
    });

    it("one person's recovery code does not work for another", async () => {
      const alice = await h.signUp();
      const bob = await h.signUp();
      const { recoveryCodes } = await enableTwoFactor(h, alice.browser);
      await enableTwoFactor(h, bob.browser);
      const res = await h.browser().post('/api/auth/signin/mfa', { challengeToken: await challenge(bob.email), code: recoveryCodes[0]! });
      expect(res.status).toBe(401);
    });

    it('a challenge is single-use', async () => {
      const { browser, email } = await h.signUp();
      const { secret } = await enableTwoFactor(h, browser);
      const token = await challenge(email);
      expect((await h.browser().post('/api/auth/signin/mfa', { challengeToken: token, code: totpCode(secret, h.clock.now()) })).status).toBe(200);
      h.clock.advance(30_000);
      const again = await h.browser().post('/api/auth/signin/mfa', { challengeToken: token, code: totpCode(secret, h.clock.now()) });
      expect(again.status).toBe(401);
      expect(await errorCode(again)).toBe('challenge_invalid');
    });

    it('an unknown challenge is 401 challenge_invalid; a malformed body is 400', async () => {
      const res = await h.browser().post('/api/auth/signin/mfa', { challengeToken: 'nope', code: '123456' });
      expect(res.status).toBe(401);
      expect(await errorCode(res)).toBe('challenge_invalid');
      expect((await h.browser().post('/api/auth/signin/mfa', { code: '123456' })).status).toBe(400);
    });
  });

  describe('POST /api/account/2fa/verify', () => {
    it('accepts a fresh TOTP code once, refuses its replay; recovery:true uses up a recovery code', async () => {
      const { browser } = await h.signUp();
      const { secret, recoveryCodes } = await enableTwoFactor(h, browser);
      const code = totpCode(secret, h.clock.now());
      const ok = await browser.post('/api/account/2fa/verify', { code });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ ok: true, method: 'totp', recoveryCodesLeft: 10 });
      const replay = await browser.post('/api/account/2fa/verify', { code });
      expect(replay.status).toBe(400);
      expect(await errorCode(replay)).toBe('invalid_code');

      const rec = await browser.post('/api/account/2fa/verify', { code: recoveryCodes[0], recovery: true });
      expect(await rec.json()).toEqual({ ok: true, method: 'recovery', recoveryCodesLeft: 9 });
      expect((await browser.post('/api/account/2fa/verify', { code: recoveryCodes[0], recovery: true })).status).toBe(400);
    });

    it('wrong codes are limited: 10 per 15 minutes, then 429', async () => {
      const { browser } = await h.signUp();
      const { secret } = await enableTwoFactor(h, browser);
      for (let i = 0; i < 10; i++) expect((await browser.post('/api/account/2fa/verify', { code: '000000' })).status).toBe(400);
      const res = await browser.post('/api/account/2fa/verify', { code: totpCode(secret, h.clock.now()) });
      expect(res.status).toBe(429);
      h.clock.advance(15 * 60_000 + 1_000);
      expect((await browser.post('/api/account/2fa/verify', { code: totpCode(secret, h.clock.now()) })).status).toBe(200);
    });

    it('409 when 2FA is off; 401 without a session', async () => {
      const { browser } = await h.signUp();
      expect((await browser.post('/api/account/2fa/verify', { code: '123456' })).status).toBe(409);
      expect((await h.browser().post('/api/account/2fa/verify', { code: '123456' })).status).toBe(401);
    });
  });

  describe('POST /api/account/2fa/disable', () => {
    it('with sudo and the password: removes the secret and recovery codes; sign-in needs no code again', async () => {
      const { browser, email, userId } = await h.signUp();
      await enableTwoFactor(h, browser);
      await browser.sudo();
      const wrong = await browser.post('/api/account/2fa/disable', { password: 'not my password' });
      expect(wrong.status).toBe(400);
      expect(await errorCode(wrong)).toBe('wrong_password');
      const res = await browser.post('/api/account/2fa/disable', { password: PASSWORD });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true });
      const user = await get().db.user.findUniqueOrThrow({ where: { id: userId } });
      expect(user.totpSecretEnc).toBeNull();
      expect(user.totpEnabledAt).toBeNull();
      expect(await get().db.recoveryCode.count({ where: { userId } })).toBe(0);
      expect(await get().db.auditEvent.count({ where: { userId, action: 'twofa.disabled' } })).toBe(1);
      const signIn = await h.browser().post('/api/auth/signin', { email, password: PASSWORD });
      expect((await signIn.json()).user.email).toBe(email);
      expect((await browser.post('/api/account/2fa/disable', { password: PASSWORD })).status).toBe(409);
    });

    it('403 sudo_required without sudo; 401 without a session', async () => {
      const { browser } = await h.signUp();
      await enableTwoFactor(h, browser);
      const res = await browser.post('/api/account/2fa/disable', { password: PASSWORD });
      expect(res.status).toBe(403);
      expect(await errorCode(res)).toBe('sudo_required');
      expect((await h.browser().post('/api/account/2fa/disable', { password: PASSWORD })).status).toBe(401);
    });
  });
});
