// The phone OTP prompt without a running reset: the page, its assets, and every
// refusal of POST /api/otp/{token}. Acceptance (200) needs a reset that waits
// for a code: tests/api/chat-reset.test.ts drives one on the telewave site.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../lib/db/index.js';
import { hashToken } from '../../lib/crypto.js';
import { ensurePhoneOtpLink } from '../../lib/tasks/phone-otp-link.js';
import { testConfig } from '../support/test-config.js';
import { forEachDatabase } from '../support/test-db.js';
import { APP_ORIGIN, createResetApi, errorOf, FOREIGN_ORIGIN, request, signedInPerson, type ResetApi } from './tasks-support.js';

forEachDatabase('phone OTP', (get) => {
  let api: ResetApi;

  beforeAll(() => {
    const { db, url } = get();
    api = createResetApi({ config: testConfig({ DATABASE_URL: url, TEMPORAL_TASK_QUEUE: `otp-test-${randomBytes(4).toString('hex')}` }), db });
  });
  afterAll(async () => {
    await api?.close();
  });

  async function waitingTask(db: Db, serviceName = 'Telewave Mobile', untilMs = 600_000) {
    const person = await signedInPerson(db);
    const id = randomUUID();
    const task = await db.task.create({
      data: {
        id,
        userId: person.userId,
        serviceId: 'telewave',
        serviceName,
        serviceUrl: 'https://telewave.example/reset',
        email: 'p@example.com',
        accountKey: `telewave:${id}`,
        workflowId: `reset-telewave-${id}`,
        status: 'waiting_for_otp',
        waitingFor: 'otp',
        seq: 6,
      },
    });
    const link = await ensurePhoneOtpLink(api.deps, { taskId: task.id, until: new Date(Date.now() + untilMs) });
    const token = link.url.split('/otp/')[1]!;
    return { person, task, link, token };
  }

  describe('GET /otp/{token}', () => {
    it('a small mobile page: one code input, the service named (escaped), the script from its own URL', async () => {
      const { token, link } = await waitingTask(get().db, 'Tele<script>alert(1)</script>wave');
      expect(link.url).toBe(`${APP_ORIGIN}/otp/${token}`);
      const res = await request(api, 'GET', `/otp/${token}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toMatch(/script-src 'self'/);
      expect(csp).not.toMatch(/unsafe-inline/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      const page = await res.text();
      expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
      expect(page.match(/<input /g)).toHaveLength(1);
      expect(page).toMatch(/<input [^>]*autocomplete="one-time-code"[^>]*inputmode="numeric"/);
      expect(page).toContain('<script src="/otp/assets/phone-otp.js" defer></script>');
      expect(page).not.toMatch(/<script>(?!alert)/); // no inline script of ours
      expect(page).not.toContain('<script>alert(1)</script>');
      expect(page).toContain('Tele&lt;script&gt;alert(1)&lt;/script&gt;wave asks for a code');
      expect(page).toContain(`data-action="/api/otp/${token}"`);
      expect(page).not.toMatch(/style=|<style/);

      const css = await request(api, 'GET', '/otp/assets/phone-otp.css');
      expect(css.headers.get('content-type')).toMatch(/^text\/css/);
      expect(await css.text()).toContain('max-width:360px');
      const js = await request(api, 'GET', '/otp/assets/phone-otp.js');
      expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(await js.text()).toContain("fetch(form.getAttribute('data-action')");
    });

    it('404 for an unknown token, 410 for an expired or used one', async () => {
      expect((await request(api, 'GET', `/otp/${randomBytes(32).toString('base64url')}`)).status).toBe(404);
      const expired = await waitingTask(get().db, 'Telewave', -1_000);
      const res = await request(api, 'GET', `/otp/${expired.token}`);
      expect(res.status).toBe(410);
      expect(await res.text()).toContain('This link has expired');
      const used = await waitingTask(get().db);
      await get().db.otpToken.updateMany({ where: { taskId: used.task.id }, data: { usedAt: new Date() } });
      expect((await request(api, 'GET', `/otp/${used.token}`)).status).toBe(410);
    });
  });

  describe('POST /api/otp/{token}', () => {
    it('the same link for the same wait; a new wait gets a new link and ends the old one', async () => {
      const { task, link } = await waitingTask(get().db);
      const row = await get().db.otpToken.findFirstOrThrow({ where: { taskId: task.id } });
      expect((await ensurePhoneOtpLink(api.deps, { taskId: task.id, until: row.expiresAt })).url).toBe(link.url);
      const next = await ensurePhoneOtpLink(api.deps, { taskId: task.id, until: new Date(Date.now() + 900_000) });
      expect(next.url).not.toBe(link.url);
      const res = await request(api, 'POST', `/api/otp/${link.url.split('/otp/')[1]}`, { body: { code: '123456' } });
      expect(res.status).toBe(410);
    });

    it('400 names the field; no session needed, yet cross-origin is refused (403)', async () => {
      const { token } = await waitingTask(get().db);
      const missing = await request(api, 'POST', `/api/otp/${token}`, { body: {} });
      expect(missing.status).toBe(400);
      expect(await errorOf(missing)).toMatchObject({ code: 'validation_failed', field: 'code' });
      const short = await request(api, 'POST', `/api/otp/${token}`, { body: { code: '1' } });
      expect(short.status).toBe(400);
      expect(await errorOf(short)).toMatchObject({ field: 'code' });
      const cross = await request(api, 'POST', `/api/otp/${token}`, { origin: FOREIGN_ORIGIN, body: { code: '123456' } });
      expect(cross.status).toBe(403);
    });

    it('404 unknown, 409 when the reset is not waiting, 410 once void after 5 submissions', async () => {
      expect((await request(api, 'POST', `/api/otp/${randomBytes(32).toString('base64url')}`, { body: { code: '123456' } })).status).toBe(404);
      // The task row says it waits, but no workflow does: the workflow's view decides.
      const { token, task } = await waitingTask(get().db);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await request(api, 'POST', `/api/otp/${token}`, { origin: APP_ORIGIN, body: { code: '123456' } })).status);
      expect(statuses).toEqual([409, 409, 409, 409, 409]);
      const sixth = await request(api, 'POST', `/api/otp/${token}`, { body: { code: '123456' } });
      expect(sixth.status).toBe(410);
      expect((await errorOf(sixth)).code).toBe('gone');
      expect((await get().db.otpToken.findFirstOrThrow({ where: { taskId: task.id } })).attempts).toBe(5);
      expect((await request(api, 'GET', `/otp/${token}`)).status).toBe(410);
      expect(await get().db.taskSecret.count({ where: { taskId: task.id } })).toBe(0);
    });
  });

  describe('GET /api/otp/{token}/outcome', () => {
    const outcomeOf = async (token: string) => {
      const res = await request(api, 'GET', `/api/otp/${token}/outcome`);
      return { status: res.status, body: (await res.json()) as { state?: string; message?: string; error?: { code: string } }, cacheControl: res.headers.get('cache-control') };
    };
    const useToken = (db: Db, token: string, usedAt: Date) => db.otpToken.updateMany({ where: { tokenHash: hashToken(token) }, data: { usedAt } });

    it('tells the phone what became of its code: waiting, entering, asked again, then how the reset ended', async () => {
      const { db } = get();
      const { task, token } = await waitingTask(db);
      expect(await outcomeOf(token)).toMatchObject({ status: 200, body: { state: 'waiting' }, cacheControl: 'no-store' });

      // Just sent: the task row still says waiting for the code it was given.
      await useToken(db, token, new Date(Date.now() + 60_000));
      expect((await outcomeOf(token)).body).toEqual({ state: 'entering', message: 'Code sent. Rekey is entering it on Telewave Mobile…' });
      await db.task.update({ where: { id: task.id }, data: { status: 'running', waitingFor: null } });
      expect((await outcomeOf(token)).body.state).toBe('entering');

      // The site wanted another code: the task waits again after the code was used.
      await useToken(db, token, new Date(Date.now() - 1_000));
      await db.task.update({ where: { id: task.id }, data: { status: 'waiting_for_otp', waitingFor: 'otp' } });
      expect((await outcomeOf(token)).body).toMatchObject({ state: 'asked_again', message: expect.stringMatching(/^Telewave Mobile asked for another code/) });

      await db.task.update({ where: { id: task.id }, data: { status: 'completed', waitingFor: null } });
      expect((await outcomeOf(token)).body).toEqual({ state: 'completed', message: 'Done: Telewave Mobile took the code and your password was reset. You can close this page.' });
      await db.task.update({ where: { id: task.id }, data: { status: 'failed', failureType: 'OtpRejected', failureReason: 'secret detail from the site' } });
      const failed = (await outcomeOf(token)).body;
      expect(failed).toMatchObject({ state: 'failed', message: expect.stringContaining('The site rejected the one-time codes it was given.') });
      expect(failed.message).not.toContain('secret detail');
      await db.task.update({ where: { id: task.id }, data: { status: 'cancelled' } });
      expect((await outcomeOf(token)).body.state).toBe('cancelled');
    });

    it('404 for an unknown token; 410 for one over without a code, or used more than 30 minutes ago', async () => {
      const { db } = get();
      expect((await outcomeOf(randomBytes(32).toString('base64url'))).status).toBe(404);
      const expired = await waitingTask(db, 'Telewave Mobile', 1);
      await new Promise((r) => setTimeout(r, 5));
      expect(await outcomeOf(expired.token)).toMatchObject({ status: 410, body: { error: { code: 'gone' } } });
      const old = await waitingTask(db);
      await useToken(db, old.token, new Date(Date.now() - 31 * 60_000));
      expect((await outcomeOf(old.token)).status).toBe(410);
    });
  });
});
