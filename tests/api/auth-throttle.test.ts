// Throttles: sign-in per account and per address, the 2FA challenge's five
// codes, and the per-address limits on forgot-password, verify-email start
// and sign-up. Time moves with the injected clock, never by sleeping.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHarness, enableTwoFactor, errorCode, PASSWORD, randomIp, totpCode, uniqueEmail, type Harness } from './auth-support.js';
import { forEachDatabase } from '../support/test-db.js';

forEachDatabase('sign-in throttling', (get) => {
  let h: Harness;
  beforeAll(() => {
    h = createHarness({ db: get().db, url: get().url });
  });
  afterAll(() => h.close());

  const signIn = (email: string, password: string, ip = randomIp()) => h.browser({ ip }).post('/api/auth/signin', { email, password });

  it('after 5 failures for one account (from any address): 429 with Retry-After, even with the right password', async () => {
    const { email } = await h.signUp();
    for (let i = 0; i < 5; i++) expect((await signIn(email, `wrong password ${i}`)).status).toBe(401);
    const blocked = await signIn(email, PASSWORD);
    expect(blocked.status).toBe(429);
    expect(await blocked.json()).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(800);
    expect(retryAfter).toBeLessThanOrEqual(900);
    expect(blocked.headers.getSetCookie()).toEqual([]);

    h.clock.advance(15 * 60_000 + 1_000);
    expect((await signIn(email, PASSWORD)).status).toBe(200);
  });

  it('an unknown account gets the very same answers', async () => {
    const { email } = await h.signUp();
    const ghost = uniqueEmail();
    const answers = async (e: string) => {
      const out: [number, unknown][] = [];
      for (let i = 0; i < 6; i++) {
        const res = await signIn(e, `wrong password ${i}`);
        out.push([res.status, await res.json()]);
      }
      return out;
    };
    const real = await answers(email);
    const fake = await answers(ghost);
    expect(fake).toEqual(real);
    expect(real.map(([s]) => s)).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('successful sign-ins do not count; earlier failures stay counted', async () => {
    const { email } = await h.signUp();
    for (let i = 0; i < 4; i++) expect((await signIn(email, 'nope nope nope')).status).toBe(401);
    for (let i = 0; i < 3; i++) expect((await signIn(email, PASSWORD)).status).toBe(200);
    expect((await signIn(email, 'nope nope nope')).status).toBe(401);
    expect((await signIn(email, PASSWORD)).status).toBe(429);
  });

  it('after 20 failures from one address (any accounts): 429 with Retry-After', async () => {
    const ip = randomIp();
    for (let i = 0; i < 20; i++) {
      // 4 tries per account: the per-account limit is never what stops it.
      const res = await signIn(`target-${Math.floor(i / 4)}-${ip}@example.com`, 'guess guess guess', ip);
      expect(res.status).toBe(401);
    }
    const { email } = await h.signUp();
    const blocked = await signIn(email, PASSWORD, ip);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await signIn(email, PASSWORD)).status).toBe(200);
  });

  it('a 2FA challenge takes 5 wrong codes, then is void; a new sign-in gets a new challenge', async () => {
    const { browser, email } = await h.signUp();
    const { secret } = await enableTwoFactor(h, browser);
    const start = await signIn(email, PASSWORD);
    expect(start.status).toBe(200);
    const { mfaRequired, challengeToken } = await start.json();
    expect(mfaRequired).toBe(true);
    const b = h.browser();
    for (let i = 0; i < 5; i++) {
      const res = await b.post('/api/auth/signin/mfa', { challengeToken, code: String(100000 + i) });
      expect(res.status).toBe(401);
      expect(await errorCode(res)).toBe('invalid_credentials');
    }
    const right = totpCode(secret, h.clock.now());
    const voided = await b.post('/api/auth/signin/mfa', { challengeToken, code: right });
    expect(voided.status).toBe(401);
    expect(await errorCode(voided)).toBe('challenge_invalid');
    expect(b.cookies.size).toBe(0);

    const again = await (await signIn(email, PASSWORD)).json();
    const ok = await b.post('/api/auth/signin/mfa', { challengeToken: again.challengeToken, code: right });
    expect(ok.status).toBe(200);
    expect(b.cookies.get('authjs.session-token')).toBeTruthy();
  });

  it('wrong second-factor codes are limited per person across challenges (10 per 15 minutes)', async () => {
    const { browser, email } = await h.signUp();
    const { secret } = await enableTwoFactor(h, browser);
    const challenge = async () => (await (await signIn(email, PASSWORD)).json()).challengeToken as string;
    const b = h.browser();
    let token = await challenge();
    for (let i = 0; i < 10; i++) {
      if (i === 5) token = await challenge();
      expect((await b.post('/api/auth/signin/mfa', { challengeToken: token, code: '000000' })).status).toBe(401);
    }
    const fresh = await challenge();
    const blocked = await b.post('/api/auth/signin/mfa', { challengeToken: fresh, code: totpCode(secret, h.clock.now()) });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBeTruthy();
  });

  it('a challenge expires after 10 minutes', async () => {
    const { browser, email } = await h.signUp();
    const { secret } = await enableTwoFactor(h, browser);
    const { challengeToken } = await (await signIn(email, PASSWORD)).json();
    h.clock.advance(10 * 60_000 + 1);
    const res = await h.browser().post('/api/auth/signin/mfa', { challengeToken, code: totpCode(secret, h.clock.now()) });
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('challenge_invalid');
  });
});

forEachDatabase('per-address limits on emails and sign-ups', (get) => {
  let h: Harness;
  beforeAll(() => {
    h = createHarness({ db: get().db, url: get().url });
  });
  afterAll(() => h.close());

  it('forgot-password: 5 per hour per address, then 429', async () => {
    const b = h.browser();
    for (let i = 0; i < 5; i++) expect((await b.post('/api/account/forgot-password', { email: uniqueEmail() })).status).toBe(200);
    const blocked = await b.post('/api/account/forgot-password', { email: uniqueEmail() });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(3000);
    expect((await h.browser().post('/api/account/forgot-password', { email: uniqueEmail() })).status).toBe(200);
    h.clock.advance(3_600_000 + 1_000);
    expect((await b.post('/api/account/forgot-password', { email: uniqueEmail() })).status).toBe(200);
  });

  it('verify-email start: 5 per hour per address, then 429', async () => {
    const { browser } = await h.signUp();
    for (let i = 0; i < 5; i++) expect((await browser.post('/api/account/verify-email/start')).status).toBe(200);
    const blocked = await browser.post('/api/account/verify-email/start');
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBeTruthy();
  });

  it('sign-up: 10 per hour per address, then 429', async () => {
    const ip = randomIp();
    for (let i = 0; i < 10; i++) expect((await h.browser({ ip }).post('/api/auth/signup', { email: uniqueEmail(), password: PASSWORD })).status).toBe(201);
    const blocked = await h.browser({ ip }).post('/api/auth/signup', { email: uniqueEmail(), password: PASSWORD });
    expect(blocked.status).toBe(429);
  });
});
