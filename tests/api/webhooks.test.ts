// /api/webhooks: the real app over a real database; the test ping goes through
// the run's Temporal dev server to a worker in this process and on to a local
// receiver that verifies the signature with the Standard Webhooks library.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createWebhookActivities } from '../../activities/webhooks/webhook-activities.js';
import { createDataConverter } from '../../lib/temporal/connection.js';
import { createTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-config.js';
import { forEachDatabase } from '../support/test-db.js';
import { signedIn } from '../support/signed-in.js';

try {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
} catch {
  // Already installed in this process: keep it.
}

const ALL_EVENTS = ['reset.completed', 'reset.failed', 'reset.needs_otp', 'reset.captcha_required'];
const PUBLIC_URL = 'https://93.184.216.34/hooks/rekey'; // an address literal: no DNS needed

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

let bundle: { code: string };
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];

beforeAll(async () => {
  bundle = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('../../workflows/deliver-webhook.workflow.ts', import.meta.url)),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
  });
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});

afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

forEachDatabase('/api/webhooks', (get) => {
  const queue = `webhooks-api-test-${randomBytes(4).toString('hex')}`;
  let app: ReturnType<typeof createTestApp>;
  /** The same database with REKEY_ALLOW_PRIVATE_TARGETS=false. */
  let strict: ReturnType<typeof createTestApp>;
  let worker: Worker;
  let running: Promise<void>;
  let alice: { userId: string; cookie: string };
  let bob: { userId: string; cookie: string };

  beforeAll(async () => {
    const { db, url } = get();
    app = createTestApp({ config: testConfig({ DATABASE_URL: url, TEMPORAL_TASK_QUEUE: queue }), db });
    strict = createTestApp({ config: testConfig({ DATABASE_URL: url, TEMPORAL_TASK_QUEUE: queue, REKEY_ALLOW_PRIVATE_TARGETS: 'false' }), db });
    worker = await Worker.create({
      connection: await NativeConnection.connect({ address: inject('temporalAddress') }),
      namespace: inject('temporalNamespace'),
      taskQueue: queue,
      workflowBundle: bundle,
      activities: createWebhookActivities({ db, keyring: app.deps.keyring, allowPrivateTargets: true }),
      dataConverter: createDataConverter(app.deps.keyring),
    });
    running = worker.run();
    alice = await signedIn(db);
    bob = await signedIn(db);
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await app?.close();
    await strict?.close();
  });

  function call(
    who: { cookie: string } | null,
    method: string,
    path: string,
    body?: unknown,
    opts: { via?: ReturnType<typeof createTestApp>; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { ...(who ? { cookie: who.cookie } : {}), ...opts.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return (opts.via ?? app).app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  }

  async function createHook(who: { cookie: string }, body: Record<string, unknown> = { url: receiverUrl }) {
    const res = await call(who, 'POST', '/api/webhooks', body);
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; secret: string; url: string; events: string[]; enabled: boolean };
  }

  describe('security', () => {
    it('answers 401 on every route without a session', async () => {
      const id = randomUUID();
      const routes: [string, string, unknown?][] = [
        ['GET', '/api/webhooks'],
        ['POST', '/api/webhooks', { url: receiverUrl }],
        ['GET', `/api/webhooks/${id}`],
        ['PATCH', `/api/webhooks/${id}`, { enabled: false }],
        ['DELETE', `/api/webhooks/${id}`],
        ['GET', `/api/webhooks/${id}/deliveries`],
        ['POST', `/api/webhooks/${id}/test`],
      ];
      for (const [method, path, body] of routes) {
        for (const who of [null, { cookie: 'authjs.session-token=not-a-session' }]) {
          const res = await call(who, method, path, body);
          expect(res.status, `${method} ${path}`).toBe(401);
          expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
        }
      }
    });

    it('answers 404 for another person’s webhook exactly as for an unknown id, and changes nothing', async () => {
      const hook = await createHook(alice);
      const unknown = randomUUID();
      const cases: [string, string, unknown?][] = [
        ['GET', ''],
        ['PATCH', '', { description: 'mine now' }],
        ['GET', '/deliveries'],
        ['POST', '/test'],
        ['DELETE', ''],
      ];
      for (const [method, tail, body] of cases) {
        const theirs = await call(bob, method, `/api/webhooks/${hook.id}${tail}`, body);
        const none = await call(bob, method, `/api/webhooks/${unknown}${tail}`, body);
        expect(theirs.status, `${method} ${tail}`).toBe(404);
        expect(none.status).toBe(404);
        expect(await theirs.json()).toEqual(await none.json());
      }
      const list = await (await call(bob, 'GET', '/api/webhooks')).json();
      expect(list.items.map((w: { id: string }) => w.id)).not.toContain(hook.id);
      const still = await (await call(alice, 'GET', `/api/webhooks/${hook.id}`)).json();
      expect(still).toMatchObject({ id: hook.id, description: null });
    });

    it('refuses a cross-site write (CSRF) before creating anything', async () => {
      const marker = `csrf-${randomUUID()}`;
      const res = await call(alice, 'POST', '/api/webhooks', { url: receiverUrl, description: marker }, { headers: { origin: 'https://evil.example' } });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: 'csrf_rejected' } });
      expect(await get().db.webhook.count({ where: { description: marker } })).toBe(0);
      const same = await call(alice, 'POST', '/api/webhooks', { url: receiverUrl, description: marker }, { headers: { origin: 'http://localhost:3000' } });
      expect(same.status).toBe(201);
    });

    it('refuses private, loopback and metadata URLs with 400 target_not_allowed', async () => {
      for (const url of [
        'http://127.0.0.1:8080/hook',
        'http://10.0.0.5/hook',
        'http://[::1]/hook',
        'http://2130706433/hook', // 127.0.0.1 in decimal
        'http://0x7f.1/hook',
        'http://[::ffff:192.168.1.1]/hook',
        'http://localhost/hook',
        'ftp://93.184.216.34/hook',
        'https://user:pass@93.184.216.34/hook',
        'not a url',
      ]) {
        const res = await call(alice, 'POST', '/api/webhooks', { url }, { via: strict });
        expect(res.status, url).toBe(400);
        expect(await res.json(), url).toMatchObject({ error: { code: 'target_not_allowed', field: 'url' } });
      }
      // Metadata endpoints stay refused even where private targets are allowed.
      const metadata = await call(alice, 'POST', '/api/webhooks', { url: 'http://169.254.169.254/latest/meta-data' });
      expect(metadata.status).toBe(400);
      expect(await metadata.json()).toMatchObject({ error: { code: 'target_not_allowed', field: 'url' } });

      // Public addresses pass; moving one to a private address is refused too.
      const created = await call(alice, 'POST', '/api/webhooks', { url: PUBLIC_URL }, { via: strict });
      expect(created.status).toBe(201);
      const { id } = await created.json();
      const moved = await call(alice, 'PATCH', `/api/webhooks/${id}`, { url: 'http://192.168.0.10/hook' }, { via: strict });
      expect(moved.status).toBe(400);
      expect(await moved.json()).toMatchObject({ error: { code: 'target_not_allowed', field: 'url' } });
      expect((await (await call(alice, 'GET', `/api/webhooks/${id}`)).json()).url).toBe(PUBLIC_URL);
    });
  });

  describe('happy paths', () => {
    it('creates a webhook, shows the secret once, keeps it encrypted', async () => {
      const res = await call(alice, 'POST', '/api/webhooks', { url: PUBLIC_URL, description: 'Home automation' });
      expect(res.status).toBe(201);
      const body = await res.json();
      expect(body).toEqual({
        id: expect.any(String),
        url: PUBLIC_URL,
        events: ALL_EVENTS,
        description: 'Home automation',
        enabled: true,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      });
      expect(() => new Webhook(body.secret)).not.toThrow();

      const one = await (await call(alice, 'GET', `/api/webhooks/${body.id}`)).json();
      expect(one).not.toHaveProperty('secret');
      const list = await (await call(alice, 'GET', '/api/webhooks')).json();
      expect(list.items.find((w: { id: string }) => w.id === body.id)).not.toHaveProperty('secret');
      expect(JSON.stringify(list)).not.toContain(body.secret);

      const row = await get().db.webhook.findUniqueOrThrow({ where: { id: body.id } });
      expect(Buffer.from(row.secretEnc).toString('latin1')).not.toContain(body.secret.slice(6, 30));
    });

    it('updates URL, events, description and enabled; a null description clears it', async () => {
      const hook = await createHook(alice, { url: receiverUrl, description: 'first' });
      const res = await call(alice, 'PATCH', `/api/webhooks/${hook.id}`, {
        url: PUBLIC_URL,
        events: ['reset.needs_otp', 'reset.completed', 'reset.completed'],
        description: null,
        enabled: false,
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        id: hook.id,
        url: PUBLIC_URL,
        events: ['reset.completed', 'reset.needs_otp'],
        description: null,
        enabled: false,
      });
      const empty = await call(alice, 'PATCH', `/api/webhooks/${hook.id}`, {});
      expect(await empty.json()).toMatchObject({ enabled: false, url: PUBLIC_URL });
    });

    it('deletes a webhook and its delivery log', async () => {
      const hook = await createHook(alice);
      await get().db.webhookDelivery.create({
        data: { webhookId: hook.id, messageId: 'msg_x', eventType: 'webhook.test', payload: 'enc1:', attempt: 1, status: 'failed' },
      });
      const res = await call(alice, 'DELETE', `/api/webhooks/${hook.id}`);
      expect(res.status).toBe(204);
      expect((await call(alice, 'GET', `/api/webhooks/${hook.id}`)).status).toBe(404);
      expect((await call(alice, 'GET', `/api/webhooks/${hook.id}/deliveries`)).status).toBe(404);
      expect((await call(alice, 'DELETE', `/api/webhooks/${hook.id}`)).status).toBe(404);
      expect(await get().db.webhookDelivery.count({ where: { webhookId: hook.id } })).toBe(0);
    });

    it('pages webhooks and deliveries newest first with limit and cursor', async () => {
      const carol = await signedIn(get().db);
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push((await createHook(carol, { url: receiverUrl, description: `#${i}` })).id);
      const first = await (await call(carol, 'GET', '/api/webhooks?limit=2')).json();
      expect(first.items.map((w: { id: string }) => w.id)).toEqual([ids[2], ids[1]]);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await (await call(carol, 'GET', `/api/webhooks?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`)).json();
      expect(second.items.map((w: { id: string }) => w.id)).toEqual([ids[0]]);
      expect(second.nextCursor).toBeNull();

      const base = Date.now();
      for (let attempt = 1; attempt <= 5; attempt++) {
        await get().db.webhookDelivery.create({
          data: {
            webhookId: ids[0]!,
            messageId: 'msg_paging',
            eventType: 'reset.failed',
            payload: 'enc1:',
            attempt,
            status: attempt === 5 ? 'succeeded' : 'failed',
            responseStatus: attempt === 5 ? 200 : 503,
            createdAt: new Date(base + attempt * 1000),
          },
        });
      }
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const q: string = cursor ? `limit=2&cursor=${encodeURIComponent(cursor)}` : 'limit=2';
        const res = await call(carol, 'GET', `/api/webhooks/${ids[0]}/deliveries?${q}`);
        expect(res.status).toBe(200);
        const page = (await res.json()) as { items: { attempt: number; status: string; messageId: string }[]; nextCursor: string | null };
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((d) => d.attempt));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual([5, 4, 3, 2, 1]);
    });

    it('sends a signed webhook.test through the delivery workflow and logs it', async () => {
      const hook = await createHook(alice, { url: receiverUrl });
      const res = await call(alice, 'POST', `/api/webhooks/${hook.id}/test`);
      expect(res.status).toBe(202);
      const { deliveryId, messageId } = await res.json();
      expect(deliveryId).toEqual(expect.any(String));
      expect(messageId).toMatch(/^msg_/);

      await expect.poll(() => received.filter((r) => r.headers['webhook-id'] === messageId).length, { timeout: 20_000 }).toBe(1);
      const got = received.find((r) => r.headers['webhook-id'] === messageId)!;
      const headers = Object.fromEntries(Object.entries(got.headers).filter((e): e is [string, string] => typeof e[1] === 'string'));
      expect(new Webhook(hook.secret).verify(got.body, headers)).toEqual({
        type: 'webhook.test',
        timestamp: expect.any(String),
        data: { webhookId: hook.id, message: expect.any(String) },
      });

      await expect
        .poll(async () => (await (await call(alice, 'GET', `/api/webhooks/${hook.id}/deliveries`)).json()).items, { timeout: 20_000 })
        .toEqual([
          {
            id: deliveryId,
            messageId,
            eventType: 'webhook.test',
            attempt: 1,
            status: 'succeeded',
            responseStatus: 204,
            error: null,
            durationMs: expect.any(Number),
            createdAt: expect.any(String),
          },
        ]);
    });
  });

  describe('errors', () => {
    it('answers 400 naming the field for invalid bodies and queries', async () => {
      const hook = await createHook(alice);
      const cases: [string, string, unknown, string | undefined][] = [
        ['POST', '/api/webhooks', {}, 'url'],
        ['POST', '/api/webhooks', { url: 42 }, 'url'],
        ['POST', '/api/webhooks', { url: receiverUrl, events: [] }, 'events'],
        ['POST', '/api/webhooks', { url: receiverUrl, events: ['reset.started'] }, 'events.0'],
        ['POST', '/api/webhooks', { url: receiverUrl, events: ['webhook.test'] }, 'events.0'],
        ['POST', '/api/webhooks', { url: receiverUrl, description: 'x'.repeat(201) }, 'description'],
        ['POST', '/api/webhooks', { url: receiverUrl, enabled: 'yes' }, 'enabled'],
        ['POST', '/api/webhooks', { url: receiverUrl, secret: 'whsec_mine' }, undefined],
        ['PATCH', `/api/webhooks/${hook.id}`, { events: 'reset.failed' }, 'events'],
        ['PATCH', `/api/webhooks/${hook.id}`, { url: '' }, 'url'],
      ];
      for (const [method, path, body, field] of cases) {
        const res = await call(alice, method, path, body);
        const json = await res.json();
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(json.error.code).toBe('validation_failed');
        if (field) expect(json.error.field, JSON.stringify(body)).toBe(field);
      }
      const notJson = await app.app.request('/api/webhooks', { method: 'POST', headers: { cookie: alice.cookie, 'content-type': 'application/json' }, body: '{' });
      expect(notJson.status).toBe(400);

      for (const [query, field] of [
        ['limit=0', 'limit'],
        ['limit=101', 'limit'],
        ['limit=abc', 'limit'],
        ['cursor=not-a-cursor', 'cursor'],
      ]) {
        const res = await call(alice, 'GET', `/api/webhooks?${query}`);
        expect(res.status, query).toBe(400);
        expect((await res.json()).error.field).toBe(field);
      }
    });

    it('answers 409 to a test of a disabled webhook', async () => {
      const hook = await createHook(alice, { url: receiverUrl, enabled: false });
      const res = await call(alice, 'POST', `/api/webhooks/${hook.id}/test`);
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({ error: { code: 'conflict' } });
      expect(await get().db.webhookDelivery.count({ where: { webhookId: hook.id } })).toBe(0);
    });

    it('answers 409 once a person has the maximum number of webhooks', async () => {
      const dave = await signedIn(get().db);
      await get().db.webhook.createMany({
        data: Array.from({ length: 20 }, () => ({ userId: dave.userId, url: PUBLIC_URL, secretEnc: new Uint8Array([1]), events: '[]' })),
      });
      const res = await call(dave, 'POST', '/api/webhooks', { url: PUBLIC_URL });
      expect(res.status).toBe(409);
      // Refused, and nothing stored: still exactly the twenty.
      expect(await get().db.webhook.count({ where: { userId: dave.userId } })).toBe(20);
    });
  });

  it('is in the OpenAPI document', async () => {
    const doc = await (await app.app.request('/api/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/webhooks', '/api/webhooks/{id}', '/api/webhooks/{id}/deliveries', '/api/webhooks/{id}/test']),
    );
    expect(doc.components.schemas.CreateWebhook.properties.events.items).toBeDefined();
  });
});
