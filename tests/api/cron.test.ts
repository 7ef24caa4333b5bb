// POST /api/cron/retention: its own bearer secret; prunes what is past
// retention and answers the counts per table.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encrypt, hashToken } from '../../lib/crypto.js';
import { createHarness, errorCode, type Harness } from './auth-support.js';
import { forEachDatabase } from '../support/test-db.js';

const SECRET = 'cron-secret-0123456789abcdef';
const DAY = 24 * 3_600_000;

forEachDatabase('POST /api/cron/retention', (get) => {
  let h: Harness;
  beforeAll(() => {
    h = createHarness({ db: get().db, url: get().url, env: { CRON_SECRET: SECRET, REKEY_RETENTION_DAYS: '30' } });
  });
  afterAll(() => h.close());

  const call = (authorization?: string, origin?: string) =>
    h.browser({ origin }).post('/api/cron/retention', undefined, { headers: authorization ? { authorization } : {} });

  it('401 with a missing or wrong secret', async () => {
    const missing = await call();
    expect(missing.status).toBe(401);
    expect(await errorCode(missing)).toBe('unauthorized');
    expect((await call(`Bearer ${SECRET}x`)).status).toBe(401);
    expect((await call(`Basic ${SECRET}`)).status).toBe(401);
    // An API key is not the cron secret.
    const { browser } = await h.signUp();
    await browser.sudo();
    const { key } = await (await browser.post('/api/api-keys', { name: 'k' })).json();
    expect((await call(`Bearer ${key}`)).status).toBe(401);
  });

  it('prunes old and dead data, keeps finished task rows and anything recent, returns counts', async () => {
    const { db, keyring } = h.deps;
    const now = h.clock.now();
    const old = new Date(now.getTime() - 31 * DAY);
    const recent = new Date(now.getTime() - 1 * DAY);
    const { userId } = await h.signUp();
    const mkTask = (status: string, completedAt: Date | null) =>
      db.task.create({
        data: {
          userId,
          serviceId: 's',
          serviceName: 'S',
          serviceUrl: 'https://s.example',
          email: 'a@example.com',
          accountKey: `s:${randomBytes(4).toString('hex')}`,
          workflowId: `wf-${randomBytes(6).toString('hex')}`,
          status,
          completedAt,
        },
      });
    const fill = async (taskId: string, at: Date) => {
      await db.taskStep.create({ data: { taskId, name: 'navigate', status: 'completed', position: 0 } });
      await db.taskSecret.create({ data: { taskId, kind: 'reset_link', valueEnc: encrypt(keyring.purpose('task-secret'), 'x') } });
      await db.screenshot.create({ data: { taskId, step: 'navigate', data: new Uint8Array([1]), createdAt: at } });
      const t = randomBytes(8).toString('hex');
      await db.otpToken.create({ data: { taskId, tokenHash: hashToken(t), tokenEnc: encrypt(keyring.purpose('task-secret'), t), expiresAt: at } });
    };
    const oldDone = await mkTask('completed', old);
    await fill(oldDone.id, old);
    const oldFailed = await mkTask('failed', old);
    await fill(oldFailed.id, recent);
    const recentDone = await mkTask('completed', recent);
    await fill(recentDone.id, recent);
    const running = await mkTask('running', null);
    await fill(running.id, recent);

    // The sign-up above wrote a recent audit event; add an old one.
    await db.auditEvent.create({ data: { userId, action: 'auth.signin', createdAt: old } });
    await db.session.create({ data: { userId, tokenHash: hashToken('expired'), expiresAt: recent } });
    await db.session.create({ data: { userId, tokenHash: hashToken('revoked'), expiresAt: new Date(now.getTime() + DAY), revokedAt: recent } });
    await db.mfaChallenge.create({ data: { userId, tokenHash: hashToken('c'), expiresAt: recent } });
    await db.accountToken.create({ data: { userId, kind: 'password_reset', tokenHash: hashToken('t-old'), expiresAt: old, usedAt: old } });
    await db.accountToken.create({ data: { userId, kind: 'password_reset', tokenHash: hashToken('t-recent'), expiresAt: recent } });
    await db.apiKey.create({ data: { userId, name: 'gone', prefix: 'rk_x', keyHash: hashToken('k-old'), revokedAt: old } });
    await db.rateLimitBucket.create({ data: { key: 'test:old', windowStart: old, count: 3, expiresAt: recent } });
    await db.rateLimitBucket.create({ data: { key: 'test:live', windowStart: now, count: 3, expiresAt: new Date(now.getTime() + DAY) } });

    const res = await call(`Bearer ${SECRET}`, 'https://cron.example');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(new Date(body.cutoff).getTime()).toBeCloseTo(now.getTime() - 30 * DAY, -4);
    expect(body.pruned).toMatchObject({
      auditEvents: 1,
      taskSteps: 2,
      taskSecrets: 2,
      otpTokens: 2,
      screenshots: 2,
      sessions: 2,
      mfaChallenges: 1,
      accountTokens: 1,
      apiKeys: 1,
      webhookDeliveries: 0,
      discoveryCache: 0,
    });
    expect(body.pruned.rateLimitBuckets).toBeGreaterThanOrEqual(1);

    // Finished task rows stay; their data is gone. Recent and running tasks are untouched.
    expect(await db.task.count({ where: { id: { in: [oldDone.id, oldFailed.id] } } })).toBe(2);
    expect(await db.taskStep.count({ where: { taskId: { in: [oldDone.id, oldFailed.id] } } })).toBe(0);
    for (const id of [recentDone.id, running.id]) {
      expect(await db.taskStep.count({ where: { taskId: id } })).toBe(1);
      expect(await db.taskSecret.count({ where: { taskId: id } })).toBe(1);
      expect(await db.screenshot.count({ where: { taskId: id } })).toBe(1);
    }
    expect(await db.accountToken.count({ where: { tokenHash: hashToken('t-recent') } })).toBe(1);
    expect(await db.rateLimitBucket.count({ where: { key: 'test:live' } })).toBe(1);
    expect(await db.auditEvent.count({ where: { userId } })).toBeGreaterThan(0);

    // Twice is harmless.
    const again = await (await call(`Bearer ${SECRET}`)).json();
    expect(again.pruned.auditEvents).toBe(0);
  });
});

describe('POST /api/cron/retention without CRON_SECRET', () => {
  forEachDatabase('unconfigured', (get) => {
    let h: Harness;
    beforeAll(() => {
      h = createHarness({ db: get().db, url: get().url });
    });
    afterAll(() => h.close());

    it('503, whatever is sent', async () => {
      const res = await h.browser().post('/api/cron/retention', undefined, { headers: { authorization: 'Bearer anything-at-all-here' } });
      expect(res.status).toBe(503);
      expect(await errorCode(res)).toBe('unavailable');
      expect((await h.browser().post('/api/cron/retention')).status).toBe(503);
    });
  });
});
