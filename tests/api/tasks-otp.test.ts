// Codes for a waiting reset — POST /api/tasks/{id}/otp, the phone link and a
// code typed in the chat — and the stream's query path, against a stand-in
// workflow (tests/api/tasks-scripted.workflow.ts) on the run's Temporal dev
// server: it answers the real progress query and takes the real submitOtp
// signal, and stays at "waiting for a code" as long as the test wants.
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../lib/crypto.js';
import { createDataConverter } from '../../lib/temporal/connection.js';
import { createTaskSecrets } from '../../lib/tasks/task-secrets.js';
import type { ResetProgress } from '../../workflows/reset-password.messages.js';
import { testConfig } from '../support/test-config.js';
import { forEachDatabase } from '../support/test-db.js';
import { createResetApi, errorOf, readSse, request, signedInPerson, type Person, type ResetApi } from './tasks-support.js';
import { otpRefsQuery, scriptProgressSignal } from './tasks-scripted.workflow.js';

try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process: keep it.
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5a4b5e60000000049454e44ae426082', 'hex');

forEachDatabase('codes for a waiting reset', (get) => {
  const queue = `tasks-otp-test-${randomBytes(4).toString('hex')}`;
  let api: ResetApi;
  let worker: Worker;
  let running: Promise<void>;
  let connection: NativeConnection;

  beforeAll(async () => {
    const { db, url } = get();
    const config = testConfig({ DATABASE_URL: url, TEMPORAL_TASK_QUEUE: queue });
    api = createResetApi({ config, db, streams: { pollIntervalMs: 100 } });
    connection = await NativeConnection.connect({ address: config.temporal.address! });
    worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: queue,
      workflowsPath: fileURLToPath(new URL('./tasks-scripted.workflow.ts', import.meta.url)),
      dataConverter: createDataConverter(api.deps.keyring),
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await connection?.close();
    await api?.close();
  });

  /** A task whose workflow is the stand-in; `wait()` puts it at a fresh code prompt. */
  async function scriptedTask(person: Person, serviceName = 'Telewave Mobile') {
    const id = randomUUID();
    const workflowId = `reset-scripted-${id}`;
    await get().db.task.create({
      data: { id, userId: person.userId, serviceId: 'telewave', serviceName, serviceUrl: 'https://telewave.example', email: person.email, accountKey: `telewave:${id}`, workflowId, status: 'running', step: 'navigate', seq: 1 },
    });
    const client = await api.deps.temporal.client();
    const handle: WorkflowHandle = await client.workflow.start('scriptedResetWorkflow', { taskQueue: queue, workflowId, args: [{ taskId: id }] });
    let seq = 1;
    const script = async (patch: Partial<ResetProgress>) => {
      seq++;
      await handle.signal(scriptProgressSignal, { seq, ...patch });
      await get().db.task.update({ where: { id }, data: { seq, status: patch.status ?? undefined, waitingFor: patch.waitingFor?.kind ?? null } });
    };
    const wait = async () => {
      const since = new Date();
      await script({ status: 'waiting_for_otp', step: 'follow_link', waitingFor: { kind: 'otp', since: since.toISOString(), until: new Date(since.getTime() + 600_000).toISOString(), source: 'sms', attemptsLeft: 5 } });
    };
    return { id, handle, script, wait, otpRefs: () => handle.query(otpRefsQuery) };
  }

  describe('POST /api/tasks/{id}/otp', () => {
    it('200 while the reset waits: the code reaches the workflow by reference, encrypted', async () => {
      const alice = await signedInPerson(get().db);
      const t = await scriptedTask(alice);
      await t.wait();
      const res = await request(api, 'POST', `/api/tasks/${t.id}/otp`, { person: alice, body: { code: '482 913' } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ accepted: true });
      const refs = await t.otpRefs();
      expect(refs).toHaveLength(1);
      const row = await get().db.taskSecret.findUniqueOrThrow({ where: { id: refs[0]! } });
      expect(row).toMatchObject({ taskId: t.id, kind: 'otp' });
      expect(Buffer.from(row.valueEnc).toString('latin1')).not.toContain('482913');
      expect(await createTaskSecrets(api.deps).get(t.id, refs[0]!)).toEqual({ kind: 'otp', value: '482913' });
    });

    it('5 codes per wait, then 429 with Retry-After; the next wait takes codes again', async () => {
      const alice = await signedInPerson(get().db);
      const t = await scriptedTask(alice);
      await t.wait();
      for (let i = 0; i < 5; i++) {
        expect((await request(api, 'POST', `/api/tasks/${t.id}/otp`, { person: alice, body: { code: `11111${i}` } })).status).toBe(200);
      }
      const sixth = await request(api, 'POST', `/api/tasks/${t.id}/otp`, { person: alice, body: { code: '999999' } });
      expect(sixth.status).toBe(429);
      expect((await errorOf(sixth)).code).toBe('rate_limited');
      expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await t.otpRefs()).toHaveLength(5);
      await new Promise((r) => setTimeout(r, 5)); // a new wait begins at a new instant
      await t.wait();
      expect((await request(api, 'POST', `/api/tasks/${t.id}/otp`, { person: alice, body: { code: '222222' } })).status).toBe(200);
    });

    it('409 while the workflow is not waiting for a code, whatever the row says', async () => {
      const alice = await signedInPerson(get().db);
      const t = await scriptedTask(alice);
      await get().db.task.update({ where: { id: t.id }, data: { status: 'waiting_for_otp', waitingFor: 'otp' } });
      const res = await request(api, 'POST', `/api/tasks/${t.id}/otp`, { person: alice, body: { code: '123456' } });
      expect(res.status).toBe(409);
      expect((await errorOf(res)).code).toBe('not_waiting');
      expect(await t.otpRefs()).toEqual([]);
    });
  });

  describe('the phone link and the chat', () => {
    it('the stream shows the phone link; a code typed there is accepted once; the link is then gone', async () => {
      const alice = await signedInPerson(get().db);
      const t = await scriptedTask(alice);
      const res = await request(api, 'GET', `/api/tasks/${t.id}/stream`, { person: alice });
      const stream = readSse(res);
      expect((await stream.next()).value!.raw).toBe('event: status\ndata: {"status":"running","step":"navigate"}\nid: 1');
      await t.wait();
      const waiting = (await stream.next()).value!;
      const { otpUrl } = JSON.parse(waiting.data[0]!) as { otpUrl: string };
      expect(waiting.id).toBe('2');
      const token = otpUrl.split('/otp/')[1]!;
      const row = await get().db.otpToken.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });
      const progress = await t.handle.query<ResetProgress>('progress');
      expect(row.expiresAt.toISOString()).toBe(progress.waitingFor && 'until' in progress.waitingFor ? progress.waitingFor.until : '');

      // No session on the phone: the token is the credential.
      const accepted = await request(api, 'POST', `/api/otp/${token}`, { body: { code: '654321' } });
      expect(accepted.status).toBe(200);
      expect(await accepted.json()).toEqual({ accepted: true });
      expect(await t.otpRefs()).toHaveLength(1);
      const again = await request(api, 'POST', `/api/otp/${token}`, { body: { code: '654321' } });
      expect(again.status).toBe(410);
      expect((await request(api, 'GET', `/otp/${token}`)).status).toBe(410);
      await stream.return(undefined);
    });

    it('a code typed in the chat goes to the latest reset that waits', async () => {
      const alice = await signedInPerson(get().db);
      const t = await scriptedTask(alice, 'Telewave <Mobile>');
      await t.wait();
      const res = await request(api, 'POST', '/api/chat/reset', { person: alice, body: { message: '7 3 1 9 0 4' } });
      expect(await res.text()).toBe('data: <!-- section:progress -->\ndata: Code received. Entering it on Telewave &lt;Mobile&gt;...\n\n');
      expect(await t.otpRefs()).toHaveLength(1);
    });
  });

  describe('the stream, from the workflow', () => {
    it('a CAPTCHA: the screenshot, then the status; the end', async () => {
      const alice = await signedInPerson(get().db);
      const t = await scriptedTask(alice);
      const shot = await get().db.screenshot.create({ data: { taskId: t.id, step: 'enter_email', data: new Uint8Array(PNG) } });
      const res = await request(api, 'GET', `/api/tasks/${t.id}/stream`, { person: alice });
      const stream = readSse(res);
      await stream.next();
      const until = new Date(Date.now() + 60_000).toISOString();
      await t.script({ status: 'captcha_required', screenshotId: shot.id, waitingFor: { kind: 'captcha', since: new Date().toISOString(), until, vendor: 'recaptcha' } });
      expect((await stream.next()).value!.raw).toBe(`event: screenshot\ndata: {"url":"data:image/png;base64,${PNG.toString('base64')}"}\nid: 2`);
      const captcha = (await stream.next()).value!;
      expect(captcha.id).toBe('2');
      expect(JSON.parse(captcha.data[0]!)).toEqual({
        status: 'captcha_required',
        vendor: 'recaptcha',
        until,
        message: expect.stringContaining('CAPTCHA'),
      });
      await t.script({ status: 'failed', failure: { type: 'CaptchaRequired', message: 'The site asked for a CAPTCHA that needs a person to solve.' } });
      expect((await stream.next()).value!.raw).toBe(
        'event: status\ndata: {"status":"failed","reason":"The site asked for a CAPTCHA that needs a person to solve.","type":"CaptchaRequired"}\nid: 3',
      );
      expect((await stream.next()).done).toBe(true);
    });
  });
});
