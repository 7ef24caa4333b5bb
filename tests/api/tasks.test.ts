// /api/tasks: create, stream, OTP and screenshots, over the real app, a real
// database and the run's Temporal dev server. No worker polls this file's task
// queue, so started workflows wait: streams fall back to the task row, which
// the tests write the way the workflow's bookkeeping activity would.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLastEventId } from '../../api/routes/tasks.js';
import { frameSse } from '../../api/sse/sse.js';
import type { Db } from '../../lib/db/index.js';
import { hashToken } from '../../lib/crypto.js';
import { testConfig } from '../support/test-config.js';
import { forEachDatabase } from '../support/test-db.js';
import {
  APP_ORIGIN,
  collectSse,
  createResetApi,
  errorOf,
  FOREIGN_ORIGIN,
  readSse,
  request,
  signedInPerson,
  statusEvents,
  type Person,
  type ResetApi,
} from './tasks-support.js';
import { insertTaskRow } from '../support/task-rows.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5a4b5e60000000049454e44ae426082', 'hex');

const insertTask = (db: Db, person: Person, data: Parameters<typeof insertTaskRow>[2] = {}) => insertTaskRow(db, person.userId, data);

describe('framing helpers', () => {
  it('frames a message as the seed shows it, one data line per line', () => {
    expect(frameSse({ event: 'status', id: '3', data: '{"status":"waiting_for_email"}' })).toBe('event: status\ndata: {"status":"waiting_for_email"}\nid: 3\n\n');
    expect(frameSse({ data: '<!-- section:header -->\n## Resetting Netflix password' })).toBe('data: <!-- section:header -->\ndata: ## Resetting Netflix password\n\n');
  });
  it('reads Last-Event-ID only when it is one of ours', () => {
    expect(parseLastEventId('12')).toBe(12);
    expect(parseLastEventId(undefined)).toBe(-1);
    expect(parseLastEventId('abc')).toBe(-1);
    expect(parseLastEventId('-3')).toBe(-1);
  });
});

forEachDatabase('/api/tasks', (get) => {
  let api: ResetApi;
  let strict: ResetApi;

  beforeAll(async () => {
    const { db, url } = get();
    const queue = `tasks-api-test-${randomBytes(4).toString('hex')}`; // no worker polls it
    api = createResetApi({
      config: testConfig({ DATABASE_URL: url, TEMPORAL_TASK_QUEUE: queue }),
      db,
      streams: { pollIntervalMs: 100, queryTimeoutMs: 300, queryRetryMs: 60_000, keepAliveMs: 200 },
    });
    strict = createResetApi({ config: testConfig({ DATABASE_URL: url, TEMPORAL_TASK_QUEUE: queue, REKEY_ALLOW_PRIVATE_TARGETS: 'false' }), db });
  });
  afterAll(async () => {
    await api?.close();
    await strict?.close();
  });

  describe('POST /api/tasks/reset', () => {
    it('201: creates a pending task for a catalog service and starts its workflow', async () => {
      const alice = await signedInPerson(get().db);
      const res = await request(api, 'POST', '/api/tasks/reset', { person: alice, origin: APP_ORIGIN, body: { serviceUrl: 'https://www.netflix.com/', email: 'alice@example.com' } });
      expect(res.status).toBe(201);
      const body = (await res.json()) as { taskId: string; status: string };
      expect(body).toEqual({ taskId: expect.any(String), status: 'pending' });
      const task = await get().db.task.findUniqueOrThrow({ where: { id: body.taskId } });
      expect(task).toMatchObject({ userId: alice.userId, serviceId: 'netflix', serviceName: 'Netflix', email: 'alice@example.com', status: 'pending' });
      const client = await api.deps.temporal.client();
      const described = await client.workflow.getHandle(task.workflowId).describe();
      expect(described.status.name).toBe('RUNNING');
    });

    it('201: a site the catalog does not know becomes a generic service; passwordId must be yours', async () => {
      const alice = await signedInPerson(get().db);
      const entry = await get().db.vaultEntry.create({ data: { userId: alice.userId, url: 'https://shop.example-paper.com', username: 'a@example.com' } });
      const res = await request(api, 'POST', '/api/tasks/reset', {
        person: alice,
        body: { serviceUrl: 'https://shop.example-paper.com/account', email: 'a@example.com', passwordId: entry.id },
      });
      expect(res.status).toBe(201);
      const { taskId } = (await res.json()) as { taskId: string };
      expect(await get().db.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({
        serviceId: 'example-paper-com',
        serviceName: 'example-paper.com',
        vaultEntryId: entry.id,
      });

      const bob = await signedInPerson(get().db);
      const stolen = await request(api, 'POST', '/api/tasks/reset', { person: bob, body: { serviceUrl: 'https://www.spotify.com', email: 'b@example.com', passwordId: entry.id } });
      expect(stolen.status).toBe(404);
      expect((await errorOf(stolen)).code).toBe('not_found');
    });

    it('400 names the field: missing email, bad URLs, credentials, private targets', async () => {
      const alice = await signedInPerson(get().db);
      const noEmail = await request(api, 'POST', '/api/tasks/reset', { person: alice, body: { serviceUrl: 'https://netflix.com' } });
      expect(noEmail.status).toBe(400);
      expect(await errorOf(noEmail)).toMatchObject({ code: 'validation_failed', field: 'email' });

      const bob = await signedInPerson(get().db);
      for (const serviceUrl of ['ftp://netflix.com/', 'https://user:pass@netflix.com/', 'not a url']) {
        const res = await request(api, 'POST', '/api/tasks/reset', { person: bob, body: { serviceUrl, email: 'b@example.com' } });
        expect(res.status, serviceUrl).toBe(400);
        expect(await errorOf(res)).toMatchObject({ code: 'target_not_allowed', field: 'serviceUrl' });
      }

      const carol = await signedInPerson(get().db);
      for (const serviceUrl of ['http://127.0.0.1:4600/', 'http://2130706433/', 'http://169.254.169.254/latest', 'http://[::ffff:10.0.0.1]/']) {
        const res = await request(strict, 'POST', '/api/tasks/reset', { person: carol, body: { serviceUrl, email: 'c@example.com' } });
        expect(res.status, serviceUrl).toBe(400);
        expect(await errorOf(res)).toMatchObject({ code: 'target_not_allowed', field: 'serviceUrl' });
      }
    });

    it('401 without a session; 403 with a cookie from a foreign origin', async () => {
      const anonymous = await request(api, 'POST', '/api/tasks/reset', { body: { serviceUrl: 'https://netflix.com', email: 'a@example.com' } });
      expect(anonymous.status).toBe(401);
      const alice = await signedInPerson(get().db);
      const before = await get().db.task.count({ where: { userId: alice.userId } });
      const cross = await request(api, 'POST', '/api/tasks/reset', { person: alice, origin: FOREIGN_ORIGIN, body: { serviceUrl: 'https://netflix.com', email: 'a@example.com' } });
      expect(cross.status).toBe(403);
      expect((await errorOf(cross)).code).toBe('csrf_rejected');
      expect(await get().db.task.count({ where: { userId: alice.userId } })).toBe(before);
    });

    it('409 while the account already has a running reset', async () => {
      const alice = await signedInPerson(get().db);
      const body = { serviceUrl: 'https://www.spotify.com', email: `dup-${randomBytes(3).toString('hex')}@example.com` };
      expect((await request(api, 'POST', '/api/tasks/reset', { person: alice, body })).status).toBe(201);
      const again = await request(api, 'POST', '/api/tasks/reset', { person: alice, body: { ...body, email: body.email.toUpperCase() } });
      expect(again.status).toBe(409);
      expect((await errorOf(again)).code).toBe('conflict');
    });

    it('409 mailbox_required without mailbox settings: no task, no workflow, and the way to set one up (a retry too)', async () => {
      const { db } = get();
      const dana = await signedInPerson(db, undefined, { mailbox: false });
      const res = await request(api, 'POST', '/api/tasks/reset', { person: dana, origin: APP_ORIGIN, body: { serviceUrl: 'https://www.netflix.com/', email: 'dana@example.com' } });
      expect(res.status).toBe(409);
      const error = await errorOf(res);
      expect(error.code).toBe('mailbox_required');
      expect(error.message).toMatch(/mailbox/i);
      expect(error.message).toMatch(/Mailbox page/);
      expect(error.message).not.toMatch(/\/api\//);
      expect(await db.task.count({ where: { userId: dana.userId } })).toBe(0);
      expect(await db.resetLock.count({ where: { accountKey: 'netflix:dana@example.com' } })).toBe(0);

      // Retrying an old failed reset is a start too.
      const old = await insertTask(db, dana, { status: 'failed', failureType: 'MailboxAuth', failureReason: 'The mailbox refused the IMAP credentials.' });
      const retry = await request(api, 'POST', `/api/jobs/${old.id}/retry`, { person: dana });
      expect(retry.status).toBe(409);
      expect((await errorOf(retry)).code).toBe('mailbox_required');
      expect(await db.task.count({ where: { userId: dana.userId } })).toBe(1);

      // With mailbox settings, the same request starts.
      await db.mailbox.create({ data: { userId: dana.userId, host: 'imap.example.com', port: 993, secure: true, username: 'dana', passwordEnc: randomBytes(40) } });
      const started = await request(api, 'POST', '/api/tasks/reset', { person: dana, body: { serviceUrl: 'https://www.netflix.com/', email: 'dana@example.com' } });
      expect(started.status).toBe(201);
    });

    it('429 with Retry-After after 5 requests in 5 minutes; every POST counts', async () => {
      const alice = await signedInPerson(get().db);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        // Invalid ones count too.
        const body = i % 2 ? { serviceUrl: 'ftp://x.example' } : { serviceUrl: 'https://www.dropbox.com', email: `r${i}-${randomBytes(3).toString('hex')}@example.com` };
        statuses.push((await request(api, 'POST', '/api/tasks/reset', { person: alice, body })).status);
      }
      expect(statuses).toEqual([201, 400, 201, 400, 201]);
      const sixth = await request(api, 'POST', '/api/tasks/reset', { person: alice, body: { serviceUrl: 'https://www.dropbox.com', email: 'late@example.com' } });
      expect(sixth.status).toBe(429);
      expect((await errorOf(sixth)).code).toBe('rate_limited');
      const retryAfter = Number(sixth.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(300);
      // Per user: someone else is not affected.
      const bob = await signedInPerson(get().db);
      expect((await request(api, 'POST', '/api/tasks/reset', { person: bob, body: { serviceUrl: 'https://www.dropbox.com', email: 'bob@example.com' } })).status).toBe(201);
    });
  });

  describe('GET /api/tasks/{id}/stream', () => {
    it('a finished task replays its final state at once from the database, screenshot first', async () => {
      const alice = await signedInPerson(get().db);
      const entry = await get().db.vaultEntry.create({ data: { userId: alice.userId, url: 'https://netflix.com', username: 'a@example.com' } });
      const task = await insertTask(get().db, alice, { status: 'completed', step: 'verify_login', seq: 14, vaultEntryId: entry.id, completedAt: new Date() });
      const shot = await get().db.screenshot.create({ data: { taskId: task.id, step: 'verify_login', data: new Uint8Array(PNG) } });
      await get().db.task.update({ where: { id: task.id }, data: { screenshotId: shot.id } });

      const res = await request(api, 'GET', `/api/tasks/${task.id}/stream`, { person: alice });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toBe(
        `event: screenshot\ndata: {"url":"data:image/png;base64,${PNG.toString('base64')}"}\nid: 14\n\n` +
          `event: status\ndata: {"status":"completed","vaultEntryId":"${entry.id}","confirmed":true}\nid: 14\n\n`,
      );
    });

    it('failed: reason and type; a reconnect that has seen it gets nothing more', async () => {
      const alice = await signedInPerson(get().db);
      const task = await insertTask(get().db, alice, {
        status: 'failed',
        seq: 9,
        failureType: 'EmailTimeout',
        failureReason: 'No reset email arrived in time. Check the mailbox settings and the account email.',
        completedAt: new Date(),
      });
      const res = await request(api, 'GET', `/api/tasks/${task.id}/stream`, { person: alice });
      expect(await res.text()).toBe(
        'event: status\ndata: {"status":"failed","reason":"No reset email arrived in time. Check the mailbox settings and the account email.","type":"EmailTimeout"}\nid: 9\n\n',
      );
      const resumed = await request(api, 'GET', `/api/tasks/${task.id}/stream`, { person: alice, headers: { 'last-event-id': '9' } });
      expect(resumed.status).toBe(200);
      expect(await resumed.text()).toBe('');
    });

    it('401 without a session; 404 for another person’s task, the same as an unknown one', async () => {
      const alice = await signedInPerson(get().db);
      const bob = await signedInPerson(get().db);
      const task = await insertTask(get().db, alice, { status: 'completed', seq: 3 });
      expect((await request(api, 'GET', `/api/tasks/${task.id}/stream`)).status).toBe(401);
      const other = await request(api, 'GET', `/api/tasks/${task.id}/stream`, { person: bob });
      const unknown = await request(api, 'GET', `/api/tasks/${randomUUID()}/stream`, { person: bob });
      expect(other.status).toBe(404);
      expect(unknown.status).toBe(404);
      expect(await other.json()).toEqual(await unknown.json());
    });

    it('without a worker, follows the task row: steps, the phone link, keep-alives, the end', async () => {
      const { db } = get();
      const alice = await signedInPerson(db);
      const created = await request(api, 'POST', '/api/tasks/reset', { person: alice, body: { serviceUrl: 'https://www.netflix.com', email: `s-${randomBytes(3).toString('hex')}@example.com` } });
      const { taskId } = (await created.json()) as { taskId: string };

      const res = await request(api, 'GET', `/api/tasks/${taskId}/stream`, { person: alice });
      const it = readSse(res);
      const next = async () => (await it.next()).value!;
      const nextEvent = async () => {
        for (;;) {
          const m = await next();
          if (!m.comment) return m;
        }
      };
      const first = await nextEvent();
      expect(first.raw).toBe('event: status\ndata: {"status":"pending"}\nid: 0');

      await db.task.update({ where: { id: taskId }, data: { status: 'running', step: 'navigate', seq: 1 } });
      expect((await nextEvent()).raw).toBe('event: status\ndata: {"status":"running","step":"navigate"}\nid: 1');

      // A change that does not change the status event (a step's duration) sends nothing;
      // the next status change carries the newer id.
      await db.task.update({ where: { id: taskId }, data: { seq: 2 } });
      await db.task.update({ where: { id: taskId }, data: { status: 'running', step: 'enter_email', seq: 3 } });
      expect((await nextEvent()).raw).toBe('event: status\ndata: {"status":"running","step":"enter_email"}\nid: 3');

      await db.task.update({ where: { id: taskId }, data: { status: 'waiting_for_otp', waitingFor: 'otp', seq: 4 } });
      const otp = await nextEvent();
      const data = JSON.parse(otp.data[0]!) as { status: string; otpUrl: string };
      expect(otp.id).toBe('4');
      expect(Object.keys(data)).toEqual(['status', 'otpUrl']);
      expect(data.status).toBe('waiting_for_otp');
      expect(data.otpUrl).toMatch(new RegExp(`^${APP_ORIGIN}/otp/[A-Za-z0-9_-]{43}$`));
      const token = data.otpUrl.split('/otp/')[1]!;
      const row = await db.otpToken.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });
      expect(row.taskId).toBe(taskId);
      expect(Buffer.from(row.tokenEnc).toString('utf8')).not.toContain(token);

      // Quiet: keep-alive comments.
      const quiet = await next();
      expect(quiet.raw).toBe(': keep-alive');

      // A reconnect mid-wait shows the same link, and only what is newer than Last-Event-ID.
      const again = await request(api, 'GET', `/api/tasks/${taskId}/stream`, { person: alice, headers: { 'last-event-id': '3' } });
      const againMessages = await collectSse(again, { until: (m) => m.event === 'status' });
      expect(statusEvents(againMessages)).toEqual([{ id: '4', status: 'waiting_for_otp', otpUrl: data.otpUrl }]);

      await db.task.update({ where: { id: taskId }, data: { status: 'cancelled', waitingFor: null, seq: 5, failureType: 'Cancelled', failureReason: 'cancelled by the person', completedAt: new Date() } });
      expect((await nextEvent()).raw).toBe('event: status\ndata: {"status":"cancelled","reason":"cancelled by the person"}\nid: 5');
      expect((await it.next()).done).toBe(true);
      await expect.poll(() => api.hub.stats().active, { timeout: 10_000 }).toBe(0);
    });

    it('one poller per task, gone when the last subscriber leaves', async () => {
      const { db } = get();
      const alice = await signedInPerson(db);
      const task = await insertTask(db, alice, { status: 'running', step: 'navigate', seq: 1 });
      const controllers = Array.from({ length: 5 }, () => new AbortController());
      const streams = await Promise.all(controllers.map((ctl) => request(api, 'GET', `/api/tasks/${task.id}/stream`, { person: alice, signal: ctl.signal })));
      const readers = streams.map((res) => readSse(res));
      for (const r of readers) expect((await r.next()).value!.raw).toBe('event: status\ndata: {"status":"running","step":"navigate"}\nid: 1');
      const stats = api.hub.stats();
      expect(stats.subscribers).toBeGreaterThanOrEqual(5);
      for (const r of readers) await r.return(undefined);
      await expect.poll(() => api.hub.stats().active, { timeout: 10_000 }).toBe(0);
    });
  });

  describe('POST /api/tasks/{id}/otp', () => {
    it('400 for a malformed code, with the field named', async () => {
      const alice = await signedInPerson(get().db);
      const task = await insertTask(get().db, alice, { status: 'waiting_for_otp', waitingFor: 'otp', seq: 4 });
      const short = await request(api, 'POST', `/api/tasks/${task.id}/otp`, { person: alice, body: { code: '12' } });
      expect(short.status).toBe(400);
      expect(await errorOf(short)).toMatchObject({ code: 'validation_failed', field: 'code' });
      const missing = await request(api, 'POST', `/api/tasks/${task.id}/otp`, { person: alice, body: {} });
      expect(missing.status).toBe(400);
      expect(await errorOf(missing)).toMatchObject({ field: 'code' });
    });

    it('409 when the reset is not waiting for a code', async () => {
      const alice = await signedInPerson(get().db);
      const done = await insertTask(get().db, alice, { status: 'completed', seq: 12 });
      const res = await request(api, 'POST', `/api/tasks/${done.id}/otp`, { person: alice, body: { code: '123456' } });
      expect(res.status).toBe(409);
      expect((await errorOf(res)).code).toBe('not_waiting');
    });

    it('401, 403 cross-origin, 404 for another person’s task', async () => {
      const alice = await signedInPerson(get().db);
      const bob = await signedInPerson(get().db);
      const task = await insertTask(get().db, alice, { status: 'waiting_for_otp', waitingFor: 'otp', seq: 4 });
      expect((await request(api, 'POST', `/api/tasks/${task.id}/otp`, { body: { code: '123456' } })).status).toBe(401);
      const cross = await request(api, 'POST', `/api/tasks/${task.id}/otp`, { person: alice, origin: FOREIGN_ORIGIN, body: { code: '123456' } });
      expect(cross.status).toBe(403);
      const other = await request(api, 'POST', `/api/tasks/${task.id}/otp`, { person: bob, body: { code: '123456' } });
      expect(other.status).toBe(404);
      expect(await get().db.taskSecret.count({ where: { taskId: task.id } })).toBe(0);
    });
  });

  describe('GET /api/tasks/{id}/screenshots/{screenshotId}', () => {
    it('serves the owner’s screenshot; 404 for anyone else; 401 anonymous', async () => {
      const alice = await signedInPerson(get().db);
      const bob = await signedInPerson(get().db);
      const task = await insertTask(get().db, alice, { status: 'captcha_required', seq: 5 });
      const shot = await get().db.screenshot.create({ data: { taskId: task.id, step: 'enter_email', data: new Uint8Array(PNG) } });
      const res = await request(api, 'GET', `/api/tasks/${task.id}/screenshots/${shot.id}`, { person: alice });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG);
      expect((await request(api, 'GET', `/api/tasks/${task.id}/screenshots/${shot.id}`, { person: bob })).status).toBe(404);
      expect((await request(api, 'GET', `/api/tasks/${task.id}/screenshots/${shot.id}`)).status).toBe(401);
    });
  });

  it('documents every reset route in the OpenAPI document, streams as text/event-stream', async () => {
    const res = await request(api, 'GET', '/api/openapi.json');
    const doc = (await res.json()) as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>> };
    expect(Object.keys(doc.paths['/api/tasks/{id}/stream']!.get!.responses['200']!.content!)).toEqual(['text/event-stream']);
    expect(Object.keys(doc.paths['/api/chat/reset']!.post!.responses['200']!.content!)).toEqual(['text/event-stream']);
    for (const [path, method] of [
      ['/api/tasks/reset', 'post'],
      ['/api/tasks/{id}/otp', 'post'],
      ['/api/jobs', 'get'],
      ['/api/jobs/{id}', 'get'],
      ['/api/jobs/{id}/retry', 'post'],
      ['/api/jobs/{id}/cancel', 'post'],
      ['/otp/{token}', 'get'],
      ['/api/otp/{token}', 'post'],
    ] as const) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeTruthy();
    }
  });
});
