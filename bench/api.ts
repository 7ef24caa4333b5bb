// GET /api/jobs/{id} throughput: requests per second and latency percentiles
// with autocannon against the real server (@hono/node-server on a free port,
// in a child process of its own so the load generator does not share its
// event loop) over a migrated SQLite database, then PostgreSQL when it is
// reachable, authenticated by a session cookie (so every request also
// resolves the session). Goal: ≥ 2,000 req/s. Prints figures; asserts
// nothing. Temporal is not needed: job status is read from the database (the
// gateway is never connected).
//
//   npm run bench:api        BENCH_SECONDS=10 BENCH_CONNECTIONS=50 to change;
//                            BENCH_DB=sqlite or postgresql for one database;
//                            BENCH_PATH=/api/auth/me measures another path with the same session;
//                            BENCH_NODE_ARGS="--cpu-prof" profiles the server process
import { serve, type ServerType } from '@hono/node-server';
import autocannon from 'autocannon';
import { randomBytes, randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createOfflineApp } from '../api/offline-app.js';
import { hashToken } from '../lib/crypto.js';
import { migrateDatabase } from '../lib/db/migrate.js';
import { freePort } from '../lib/free-port.js';
import { stepNames } from '../workflows/reset-password.messages.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const PG_ADMIN_URL = process.env.REKEY_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

const appFor = (databaseUrl: string, masterKey: string, dataDir: string) => createOfflineApp({ databaseUrl, masterKey, dataDir, version: 'bench' });

if (process.env.REKEY_BENCH_SERVE) {
  // ---- the server process ----
  const { app } = appFor(process.env.REKEY_BENCH_DB!, process.env.REKEY_BENCH_KEY!, process.env.REKEY_BENCH_DIR!);
  const port = await freePort();
  const server: ServerType = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
  server.once('listening', () => console.log(`listening ${(server.address() as AddressInfo).port}`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
} else {
  // ---- the bench ----
  const work = mkdtempSync(path.join(os.tmpdir(), 'rekey-bench-api-'));
  const wanted = process.env.BENCH_DB;
  try {
    if (!wanted || wanted === 'sqlite') await benchOn(`file:${path.join(work, 'bench.db')}`, 'SQLite', work);
    if (!wanted || wanted === 'postgresql') {
      const database = await createPgDatabase();
      if (database) {
        try {
          await benchOn(database.url, 'PostgreSQL', work);
        } finally {
          await database.drop();
        }
      } else {
        console.log(`\nPostgreSQL is not reachable at ${PG_ADMIN_URL}: measured on SQLite only`);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A scratch database on the local PostgreSQL, or undefined when there is none. */
async function createPgDatabase(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const name = `rekey_bench_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3_000 });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  try {
    await admin(`CREATE DATABASE ${name}`);
  } catch {
    return undefined;
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function benchOn(databaseUrl: string, label: string, work: string): Promise<void> {
  const masterKey = randomBytes(32).toString('base64');
  await migrateDatabase(databaseUrl, { quiet: true });
  const { deps } = appFor(databaseUrl, masterKey, work);
  const { db } = deps;

  // A person with a session and some history: the job asked for is one of 200.
  const user = await db.user.create({ data: { email: `bench-${randomUUID()}@example.com` } });
  const token = randomBytes(32).toString('base64url');
  await db.session.create({ data: { userId: user.id, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + 3_600_000) } });
  let jobId = '';
  for (let i = 0; i < 200; i++) {
    const id = randomUUID();
    await db.task.create({
      data: {
        id,
        userId: user.id,
        serviceId: 'netflix',
        serviceName: 'Netflix',
        serviceUrl: 'https://www.netflix.com/LoginHelp',
        email: 'bench@example.com',
        accountKey: `netflix:${id}`,
        workflowId: `reset-netflix-${id}`,
        status: 'completed',
        seq: 20,
        startedAt: new Date(Date.now() - 150_000),
        completedAt: new Date(),
        steps: { create: stepNames.map((name, position) => ({ name, status: 'completed', durationMs: 1000 + position * 100, position })) },
      },
    });
    if (i === 100) jobId = id;
  }
  await db.$disconnect();

  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, REKEY_BENCH_SERVE: '1', REKEY_BENCH_DB: databaseUrl, REKEY_BENCH_KEY: masterKey, REKEY_BENCH_DIR: work },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code})`)));
  });
  const url = `http://127.0.0.1:${port}${process.env.BENCH_PATH ?? `/api/jobs/${jobId}`}`;
  const headers = { cookie: `authjs.session-token=${token}` };

  try {
    const check = await fetch(url, { headers });
    if (check.status !== 200) throw new Error(`GET /api/jobs/{id} answered ${check.status}: ${await check.text()}`);
    const run = (duration: number) => autocannon({ url, connections: CONNECTIONS, duration, headers });
    await run(2); // warm-up: JIT, prepared statements, the database's page cache
    const result = await run(SECONDS);
    const ok = result['2xx'];
    const rps = ok / (result.duration || SECONDS);
    console.log(`\nGET ${process.env.BENCH_PATH ?? '/api/jobs/{id}'} — autocannon, ${CONNECTIONS} connections, ${SECONDS} s, ${label}, node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)}`);
    console.log(`requests/s (2xx):   ${rps.toFixed(0)}   (autocannon average ${result.requests.average.toFixed(0)}, p50 ${result.requests.p50})`);
    console.log(`latency ms:         p50 ${result.latency.p50}   p90 ${result.latency.p90}   p99 ${result.latency.p99}   max ${result.latency.max}`);
    console.log(`responses:          ${ok} ok, ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
    console.log(`goal ≥ 2000 req/s:  ${rps >= 2000 ? 'met' : 'NOT met'}`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}
