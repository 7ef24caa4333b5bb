// Health names the parts a reset needs, and a new reset is refused (503) while
// no worker could run it. Real Rekey workers on the run's Temporal dev server —
// one without a browser, one with real Chromium — each on a task queue of its
// own, so what Temporal reports about pollers belongs to this test alone.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createBrowserPool } from '../../activities/browser/browser-pool.js';
import { findChromium } from '../../activities/browser/chromium-path.js';
import { createNavigator } from '../../activities/browser/navigator/index.js';
import { createCatalog } from '../../catalog/index.js';
import type { Config } from '../../lib/config.js';
import { createKeyring } from '../../lib/crypto.js';
import { resetFailures } from '../../lib/errors.js';
import { createLogger } from '../../lib/logger.js';
import { createServiceDirectory } from '../../lib/service-directory.js';
import { createRekeyWorkers } from '../../worker/create-workers.js';
import { testConfig } from '../support/test-config.js';
import { createTestDb, type TestDb } from '../support/test-db.js';
import { APP_ORIGIN, createResetApi, errorOf, request, signedInPerson, type ResetApi } from './tasks-support.js';

const logger = createLogger({ level: 'silent' });

describe('reset workers: health and the 503 on a new reset', () => {
  let testDb: TestDb;
  const opened: { close(): Promise<void> }[] = [];
  beforeAll(async () => {
    try {
      Runtime.install({ logger: new DefaultLogger('WARN') });
    } catch {
      // Already installed in this process: keep it.
    }
    testDb = await createTestDb('sqlite');
  });
  afterAll(async () => {
    for (const o of opened.reverse()) await o.close();
    await testDb?.drop();
  });

  /** The app with the worker check on (it is off by default under NODE_ENV=test), on a fresh queue. */
  function app(env: Record<string, string> = {}): { api: ResetApi; config: Config } {
    const config = testConfig({
      DATABASE_URL: testDb.url,
      TEMPORAL_TASK_QUEUE: `reset-workers-${randomBytes(4).toString('hex')}`,
      REKEY_WORKER_CHECK: 'true',
      ...env,
    });
    const api = createResetApi({ config, db: testDb.db });
    opened.push(api);
    return { api, config };
  }

  async function startWorker(config: Config, withBrowser: boolean) {
    const pool = withBrowser ? createBrowserPool({ executablePath: findChromium(), allowPrivateTargets: true, logger }) : undefined;
    const connection = await NativeConnection.connect({ address: config.temporal.address! });
    const workers = await createRekeyWorkers({
      connection,
      workflowBundle: { code: readFileSync(inject('workflowBundlePath'), 'utf8') },
      shutdownGraceTime: '1 second',
      deps: {
        config,
        db: testDb.db,
        keyring: createKeyring(randomBytes(32)),
        logger,
        pool,
        navigator: createNavigator({ logger }),
        services: createServiceDirectory(createCatalog()),
      },
    });
    const running = workers.run();
    opened.push({
      async close() {
        await workers.shutdown();
        await running;
        await pool?.closeAll();
        await connection.close();
      },
    });
    return workers;
  }

  const health = async (api: ResetApi) => {
    const res = await request(api, 'GET', '/api/health');
    return { status: res.status, body: (await res.json()) as { status: string; worker: boolean; browser: boolean; sandbox: string; missing: { component: string; message: string }[] } };
  };
  const newReset = async (api: ResetApi) => {
    const person = await signedInPerson(testDb.db);
    return request(api, 'POST', '/api/tasks/reset', {
      person,
      origin: APP_ORIGIN,
      body: { serviceUrl: 'https://www.netflix.com/', email: `${randomBytes(3).toString('hex')}@example.com` },
    });
  };

  it('no worker: health names the worker (still 200: the API serves), and a new reset is refused with 503, leaving no task', async () => {
    const { api } = app();
    const { status, body } = await health(api);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'degraded', worker: false, browser: false, sandbox: 'off' });
    expect(body.missing.map((m) => m.component)).toEqual(['worker']);

    const tasksBefore = await testDb.db.task.count();
    const res = await newReset(api);
    expect(res.status).toBe(503);
    const error = await errorOf(res);
    expect(error.code).toBe('unavailable');
    expect(error.message).toMatch(/No Rekey worker is running/);
    expect(await testDb.db.task.count()).toBe(tasksBefore);

    const ready = await request(api, 'GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', worker: false, browser: false, missing: [{ component: 'worker' }] });
  });

  it('a worker without a browser: health names the browser; a new reset is refused with the BrowserUnavailable sentence', async () => {
    const { api, config } = app();
    const workers = await startWorker(config, false);
    expect(workers.browserQueue).toBeUndefined();
    await expect.poll(async () => (await health(api)).body.worker, { timeout: 30_000, interval: 250 }).toBe(true);
    const { body } = await health(api);
    expect(body).toMatchObject({ status: 'degraded', worker: true, browser: false });
    expect(body.missing).toEqual([{ component: 'browser', message: expect.stringContaining('Install Chromium') }]);

    const res = await newReset(api);
    expect(res.status).toBe(503);
    expect(await errorOf(res)).toMatchObject({ code: 'unavailable', message: resetFailures.BrowserUnavailable.reason });
  });

  it('a worker with a browser: nothing missing, and a reset is accepted', async () => {
    const { api, config } = app();
    await startWorker(config, true);
    await expect.poll(async () => (await health(api)).body.browser, { timeout: 30_000, interval: 250 }).toBe(true);
    const { body } = await health(api);
    expect(body).toMatchObject({ status: 'ok', worker: true, browser: true, missing: [] });
    expect((await newReset(api)).status).toBe(201);
  });

  it('with the check off (REKEY_WORKER_CHECK=false) a reset is accepted even with no worker', async () => {
    const { api } = app({ REKEY_WORKER_CHECK: 'false' });
    expect((await newReset(api)).status).toBe(201);
  });

  it('REKEY_SANDBOX on without the sandbox running: health names the mailbox sandbox', async () => {
    const { api } = app({ REKEY_SANDBOX: 'on', REKEY_DATA_DIR: `${inject('workDir')}/no-sandbox-${randomBytes(3).toString('hex')}` });
    const { body } = await health(api);
    expect(body.sandbox).toBe('down');
    expect(body.missing.map((m) => m.component)).toContain('mailbox sandbox');
  });
});
