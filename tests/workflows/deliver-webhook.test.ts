// deliverWebhookWorkflow on the run's real Temporal dev server, with a real
// worker in this process and a real HTTP receiver on 127.0.0.1 that checks
// every signature with the Standard Webhooks reference implementation.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createWebhookActivities } from '../../activities/webhooks/webhook-activities.js';
import { createKeyring, type Keyring } from '../../lib/crypto.js';
import type { Db } from '../../lib/db/index.js';
import { createLogger } from '../../lib/logger.js';
import { systemResolver, type HostResolver } from '../../lib/net/target-guard.js';
import { createDataConverter } from '../../lib/temporal/connection.js';
import { EncryptionCodec } from '../../lib/temporal/codec.js';
import { resetEventMessageId } from '../../lib/webhooks/build-event.js';
import { enqueueWebhookDelivery } from '../../lib/webhooks/enqueue-delivery.js';
import { createWebhookEventSink } from '../../lib/webhooks/event-sink.js';
import type { WebhookEventType } from '../../lib/webhooks/event-types.js';
import { createWebhookStore } from '../../lib/webhooks/webhook-store.js';
import {
  deliveryWorkflowIdFor,
  type DeliverWebhookResult,
  type DeliverWebhookWorkflow,
  type DeliveryRetryOptions,
} from '../../workflows/deliver-webhook.messages.js';
import type { ResetProgress } from '../../workflows/reset-password.messages.js';
import { testConfig } from '../support/test-config.js';
import { forEachDatabase } from '../support/test-db.js';
import { insertTaskRow } from '../support/task-rows.js';

/** Fast backoff: 100 ms, 200 ms, … so three attempts take well under a second. */
const FAST_RETRY: DeliveryRetryOptions = { initialInterval: 100, backoffCoefficient: 2, maximumInterval: 1_000, maximumAttempts: 3, scheduleToClose: 60_000 };
const REQUEST_TIMEOUT_MS = 500;
/** Names only this test resolves (to the receiver): the guard's DNS path without real DNS. */
const testResolver: HostResolver = async (host) => (host === 'receiver.test' ? ['127.0.0.1'] : systemResolver(host));

// ---- a receiver that answers from a script and keeps what it got ----

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** Status codes for the next requests, in order; 200 once they run out. */
  script(...statuses: number[]): void;
  delayMs: number;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const queue: number[] = [];
  const received: Received[] = [];
  const state = { delayMs: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = queue.shift() ?? 200;
      setTimeout(() => res.writeHead(status).end(status === 200 ? 'ok' : 'no'), state.delayMs).unref();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    port,
    received,
    script: (...statuses) => queue.push(...statuses),
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(ms: number) {
      state.delayMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const headerRecord = (h: IncomingHttpHeaders) =>
  Object.fromEntries(Object.entries(h).filter((e): e is [string, string] => typeof e[1] === 'string'));

// ---- shared across both databases ----

try {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
} catch {
  // Already installed in this process: keep it.
}

let bundle: { code: string };
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

beforeAll(async () => {
  bundle = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('../../workflows/deliver-webhook.workflow.ts', import.meta.url)),
    logger: quiet,
  });
});

forEachDatabase('deliverWebhookWorkflow', (get) => {
  const suffix = randomBytes(4).toString('hex');
  const queue = `deliver-webhook-test-${suffix}`;
  const strictQueue = `deliver-webhook-test-strict-${suffix}`;
  const keyring: Keyring = createKeyring(randomBytes(32));
  const logger = createLogger({ level: 'silent' });
  let db: Db;
  let client: Client;
  let receiver: Receiver;
  const workers: { worker: Worker; running: Promise<void> }[] = [];

  beforeAll(async () => {
    db = get().db;
    receiver = await startReceiver();
    const dataConverter = createDataConverter(keyring);
    client = new Client({
      connection: await Connection.connect({ address: inject('temporalAddress') }),
      namespace: inject('temporalNamespace'),
      dataConverter,
    });
    const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
    // One worker that allows private targets (the receiver is on loopback), one that does not.
    for (const [taskQueue, allowPrivateTargets] of [
      [queue, true],
      [strictQueue, false],
    ] as const) {
      const worker = await Worker.create({
        connection,
        namespace: inject('temporalNamespace'),
        taskQueue,
        workflowBundle: bundle,
        activities: createWebhookActivities({ db, keyring, allowPrivateTargets, requestTimeoutMs: REQUEST_TIMEOUT_MS, resolver: testResolver }),
        dataConverter,
      });
      workers.push({ worker, running: worker.run() });
    }
  });

  afterAll(async () => {
    for (const w of workers) w.worker.shutdown();
    await Promise.all(workers.map((w) => w.running));
    await client?.connection.close();
    await receiver?.close();
  });

  // ---- helpers ----

  const sinkFor = (taskQueue: string, allowPrivate = true) =>
    createWebhookEventSink({
      db,
      keyring,
      config: testConfig({ TEMPORAL_TASK_QUEUE: taskQueue, REKEY_ALLOW_PRIVATE_TARGETS: String(allowPrivate) }),
      logger,
      temporal: { client: async () => client },
      retry: FAST_RETRY,
    });
  const store = () => createWebhookStore({ db, keyring, allowPrivateTargets: true, resolver: testResolver });

  async function newUser() {
    return db.user.create({ data: { email: `${randomUUID()}@example.com` } });
  }

  // The account email must never reach a receiver: the tests look for it in what they get.
  const newTask = (userId: string) => insertTaskRow(db, userId, { email: 'person@example.com' });

  function progress(taskId: string, patch: Partial<ResetProgress> = {}): ResetProgress {
    return { taskId, status: 'running', step: 'set_password', steps: [{ name: 'navigate', status: 'completed', durationMs: 1200 }], seq: 3, ...patch };
  }

  async function resultOf(type: WebhookEventType, taskId: string, seq: number, webhookId: string): Promise<DeliverWebhookResult> {
    const workflowId = deliveryWorkflowIdFor(resetEventMessageId({ taskId, type, seq }), webhookId);
    return client.workflow.getHandle<DeliverWebhookWorkflow>(workflowId).result();
  }

  async function attempts(webhookId: string) {
    return db.webhookDelivery.findMany({ where: { webhookId }, orderBy: { attempt: 'asc' } });
  }

  const receivedFor = (messageId: string) => receiver.received.filter((r) => r.headers['webhook-id'] === messageId);

  // ---- tests ----

  it('delivers a signed reset.needs_otp event carrying the OTP link, and keeps the body out of Temporal', async () => {
    const user = await newUser();
    const task = await newTask(user.id);
    const { webhook, secret } = await store().create(user.id, { url: receiver.url, events: ['reset.needs_otp'] });
    const otpUrl = `http://localhost:3000/otp/${randomBytes(12).toString('base64url')}`;
    const p = progress(task.id, {
      status: 'waiting_for_otp',
      seq: 7,
      waitingFor: { kind: 'otp', since: '2026-01-01T10:00:00.000Z', until: '2026-01-01T10:10:00.000Z', source: 'sms', attemptsLeft: 5 },
    });

    await sinkFor(queue).emit({ userId: user.id, taskId: task.id, type: 'reset.needs_otp', progress: p, otpUrl });
    expect(await resultOf('reset.needs_otp', task.id, 7, webhook.id)).toEqual({ outcome: 'delivered' });

    const messageId = resetEventMessageId({ taskId: task.id, type: 'reset.needs_otp', seq: 7 });
    const [got] = receivedFor(messageId);
    expect(got).toBeDefined();
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    const payload = new Webhook(secret).verify(got!.body, headerRecord(got!.headers)) as Record<string, any>;
    expect(payload).toEqual({
      type: 'reset.needs_otp',
      timestamp: expect.any(String),
      data: {
        taskId: task.id,
        service: { id: 'netflix', name: 'Netflix' },
        status: 'waiting_for_otp',
        step: 'set_password',
        otp: { source: 'sms', until: '2026-01-01T10:10:00.000Z', attemptsLeft: 5 },
        otpUrl,
      },
    });
    expect(got!.body).not.toContain('person@example.com');
    expect(() => new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(got!.body, headerRecord(got!.headers))).toThrow();

    const [row, ...more] = await attempts(webhook.id);
    expect(more).toHaveLength(0);
    expect(row).toMatchObject({ messageId, eventType: 'reset.needs_otp', attempt: 1, status: 'succeeded', responseStatus: 200, error: null });
    expect(row!.durationMs).toBeGreaterThanOrEqual(0);
    // At rest the body (and its OTP link) is encrypted; the secret too.
    expect(row!.payload.startsWith('enc1:')).toBe(true);
    expect(row!.payload).not.toContain(otpUrl);
    const stored = await db.webhook.findUniqueOrThrow({ where: { id: webhook.id } });
    expect(Buffer.from(stored.secretEnc).toString('latin1')).not.toContain(secret.slice(6));

    // History holds ids only: the workflow input, once decrypted, has no body and no link.
    const history = await client.workflow.getHandle(deliveryWorkflowIdFor(messageId, webhook.id)).fetchHistory();
    const encoded = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads!;
    const [input] = (await new EncryptionCodec(keyring.purpose('temporal-codec')).decode(encoded)).map((pl) =>
      defaultPayloadConverter.fromPayload(pl),
    );
    expect(input).toEqual({ webhookId: webhook.id, messageId, eventType: 'reset.needs_otp', payloadRef: row!.id, retry: FAST_RETRY });
    expect(JSON.stringify(history)).not.toContain(otpUrl);

    // Staff find it by the person, the reset and the service, like the reset itself.
    const { searchAttributes } = await client.workflow.getHandle(deliveryWorkflowIdFor(messageId, webhook.id)).describe();
    expect(searchAttributes).toMatchObject({ RekeyUserId: [user.id], RekeyTaskId: [task.id], RekeyService: ['netflix'] });
  });

  it('retries with backoff: 500, 500, then 200 is three recorded attempts under one webhook-id', async () => {
    const user = await newUser();
    const task = await newTask(user.id);
    const { webhook, secret } = await store().create(user.id, { url: receiver.url });
    const p = progress(task.id, { status: 'failed', seq: 9, failure: { type: 'EmailTimeout', message: 'No reset email arrived in time.' } });
    receiver.script(500, 500);

    await sinkFor(queue).emit({ userId: user.id, taskId: task.id, type: 'reset.failed', progress: p });
    expect(await resultOf('reset.failed', task.id, 9, webhook.id)).toEqual({ outcome: 'delivered' });

    const messageId = resetEventMessageId({ taskId: task.id, type: 'reset.failed', seq: 9 });
    const got = receivedFor(messageId);
    expect(got).toHaveLength(3);
    expect(new Set(got.map((g) => g.body)).size).toBe(1);
    for (const g of got) expect(new Webhook(secret).verify(g.body, headerRecord(g.headers))).toMatchObject({ type: 'reset.failed' });
    expect(JSON.parse(got[0]!.body).data).toEqual({
      taskId: task.id,
      service: { id: 'netflix', name: 'Netflix' },
      status: 'failed',
      step: 'set_password',
      failure: { type: 'EmailTimeout', message: 'No reset email arrived in time.' },
    });

    const rows = await attempts(webhook.id);
    expect(rows.map((r) => [r.attempt, r.status, r.responseStatus, r.messageId])).toEqual([
      [1, 'failed', 500, messageId],
      [2, 'failed', 500, messageId],
      [3, 'succeeded', 200, messageId],
    ]);
    expect(rows[0]!.error).toBe('The receiver answered 500.');

    // The API's view: newest first.
    const listed = await store().deliveries(user.id, webhook.id);
    expect(listed.items.map((d) => d.attempt)).toEqual([3, 2, 1]);
    expect(listed.nextCursor).toBeNull();
  });

  it('410 Gone disables the endpoint after one attempt; later events skip it', async () => {
    const user = await newUser();
    const task = await newTask(user.id);
    const { webhook } = await store().create(user.id, { url: receiver.url });
    receiver.script(410);

    await sinkFor(queue).emit({ userId: user.id, taskId: task.id, type: 'reset.completed', progress: progress(task.id, { status: 'completed', seq: 4 }) });
    expect(await resultOf('reset.completed', task.id, 4, webhook.id)).toEqual({ outcome: 'disabled', failureType: 'WebhookGone' });
    expect((await db.webhook.findUniqueOrThrow({ where: { id: webhook.id } })).enabled).toBe(false);
    const rows = await attempts(webhook.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ attempt: 1, status: 'failed', responseStatus: 410 });

    const requestsBefore = receiver.received.length;
    await sinkFor(queue).emit({ userId: user.id, taskId: task.id, type: 'reset.failed', progress: progress(task.id, { status: 'failed', seq: 5 }) });
    // emit() has started every delivery it was going to: none for the disabled endpoint
    // (a started one would exist now, however slowly it ran).
    const skipped = client.workflow.getHandle(deliveryWorkflowIdFor(resetEventMessageId({ taskId: task.id, type: 'reset.failed', seq: 5 }), webhook.id));
    await expect(skipped.describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect(await attempts(webhook.id)).toHaveLength(1);
    expect(receiver.received.length).toBe(requestsBefore);
  });

  it('delivers an event emitted twice once per subscribed endpoint, and to no one else', async () => {
    const user = await newUser();
    const other = await newUser();
    const task = await newTask(user.id);
    const s = store();
    const all = (await s.create(user.id, { url: receiver.url })).webhook;
    const completedOnly = (await s.create(user.id, { url: `http://receiver.test:${receiver.port}/hooks`, events: ['reset.completed'] })).webhook;
    const failedOnly = (await s.create(user.id, { url: receiver.url, events: ['reset.failed'] })).webhook;
    const disabled = (await s.create(user.id, { url: receiver.url, enabled: false })).webhook;
    const someoneElses = (await s.create(other.id, { url: receiver.url })).webhook;
    const p = progress(task.id, { status: 'completed', seq: 11, vaultEntryId: randomUUID() });
    const sink = sinkFor(queue);

    // Twice at once (a race), then once more after.
    await Promise.all([
      sink.emit({ userId: user.id, taskId: task.id, type: 'reset.completed', progress: p }),
      sink.emit({ userId: user.id, taskId: task.id, type: 'reset.completed', progress: p }),
    ]);
    await sink.emit({ userId: user.id, taskId: task.id, type: 'reset.completed', progress: p });
    for (const w of [all, completedOnly]) expect(await resultOf('reset.completed', task.id, 11, w.id)).toEqual({ outcome: 'delivered' });

    const messageId = resetEventMessageId({ taskId: task.id, type: 'reset.completed', seq: 11 });
    expect(receivedFor(messageId)).toHaveLength(2);
    expect(JSON.parse(receivedFor(messageId)[0]!.body).data.vaultEntryId).toBe(p.vaultEntryId);
    for (const w of [all, completedOnly]) expect(await attempts(w.id)).toHaveLength(1);
    for (const w of [failedOnly, disabled, someoneElses]) expect(await attempts(w.id)).toHaveLength(0);
  });

  it('refuses a loopback receiver at delivery time when private targets are not allowed', async () => {
    const user = await newUser();
    const task = await newTask(user.id);
    // Saved while private targets were allowed (or while the name resolved elsewhere).
    const ip = (await store().create(user.id, { url: receiver.url, events: ['reset.captcha_required'] })).webhook;
    const named = (await store().create(user.id, { url: `http://receiver.test:${receiver.port}/x`, events: ['reset.captcha_required'] })).webhook;
    const p = progress(task.id, {
      status: 'captcha_required',
      seq: 6,
      waitingFor: { kind: 'captcha', since: '2026-01-01T10:00:00.000Z', until: '2026-01-01T10:15:00.000Z', vendor: 'recaptcha' },
    });

    await sinkFor(strictQueue, false).emit({ userId: user.id, taskId: task.id, type: 'reset.captcha_required', progress: p });
    for (const w of [ip, named]) {
      expect(await resultOf('reset.captcha_required', task.id, 6, w.id)).toEqual({ outcome: 'failed', failureType: 'TargetNotAllowed' });
      const rows = await attempts(w.id);
      expect(rows).toHaveLength(1); // not retried
      expect(rows[0]).toMatchObject({ attempt: 1, status: 'failed', responseStatus: null });
      expect(rows[0]!.error).toMatch(/loopback/);
    }
    expect(receivedFor(resetEventMessageId({ taskId: task.id, type: 'reset.captcha_required', seq: 6 }))).toHaveLength(0);
  });

  it('records a receiver that does not answer in time as a failed attempt, and gives up after the last one', async () => {
    const user = await newUser();
    const task = await newTask(user.id);
    const { webhook } = await store().create(user.id, { url: receiver.url });
    receiver.delayMs = REQUEST_TIMEOUT_MS * 3;
    try {
      await sinkFor(queue).emit({ userId: user.id, taskId: task.id, type: 'reset.failed', progress: progress(task.id, { status: 'failed', seq: 2 }) });
      expect(await resultOf('reset.failed', task.id, 2, webhook.id)).toEqual({ outcome: 'failed', failureType: 'WebhookAttemptFailed' });
    } finally {
      receiver.delayMs = 0;
    }
    const rows = await attempts(webhook.id);
    expect(rows.map((r) => [r.attempt, r.status, r.responseStatus, r.error])).toEqual([
      [1, 'failed', null, 'No answer within 500 ms.'],
      [2, 'failed', null, 'No answer within 500 ms.'],
      [3, 'failed', null, 'No answer within 500 ms.'],
    ]);
    for (const r of rows) expect(r.durationMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
  });

  it('skips a delivery whose webhook was deleted before it went out', async () => {
    const user = await newUser();
    const { webhook } = await store().create(user.id, { url: receiver.url });
    // Queued on a task queue no worker polls, then the webhook is deleted, then a worker picks it up.
    const idle = `${queue}-idle`;
    const queued = await enqueueWebhookDelivery({
      db,
      keyring,
      client,
      taskQueue: idle,
      webhookId: webhook.id,
      userId: user.id,
      messageId: `msg_${randomUUID().replaceAll('-', '')}`,
      eventType: 'webhook.test',
      body: '{"type":"webhook.test"}',
      retry: FAST_RETRY,
    });
    expect(queued.started).toBe(true);
    await store().remove(user.id, webhook.id);
    const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
    const worker = await Worker.create({
      connection,
      namespace: inject('temporalNamespace'),
      taskQueue: idle,
      workflowBundle: bundle,
      activities: createWebhookActivities({ db, keyring, allowPrivateTargets: true }),
      dataConverter: createDataConverter(keyring),
    });
    const result = await worker.runUntil(client.workflow.getHandle<DeliverWebhookWorkflow>(queued.workflowId).result());
    await connection.close();
    expect(result).toEqual({ outcome: 'skipped', failureType: 'WebhookUnavailable' });
    expect(receiver.received.filter((r) => r.headers['webhook-id'] === queued.messageId)).toHaveLength(0);
  });
});
