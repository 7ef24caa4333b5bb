// /api/jobs: status from the database (seed shape), the person's list with an
// opaque cursor, retry of failed/cancelled jobs, cancel of running ones.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../lib/db/index.js';
import { cancelRunningResets } from '../../lib/tasks/cancel-running-resets.js';
import { cancelSignal } from '../../workflows/reset-password.messages.js';
import { testConfig } from '../support/test-config.js';
import { insertTaskRow } from '../support/task-rows.js';
import { forEachDatabase } from '../support/test-db.js';
import { APP_ORIGIN, createResetApi, errorOf, FOREIGN_ORIGIN, request, signedInPerson, type Person, type ResetApi } from './tasks-support.js';

const seedSteps = [
  { name: 'navigate', status: 'completed', durationMs: 1200 },
  { name: 'enter_email', status: 'completed', durationMs: 800 },
  { name: 'wait_for_email', status: 'completed', durationMs: 45000 },
  { name: 'follow_link', status: 'completed', durationMs: 2000 },
  { name: 'set_password', status: 'completed', durationMs: 1500 },
  { name: 'verify_login', status: 'skipped', durationMs: 0 },
];

const insertTask = (db: Db, person: Person, data: Record<string, unknown> = {}, steps = seedSteps) =>
  insertTaskRow(db, person.userId, { steps: { create: steps.map((s, position) => ({ ...s, position })) }, ...data });

forEachDatabase('/api/jobs', (get) => {
  let api: ResetApi;

  beforeAll(() => {
    const { db, url } = get();
    api = createResetApi({ config: testConfig({ DATABASE_URL: url, TEMPORAL_TASK_QUEUE: `jobs-api-test-${randomBytes(4).toString('hex')}` }), db });
  });
  afterAll(async () => {
    await api?.close();
  });

  describe('GET /api/jobs/{id}', () => {
    it('200 in the seed’s shape, from the database', async () => {
      const alice = await signedInPerson(get().db);
      const startedAt = new Date('2026-03-04T12:00:00Z');
      const completedAt = new Date('2026-03-04T12:02:30Z');
      const task = await insertTask(get().db, alice, { status: 'completed', startedAt, completedAt, seq: 20 });
      const res = await request(api, 'GET', `/api/jobs/${task.id}`, { person: alice });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        id: task.id,
        status: 'completed',
        service: 'Netflix',
        serviceId: 'netflix',
        createdAt: task.createdAt.toISOString(),
        startedAt: '2026-03-04T12:00:00.000Z',
        completedAt: '2026-03-04T12:02:30.000Z',
        steps: [
          { name: 'navigate', status: 'completed', duration: 1200 },
          { name: 'enter_email', status: 'completed', duration: 800 },
          { name: 'wait_for_email', status: 'completed', duration: 45000 },
          { name: 'follow_link', status: 'completed', duration: 2000 },
          { name: 'set_password', status: 'completed', duration: 1500 },
          { name: 'verify_login', status: 'skipped', duration: 0 },
        ],
        failure: null,
        retryOf: null,
        confirmed: true,
      });
    });

    it('a completed reset the site never confirmed says so: confirmed false', async () => {
      const alice = await signedInPerson(get().db);
      const task = await insertTask(get().db, alice, { status: 'completed', completedAt: new Date(), confirmed: false });
      const res = await request(api, 'GET', `/api/jobs/${task.id}`, { person: alice });
      expect(await res.json()).toMatchObject({ status: 'completed', confirmed: false });
    });

    it('failed jobs say why; 401 anonymous; 404 for another person’s id, the same as an unknown one', async () => {
      const alice = await signedInPerson(get().db);
      const bob = await signedInPerson(get().db);
      const task = await insertTask(get().db, alice, { status: 'failed', failureType: 'EmailTimeout', failureReason: 'No reset email arrived in time.' }, []);
      const mine = (await (await request(api, 'GET', `/api/jobs/${task.id}`, { person: alice })).json()) as { failure: unknown; steps: unknown[] };
      expect(mine.failure).toEqual({ type: 'EmailTimeout', reason: 'No reset email arrived in time.' });
      expect(mine.steps).toEqual([]);
      expect((await request(api, 'GET', `/api/jobs/${task.id}`)).status).toBe(401);
      const other = await request(api, 'GET', `/api/jobs/${task.id}`, { person: bob });
      const unknown = await request(api, 'GET', `/api/jobs/${randomUUID()}`, { person: bob });
      expect(other.status).toBe(404);
      expect(await other.json()).toEqual(await unknown.json());
    });
  });

  describe('GET /api/jobs', () => {
    it('the caller’s jobs, newest first, paged by an opaque cursor', async () => {
      const alice = await signedInPerson(get().db);
      const bob = await signedInPerson(get().db);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push((await insertTask(get().db, alice, { createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)) })).id);
      }
      await insertTask(get().db, bob);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await request(api, 'GET', `/api/jobs?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { person: alice });
        expect(res.status).toBe(200);
        const page = (await res.json()) as { items: { id: string; service: string }[]; nextCursor: string | null };
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(seen).toEqual([...ids].reverse());
      expect(pages).toBe(3);
    });

    it('400 for a bad limit or cursor; 401 anonymous', async () => {
      const alice = await signedInPerson(get().db);
      const zero = await request(api, 'GET', '/api/jobs?limit=0', { person: alice });
      expect(zero.status).toBe(400);
      expect((await errorOf(zero)).field).toBe('limit');
      const bad = await request(api, 'GET', '/api/jobs?cursor=garbage', { person: alice });
      expect(bad.status).toBe(400);
      expect((await errorOf(bad)).field).toBe('cursor');
      expect((await request(api, 'GET', '/api/jobs')).status).toBe(401);
    });
  });

  describe('POST /api/jobs/{id}/retry', () => {
    it('201: a failed job runs again as a new task pointing back at it', async () => {
      const alice = await signedInPerson(get().db);
      const entry = await get().db.vaultEntry.create({ data: { userId: alice.userId, url: 'https://netflix.com', username: 'a@example.com', serviceId: 'netflix' } });
      const failed = await insertTask(get().db, alice, { status: 'failed', failureType: 'SiteChanged', vaultEntryId: entry.id, completedAt: new Date() });
      const res = await request(api, 'POST', `/api/jobs/${failed.id}/retry`, { person: alice, origin: APP_ORIGIN });
      expect(res.status).toBe(201);
      const body = (await res.json()) as { taskId: string; status: string; retryOf: string };
      expect(body).toEqual({ taskId: expect.any(String), status: 'pending', retryOf: failed.id });
      const retry = await get().db.task.findUniqueOrThrow({ where: { id: body.taskId } });
      expect(retry).toMatchObject({ retryOfId: failed.id, serviceId: 'netflix', email: failed.email, vaultEntryId: entry.id, status: 'pending' });
      const job = (await (await request(api, 'GET', `/api/jobs/${body.taskId}`, { person: alice })).json()) as { retryOf: string };
      expect(job.retryOf).toBe(failed.id);
    });

    it('a cancelled job of a site the catalog does not know is found again from its URL', async () => {
      const alice = await signedInPerson(get().db);
      const cancelled = await insertTask(get().db, alice, {
        status: 'cancelled',
        serviceId: 'paper-example-org',
        serviceName: 'paper-example.org',
        serviceUrl: 'https://paper-example.org/forgot',
      });
      const res = await request(api, 'POST', `/api/jobs/${cancelled.id}/retry`, { person: alice });
      expect(res.status).toBe(201);
      const { taskId } = (await res.json()) as { taskId: string };
      expect(await get().db.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({ serviceId: 'paper-example-org', serviceUrl: 'https://paper-example.org/forgot' });
    });

    it('409 unless failed or cancelled; 404 for another person’s; 401; 403 cross-origin', async () => {
      const alice = await signedInPerson(get().db);
      const bob = await signedInPerson(get().db);
      const running = await insertTask(get().db, alice, { status: 'running' });
      const done = await insertTask(get().db, alice, { status: 'completed' });
      const failed = await insertTask(get().db, alice, { status: 'failed' });
      for (const t of [running, done]) {
        const res = await request(api, 'POST', `/api/jobs/${t.id}/retry`, { person: alice });
        expect(res.status).toBe(409);
        expect((await errorOf(res)).code).toBe('conflict');
      }
      expect((await request(api, 'POST', `/api/jobs/${failed.id}/retry`, { person: bob })).status).toBe(404);
      expect((await request(api, 'POST', `/api/jobs/${failed.id}/retry`)).status).toBe(401);
      const cross = await request(api, 'POST', `/api/jobs/${failed.id}/retry`, { person: alice, origin: FOREIGN_ORIGIN });
      expect(cross.status).toBe(403);
      expect(await get().db.task.count({ where: { retryOfId: failed.id } })).toBe(0);
    });

    it('429 with Retry-After: retries count toward task creation', async () => {
      const alice = await signedInPerson(get().db);
      for (let i = 0; i < 5; i++) {
        const failed = await insertTask(get().db, alice, { status: 'failed' });
        expect((await request(api, 'POST', `/api/jobs/${failed.id}/retry`, { person: alice })).status).toBe(201);
      }
      const failed = await insertTask(get().db, alice, { status: 'failed' });
      const res = await request(api, 'POST', `/api/jobs/${failed.id}/retry`, { person: alice });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      // The task API shares the limit.
      const viaTasks = await request(api, 'POST', '/api/tasks/reset', { person: alice, body: { serviceUrl: 'https://netflix.com', email: 'x@example.com' } });
      expect(viaTasks.status).toBe(429);
    });
  });

  describe('cancelRunningResets (for account deletion)', () => {
    it('terminates the person’s unfinished resets and leaves others alone', async () => {
      const alice = await signedInPerson(get().db);
      const bob = await signedInPerson(get().db);
      const started = async (p: typeof alice) =>
        ((await (await request(api, 'POST', '/api/tasks/reset', { person: p, body: { serviceUrl: 'https://www.netflix.com', email: `d-${randomBytes(3).toString('hex')}@example.com` } })).json()) as { taskId: string }).taskId;
      const mine = await started(alice);
      const theirs = await started(bob);
      await insertTask(get().db, alice, { status: 'running' }); // its workflow never existed
      await insertTask(get().db, alice, { status: 'completed' });
      const client = await api.deps.temporal.client();
      expect(await cancelRunningResets({ db: get().db, temporal: client }, alice.userId)).toBe(2);
      const workflowOf = async (id: string) => (await get().db.task.findUniqueOrThrow({ where: { id } })).workflowId;
      expect((await client.workflow.getHandle(await workflowOf(mine)).describe()).status.name).toBe('TERMINATED');
      expect((await client.workflow.getHandle(await workflowOf(theirs)).describe()).status.name).toBe('RUNNING');
    });
  });

  describe('POST /api/jobs/{id}/cancel', () => {
    it('202: signals the running workflow to cancel', async () => {
      const alice = await signedInPerson(get().db);
      const created = await request(api, 'POST', '/api/tasks/reset', { person: alice, body: { serviceUrl: 'https://www.netflix.com', email: `c-${randomBytes(3).toString('hex')}@example.com` } });
      const { taskId } = (await created.json()) as { taskId: string };
      const res = await request(api, 'POST', `/api/jobs/${taskId}/cancel`, { person: alice, origin: APP_ORIGIN });
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ id: taskId, status: 'cancelling' });
      const task = await get().db.task.findUniqueOrThrow({ where: { id: taskId } });
      const client = await api.deps.temporal.client();
      const history = await client.workflow.getHandle(task.workflowId).fetchHistory();
      const signals = history.events!.filter((e) => e.workflowExecutionSignaledEventAttributes).map((e) => e.workflowExecutionSignaledEventAttributes!.signalName);
      expect(signals).toEqual([cancelSignal.name]);
    });

    it('409 when already finished; 404 for another person’s; 401; 403 cross-origin', async () => {
      const alice = await signedInPerson(get().db);
      const bob = await signedInPerson(get().db);
      const done = await insertTask(get().db, alice, { status: 'completed' });
      const res = await request(api, 'POST', `/api/jobs/${done.id}/cancel`, { person: alice });
      expect(res.status).toBe(409);
      expect((await errorOf(res)).code).toBe('conflict');
      const running = await insertTask(get().db, alice, { status: 'running' });
      expect((await request(api, 'POST', `/api/jobs/${running.id}/cancel`, { person: bob })).status).toBe(404);
      expect((await request(api, 'POST', `/api/jobs/${running.id}/cancel`)).status).toBe(401);
      expect((await request(api, 'POST', `/api/jobs/${running.id}/cancel`, { person: alice, origin: FOREIGN_ORIGIN })).status).toBe(403);
      // Its workflow does not exist (never started): nothing to cancel.
      const gone = await request(api, 'POST', `/api/jobs/${running.id}/cancel`, { person: alice });
      expect(gone.status).toBe(409);
    });
  });
});
