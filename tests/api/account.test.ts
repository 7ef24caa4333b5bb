// Account routes with the seed's status codes: forgot/reset password, change
// password, email verification; email through an injected jsonTransport, and
// once through a real SMTP URL whose server never answers.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backgroundJobsSettled } from '../../lib/accounts/run-in-background.js';
import { createMailer } from '../../lib/email/mailer.js';
import { createHarness, errorCode, PASSWORD, POLL, uniqueEmail, type Harness, type SentEmail } from './auth-support.js';
import { forEachDatabase } from '../support/test-db.js';

const tokenIn = (mail: SentEmail) => decodeURIComponent(/#token=([A-Za-z0-9_%-]+)/.exec(mail.text)![1]!);
const NEW_PASSWORD = 'a brand new passphrase';

forEachDatabase('account: passwords and email verification', (get) => {
  let h: Harness;
  beforeAll(() => {
    h = createHarness({ db: get().db, url: get().url });
  });
  afterAll(() => h.close());

  const resetMailFor = async (email: string) => {
    await expect.poll(() => h.outbox.find((m) => m.to === email && /Reset your Rekey password/.test(m.subject)), POLL).toBeTruthy();
    return h.outbox.filter((m) => m.to === email && /Reset/.test(m.subject)).at(-1)!;
  };

  describe('POST /api/account/forgot-password', () => {
    it('answers identically (status, body, headers that matter) for known and unknown emails', async () => {
      const { email } = await h.signUp();
      const known = await h.browser().post('/api/account/forgot-password', { email });
      const unknown = await h.browser().post('/api/account/forgot-password', { email: uniqueEmail() });
      expect(known.status).toBe(200);
      expect(unknown.status).toBe(200);
      const [a, b] = [await known.json(), await unknown.json()];
      expect(a).toEqual({ ok: true, configured: true });
      expect(b).toEqual(a);
      expect(known.headers.get('content-type')).toBe(unknown.headers.get('content-type'));
      expect(known.headers.getSetCookie()).toEqual(unknown.headers.getSetCookie());
      const mail = await resetMailFor(email);
      expect(mail.text).toContain('http://localhost:3000/reset-password#token=');
      expect(mail.html).toContain('reset-password#token=');
    });

    it('400 for an invalid body', async () => {
      const res = await h.browser().post('/api/account/forgot-password', {});
      expect(res.status).toBe(400);
      expect((await res.json()).error.field).toBe('email');
    });

    it('sends at most 3 reset emails an hour to one address, still answering 200', async () => {
      const { email } = await h.signUp();
      for (let i = 0; i < 5; i++) expect((await h.browser().post('/api/account/forgot-password', { email })).status).toBe(200);
      await backgroundJobsSettled();
      expect(h.outbox.filter((m) => m.to === email && /Reset/.test(m.subject))).toHaveLength(3);
    });
  });

  describe('POST /api/account/reset-password', () => {
    it('200: sets the password, signs every session out, verifies the email; the old password stops working', async () => {
      const { browser, email, userId } = await h.signUp();
      await h.browser().post('/api/account/forgot-password', { email });
      const token = tokenIn(await resetMailFor(email));
      const res = await h.browser().post('/api/account/reset-password', { token, password: NEW_PASSWORD });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true });
      expect((await browser.get('/api/auth/me')).status).toBe(401);
      expect((await h.browser().post('/api/auth/signin', { email, password: PASSWORD })).status).toBe(401);
      expect((await h.browser().post('/api/auth/signin', { email, password: NEW_PASSWORD })).status).toBe(200);
      const user = await get().db.user.findUniqueOrThrow({ where: { id: userId } });
      expect(user.emailVerifiedAt).not.toBeNull();
      expect(await get().db.auditEvent.count({ where: { userId, action: 'password.reset' } })).toBe(1);
      await expect.poll(() => h.outbox.some((m) => m.to === email && /password was changed/.test(m.subject)), POLL).toBe(true);
    });

    it('409 when used, 410 when expired, 404 when unknown', async () => {
      const { email } = await h.signUp();
      await h.browser().post('/api/account/forgot-password', { email });
      const token = tokenIn(await resetMailFor(email));
      expect((await h.browser().post('/api/account/reset-password', { token, password: NEW_PASSWORD })).status).toBe(200);
      const used = await h.browser().post('/api/account/reset-password', { token, password: 'yet another passphrase' });
      expect(used.status).toBe(409);
      expect(await errorCode(used)).toBe('already_used');

      const second = await h.signUp();
      await h.browser().post('/api/account/forgot-password', { email: second.email });
      const old = tokenIn(await resetMailFor(second.email));
      h.clock.advance(60 * 60_000 + 1);
      const expired = await h.browser().post('/api/account/reset-password', { token: old, password: NEW_PASSWORD });
      expect(expired.status).toBe(410);
      expect(await errorCode(expired)).toBe('gone');

      const unknown = await h.browser().post('/api/account/reset-password', { token: 'no-such-token', password: NEW_PASSWORD });
      expect(unknown.status).toBe(404);
      const missing = await h.browser().post('/api/account/reset-password', { password: NEW_PASSWORD });
      expect(missing.status).toBe(400);
      expect((await missing.json()).error.field).toBe('token');
    });

    it('400 for a weak new password; the token stays usable', async () => {
      const { email } = await h.signUp();
      await h.browser().post('/api/account/forgot-password', { email });
      const token = tokenIn(await resetMailFor(email));
      const weak = await h.browser().post('/api/account/reset-password', { token, password: email });
      expect(weak.status).toBe(400);
      expect((await h.browser().post('/api/account/reset-password', { token, password: NEW_PASSWORD })).status).toBe(200);
    });

    it('a newer reset kills the older links', async () => {
      const { email } = await h.signUp();
      await h.browser().post('/api/account/forgot-password', { email });
      const first = tokenIn(await resetMailFor(email));
      await h.browser().post('/api/account/forgot-password', { email });
      await expect.poll(() => h.outbox.filter((m) => m.to === email && /Reset/.test(m.subject)).length, POLL).toBe(2);
      const second = tokenIn(h.outbox.filter((m) => m.to === email && /Reset/.test(m.subject))[1]!);
      expect((await h.browser().post('/api/account/reset-password', { token: second, password: NEW_PASSWORD })).status).toBe(200);
      expect((await h.browser().post('/api/account/reset-password', { token: first, password: NEW_PASSWORD })).status).toBe(409);
    });
  });

  describe('POST /api/account/change-password', () => {
    it('200: changes it and signs the other sessions out, keeping this one', async () => {
      const { browser, email, userId } = await h.signUp();
      const other = h.browser();
      await other.post('/api/auth/signin', { email, password: PASSWORD });
      const res = await browser.post('/api/account/change-password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true, sessionsRevoked: 1 });
      expect((await browser.get('/api/auth/me')).status).toBe(200);
      expect((await other.get('/api/auth/me')).status).toBe(401);
      expect((await h.browser().post('/api/auth/signin', { email, password: NEW_PASSWORD })).status).toBe(200);
      const events = await get().db.auditEvent.findMany({ where: { userId, action: 'password.changed' } });
      expect(events).toHaveLength(1);
      expect(events[0]!.detail).not.toContain(NEW_PASSWORD);
    });

    it('400 wrong_password when the current password does not match; nothing changes', async () => {
      const { browser, email } = await h.signUp();
      const res = await browser.post('/api/account/change-password', { currentPassword: 'not the current one', newPassword: NEW_PASSWORD });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ code: 'wrong_password', field: 'currentPassword' });
      expect((await h.browser().post('/api/auth/signin', { email, password: PASSWORD })).status).toBe(200);
    });

    it('400 for a new password that breaks the rules, 401 without a session', async () => {
      const { browser, email } = await h.signUp();
      const weak = await browser.post('/api/account/change-password', { currentPassword: PASSWORD, newPassword: email });
      expect(weak.status).toBe(400);
      expect((await weak.json()).error.field).toBe('newPassword');
      expect((await h.browser().post('/api/account/change-password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD })).status).toBe(401);
    });

    it('5 wrong current passwords, then 429 (the sign-in limit of the account)', async () => {
      const { browser } = await h.signUp();
      for (let i = 0; i < 5; i++) {
        expect((await browser.post('/api/account/change-password', { currentPassword: `guess number ${i}`, newPassword: NEW_PASSWORD })).status).toBe(400);
      }
      const res = await browser.post('/api/account/change-password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBeTruthy();
    });

    it('409 for an account without a password', async () => {
      const { browser, userId } = await h.signUp();
      await get().db.user.update({ where: { id: userId }, data: { passwordHash: null } });
      const res = await browser.post('/api/account/change-password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
      expect(res.status).toBe(409);
    });
  });

  describe('POST /api/account/verify-email/start and /confirm', () => {
    it('start (empty body) emails a link; confirm verifies: 200, then 409; 404 unknown; 410 expired', async () => {
      const { browser, email, userId } = await h.signUp();
      await backgroundJobsSettled();
      const before = h.outbox.filter((m) => m.to === email && /Confirm/.test(m.subject)).length;
      const res = await browser.post('/api/account/verify-email/start');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true, configured: true, alreadyVerified: false });
      await expect.poll(() => h.outbox.filter((m) => m.to === email && /Confirm/.test(m.subject)).length, POLL).toBe(before + 1);
      const token = tokenIn(h.outbox.filter((m) => m.to === email && /Confirm/.test(m.subject)).at(-1)!);

      // No session needed: the link is the proof.
      const ok = await h.browser().post('/api/account/verify-email/confirm', { token });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ ok: true });
      expect((await (await browser.get('/api/auth/me')).json()).user.emailVerified).toBe(true);
      expect(await get().db.auditEvent.count({ where: { userId, action: 'email.verified' } })).toBe(1);
      expect((await h.browser().post('/api/account/verify-email/confirm', { token })).status).toBe(409);
      expect((await h.browser().post('/api/account/verify-email/confirm', { token: 'nope' })).status).toBe(404);
      expect((await h.browser().post('/api/account/verify-email/confirm', {})).status).toBe(400);

      const again = await browser.post('/api/account/verify-email/start');
      expect(await again.json()).toEqual({ ok: true, configured: true, alreadyVerified: true });
    });

    it('410 once the link is older than 24 hours', async () => {
      const { email } = await h.signUp();
      await expect.poll(() => h.outbox.find((m) => m.to === email && /Confirm/.test(m.subject)), POLL).toBeTruthy();
      const token = tokenIn(h.outbox.find((m) => m.to === email && /Confirm/.test(m.subject))!);
      h.clock.advance(24 * 3_600_000 + 1);
      const res = await h.browser().post('/api/account/verify-email/confirm', { token });
      expect(res.status).toBe(410);
    });

    it('a reset token is not a verification token (404)', async () => {
      const { email } = await h.signUp();
      await h.browser().post('/api/account/forgot-password', { email });
      const token = tokenIn(await resetMailFor(email));
      expect((await h.browser().post('/api/account/verify-email/confirm', { token })).status).toBe(404);
    });

    it('start needs a session', async () => {
      expect((await h.browser().post('/api/account/verify-email/start')).status).toBe(401);
    });
  });
});

forEachDatabase('account emails when SMTP is not configured', (get) => {
  let h: Harness;
  beforeAll(() => {
    h = createHarness({ db: get().db, url: get().url, mail: false });
  });
  afterAll(() => h.close());

  it('forgot-password says configured:false and creates no token', async () => {
    const { email, userId } = await h.signUp();
    const res = await h.browser().post('/api/account/forgot-password', { email });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, configured: false });
    await backgroundJobsSettled();
    expect(await get().db.accountToken.count({ where: { userId } })).toBe(0);
    const start = await (await h.signUp()).browser.post('/api/account/verify-email/start');
    expect(await start.json()).toEqual({ ok: true, configured: false, alreadyVerified: false });
  });
});

// The SMTP server takes the connection, greets, then never answers (nodemailer
// gives up after its 30 s socket timeout). Counted, not timed: a route that
// waited for the send would answer only once a send had finished; the answers
// must come while none has.
forEachDatabase('account emails when the SMTP server does not answer', (get) => {
  let h: Harness;
  let smtp: net.Server;
  const sessions = new Set<net.Socket>();
  let released = false;
  const sends = { started: 0, finished: 0 };
  beforeAll(async () => {
    smtp = net.createServer((socket) => {
      if (released) return socket.destroy();
      sessions.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sessions.delete(socket));
      socket.write('220 smtp.localhost ESMTP\r\n'); // and nothing more
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.address() as net.AddressInfo;
    h = createHarness({ db: get().db, url: get().url, env: { SMTP_URL: `smtp://127.0.0.1:${port}` } });
    const smtpMailer = createMailer({ from: h.deps.config.smtp.from, smtpUrl: h.deps.config.smtp.url });
    h.deps.mailer = {
      configured: smtpMailer.configured,
      async send(email) {
        sends.started++;
        try {
          await smtpMailer.send(email);
        } finally {
          sends.finished++;
        }
      },
    };
  });
  afterAll(async () => {
    await h.close();
    await new Promise((resolve) => smtp.close(resolve));
  });

  it('forgot-password answers 200 {ok, configured:true} without waiting for SMTP, the same for unknown emails; the failure is only logged', async () => {
    const { email, userId } = await h.signUp();
    released = false;
    const known = await h.browser().post('/api/account/forgot-password', { email });
    const unknown = await h.browser().post('/api/account/forgot-password', { email: uniqueEmail() });
    expect(sends.finished).toBe(0); // answered while every send was still held by the server
    expect(known.status).toBe(200);
    expect(await known.json()).toEqual({ ok: true, configured: true });
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toEqual({ ok: true, configured: true });
    // Now the server goes away: the sends fail, in the background, without throwing.
    released = true;
    for (const socket of sessions) socket.destroy();
    await backgroundJobsSettled();
    expect(sends.started).toBeGreaterThan(0);
    expect(sends.finished).toBe(sends.started);
    expect(await get().db.accountToken.count({ where: { userId, kind: 'password_reset' } })).toBe(1);
    expect((await h.browser().get('/api/health')).status).toBe(200);
  });
});
