// Task stream fan-out: how long a progress change takes to reach SSE clients
// (p50/p99) with 1, 50 and 200 subscribers on one task, and how many Temporal
// queries per second the API makes meanwhile (counted by a client
// interceptor). Goal: p50 ≤ 0.5 s at 200 subscribers, with the default 500 ms
// poll. Prints figures; asserts nothing.
//
// Everything is started here: a Temporal dev server (the cached CLI), a
// migrated SQLite database, a worker running a stand-in workflow that answers
// the real progressQuery (bench/sse-progress.workflow.ts), and the real API on
// @hono/node-server. Latency runs from the moment the workflow applied the
// change (its clock: the start of the workflow task that took the bench's
// signal) to the client reading the event; the figure from just before the
// signal is printed too (it adds the signal's own trip).
//
//   npm run bench:sse        (BENCH_ROUNDS=20 BENCH_POLL_MS=500 to change)
import { serve, type ServerType } from '@hono/node-server';
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createApp } from '../api/app.js';
import type { AppDeps } from '../api/context.js';
import { configureTaskStreams } from '../api/sse/task-progress-hub.js';
import { createCatalog } from '../catalog/index.js';
import { decodeMasterKey, loadConfig } from '../lib/config.js';
import { createKeyring, hashToken } from '../lib/crypto.js';
import { createDb } from '../lib/db/index.js';
import { migrateDatabase } from '../lib/db/migrate.js';
import { freePort } from '../lib/free-port.js';
import { createLogger } from '../lib/logger.js';
import { resolveTemporalCli } from '../lib/temporal/cli.js';
import { createDataConverter, createTemporalGateway } from '../lib/temporal/connection.js';
import { startTemporalDevServer } from '../lib/temporal/dev-server.js';
import { loadDevSettings } from '../lib/temporal/dev-settings.js';
import { advanceSignal, changedAtQuery } from './sse-progress.workflow.js';

const SUBSCRIBER_COUNTS = [1, 50, 200];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 500);

Runtime.install({ logger: new DefaultLogger('ERROR') });

const work = mkdtempSync(path.join(os.tmpdir(), 'rekey-bench-sse-'));
const settings = loadDevSettings();
const cliPath = await resolveTemporalCli({ version: settings.cli.version, explicitPath: process.env.TEMPORAL_CLI });
const temporalServer = await startTemporalDevServer({
  cliPath,
  settings,
  port: await freePort(),
  headless: true,
  dbFile: path.join(work, 'temporal.db'),
  logFile: path.join(work, 'temporal.log'),
});
const databaseUrl = `file:${path.join(work, 'bench.db')}`;
await migrateDatabase(databaseUrl, { quiet: true });

const taskQueue = `bench-sse-${randomBytes(3).toString('hex')}`;
const config = loadConfig({
  NODE_ENV: 'test',
  DATABASE_URL: databaseUrl,
  TEMPORAL_ADDRESS: temporalServer.address,
  TEMPORAL_NAMESPACE: temporalServer.namespace,
  TEMPORAL_TASK_QUEUE: taskQueue,
  REKEY_MASTER_KEY: randomBytes(32).toString('base64'),
  REKEY_DATA_DIR: work,
  APP_ORIGIN: 'http://localhost:3000',
  LOG_LEVEL: 'silent',
});
const keyring = createKeyring(decodeMasterKey(config.masterKeySource!));
const db = createDb(databaseUrl);

// ---- the worker: the stand-in workflow, with the API's payload codec ----
const workerConnection = await NativeConnection.connect({ address: temporalServer.address });
const worker = await Worker.create({
  connection: workerConnection,
  namespace: temporalServer.namespace,
  taskQueue,
  workflowsPath: fileURLToPath(new URL('./sse-progress.workflow.ts', import.meta.url)),
  dataConverter: createDataConverter(keyring),
});
const workerRun = worker.run();

// ---- the API, whose Temporal client counts queries ----
let queries = 0;
const deps: AppDeps = {
  config,
  db,
  keyring,
  logger: createLogger({ level: 'silent' }),
  temporal: createTemporalGateway({
    config,
    address: temporalServer.address,
    keyring,
    interceptors: {
      workflow: [
        {
          query: (input, next) => {
            queries++;
            return next(input);
          },
        },
      ],
    },
  }),
  version: 'bench',
  catalog: createCatalog(),
};
const hub = configureTaskStreams(deps, { pollIntervalMs: POLL_MS });
const app = createApp(deps);
const port = await freePort();
const server: ServerType = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
await new Promise<void>((resolve) => server.once('listening', () => resolve()));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const user = await db.user.create({ data: { email: `bench-${randomUUID()}@example.com` } });
const sessionToken = randomBytes(32).toString('base64url');
await db.session.create({ data: { userId: user.id, tokenHash: hashToken(sessionToken), expiresAt: new Date(Date.now() + 3_600_000) } });
const entry = await db.vaultEntry.create({ data: { userId: user.id, url: 'https://example.com', username: 'bench@example.com' } });
const temporal = await deps.temporal.client();
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

interface Subscriber {
  /** Arrival time of each status event, by id. */
  arrivals: Map<number, number>;
  close(): void;
}

function subscribe(taskId: string): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const arrivals = new Map<number, number>();
    const req = http.get(`${base}/api/tasks/${taskId}/stream`, { agent, headers: { cookie: `authjs.session-token=${sessionToken}` } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const now = Date.now();
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!message.startsWith('event: status')) continue;
          const id = /\nid: (\d+)/.exec(message)?.[1];
          if (id) arrivals.set(Number(id), now);
        }
      });
      resolve({ arrivals, close: () => req.destroy() });
    });
    req.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err);
    });
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) return false;
    await sleep(5);
  }
  return true;
}

interface Row {
  subscribers: number;
  samples: number;
  p50: number;
  p99: number;
  max: number;
  /** From just before the signal. */
  p50Signal: number;
  p99Signal: number;
  queriesPerSecond: number;
  missed: number;
}

async function run(subscribers: number): Promise<Row> {
  const taskId = randomUUID();
  const workflowId = `bench-sse-${taskId}`;
  await db.task.create({
    data: {
      id: taskId,
      userId: user.id,
      serviceId: 'example-com',
      serviceName: 'example.com',
      serviceUrl: 'https://example.com',
      email: 'bench@example.com',
      accountKey: `bench:${taskId}`,
      workflowId,
      status: 'waiting_for_email',
      waitingFor: 'email',
      seq: 1,
    },
  });
  const handle = await temporal.workflow.start('benchProgressWorkflow', { taskQueue, workflowId, args: [{ taskId, vaultEntryId: entry.id }] });

  const subs = await Promise.all(Array.from({ length: subscribers }, () => subscribe(taskId)));
  if (!(await waitFor(() => subs.every((s) => s.arrivals.has(1)), 15_000))) throw new Error('not every subscriber got the first state');

  const signalled = new Map<number, number>();
  let missed = 0;
  const q0 = queries;
  const t0 = performance.now();
  for (let round = 0; round < ROUNDS; round++) {
    await sleep(200 + Math.random() * POLL_MS * 1.5); // changes land at random points of the poll cycle
    const seq = round + 2;
    const last = round === ROUNDS - 1;
    signalled.set(seq, Date.now());
    await handle.signal(advanceSignal, { seq, last });
    await waitFor(() => subs.every((s) => s.arrivals.has(seq)), 10_000);
  }
  const seconds = (performance.now() - t0) / 1000;
  const q = queries - q0;
  for (const s of subs) s.close();
  const changedAt = await handle.query(changedAtQuery);
  await handle.result();
  await waitFor(() => hub.stats().active === 0, 5_000);

  const latencies: number[] = [];
  const fromSignal: number[] = [];
  for (const [seq, sentAt] of signalled) {
    for (const s of subs) {
      const at = s.arrivals.get(seq);
      if (at === undefined) {
        missed++;
        continue;
      }
      latencies.push(at - changedAt[seq]!);
      fromSignal.push(at - sentAt);
    }
  }
  latencies.sort((a, b) => a - b);
  fromSignal.sort((a, b) => a - b);
  return {
    subscribers,
    samples: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1)!,
    p50Signal: percentile(fromSignal, 50),
    p99Signal: percentile(fromSignal, 99),
    queriesPerSecond: q / seconds,
    missed,
  };
}

const rows: Row[] = [];
try {
  for (const n of SUBSCRIBER_COUNTS) rows.push(await run(n));
  console.log(`\nSSE fan-out — progress change → client, ${ROUNDS} changes per run, poll interval ${POLL_MS} ms, node ${process.version}, ${os.cpus().length} CPUs`);
  console.log('subscribers  samples   p50 ms   p99 ms   max ms   (from signal: p50 ms  p99 ms)   Temporal queries/s   missed');
  for (const r of rows) {
    console.log(
      `${String(r.subscribers).padStart(11)}  ${String(r.samples).padStart(7)}  ${r.p50.toFixed(0).padStart(7)}  ${r.p99.toFixed(0).padStart(7)}  ${r.max.toFixed(0).padStart(7)}  ${r.p50Signal.toFixed(0).padStart(20)}  ${r.p99Signal.toFixed(0).padStart(7)}  ${r.queriesPerSecond.toFixed(2).padStart(20)}  ${String(r.missed).padStart(7)}`,
    );
  }
  const at200 = rows.find((r) => r.subscribers === 200);
  if (at200) console.log(`\ngoal p50 ≤ 500 ms at 200 subscribers: ${at200.p50 <= 500 ? 'met' : 'NOT met'} (${at200.p50.toFixed(0)} ms); one query per interval = ${(1000 / POLL_MS).toFixed(2)}/s`);
} finally {
  agent.destroy();
  hub.close();
  await new Promise((r) => server.close(r));
  worker.shutdown();
  await workerRun;
  await workerConnection.close();
  await deps.temporal.close();
  await db.$disconnect();
  await temporalServer.stop();
  rmSync(work, { recursive: true, force: true });
}
