import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDb } from '../../lib/db/index.js';
import { freePort } from '../../lib/free-port.js';
import { loadDevSettings } from '../../lib/temporal/dev-settings.js';
import { startTemporalDevServer } from '../../lib/temporal/dev-server.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { createTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-config.js';
import { createTestDb, forEachDatabase } from '../support/test-db.js';

forEachDatabase('GET /api/health', (get) => {
  it('is 200 with the database and Temporal reachable, and names what else is missing (here: a worker)', async () => {
    const queue = `health-${randomBytes(4).toString('hex')}`; // no worker polls it
    const { app, close } = createTestApp({ config: testConfig({ DATABASE_URL: get().url, TEMPORAL_TASK_QUEUE: queue }), db: get().db });
    const res = await app.request('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'degraded',
      db: true,
      temporal: true,
      email: false,
      worker: false,
      browser: false,
      sandbox: 'off',
      missing: [{ component: 'worker', message: expect.stringContaining('No worker is running') }],
      version: 'test',
    });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    await close();
  });

  it('reports email configured when SMTP_URL is set', async () => {
    const config = testConfig({ DATABASE_URL: get().url, SMTP_URL: 'smtp://127.0.0.1:2525' });
    const { app, close } = createTestApp({ config, db: get().db });
    expect((await (await app.request('/api/health')).json()).email).toBe(true);
    await close();
  });

  it('reports email deliverable in development without SMTP: account emails go to the local outbox', async () => {
    const config = testConfig({ DATABASE_URL: get().url, REKEY_DEV_OUTBOX: 'true' });
    const { app, close } = createTestApp({ config, db: get().db });
    expect((await (await app.request('/api/health')).json()).email).toBe(true);
    await close();
  });

  it('turns 503 when Temporal stops, and 200 again when it is back', async () => {
    const settings = loadDevSettings();
    const port = await freePort();
    const dbFile = path.join(inject('workDir'), `health-temporal-${port}.db`);
    const start = () =>
      startTemporalDevServer({ cliPath: inject('temporalCliPath'), settings, port, headless: true, dbFile, logFile: `${dbFile}.log` });
    let server = await start();
    const { app, close } = createTestApp({ config: testConfig({ DATABASE_URL: get().url }), db: get().db, temporalAddress: server.address });
    expect((await app.request('/api/health')).status).toBe(200);

    await server.stop();
    const down = await app.request('/api/health');
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'degraded', db: true, temporal: false, worker: false, missing: [{ component: 'temporal' }] });
    expect((await app.request('/health/ready')).status).toBe(503);
    expect((await app.request('/health/live')).status).toBe(200);

    server = await start();
    await expect.poll(async () => (await app.request('/api/health')).status, { timeout: 20_000, interval: 500 }).toBe(200);
    await server.stop();
    await close();
  });
});

describe('GET /api/health when the database is down', () => {
  it('PostgreSQL: 503 while the connection is cut, 200 after', async () => {
    const testDb = await createTestDb('postgresql');
    const target = new URL(testDb.url);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(testDb.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const db = createDb(viaProxy.toString());
    const { app, close } = createTestApp({ config: testConfig({ DATABASE_URL: viaProxy.toString() }), db });
    expect((await app.request('/api/health')).status).toBe(200);

    proxy.cut();
    const down = await app.request('/api/health');
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'degraded', db: false, temporal: true });

    proxy.restore();
    await expect.poll(async () => (await app.request('/api/health')).status, { timeout: 20_000, interval: 500 }).toBe(200);
    await db.$disconnect();
    await close();
    await proxy.close();
    await testDb.drop();
  });

  it('SQLite: 503 when the database file is not a database', async () => {
    const file = path.join(inject('workDir'), 'broken.db');
    writeFileSync(file, 'this is not a sqlite database, just bytes '.repeat(200));
    const db = createDb(`file:${file}`);
    const { app, close } = createTestApp({ config: testConfig({ DATABASE_URL: `file:${file}` }), db });
    const res = await app.request('/api/health');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ db: false, temporal: true });
    await db.$disconnect();
    await close();
  });
});

afterAll(() => undefined);
