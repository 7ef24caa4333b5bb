// enterOtp, the real activity, on real Chromium and a real database: the code
// a person typed must survive until the step's checkpoint is saved, because a
// retry of the activity (the checkpoint write failed, the worker died) needs it.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { asyncLocalStorage, Context, type Info } from '@temporalio/activity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserActivities } from '../../../activities/browser/browser-activities.js';
import { createBrowserPool, type BrowserPool } from '../../../activities/browser/browser-pool.js';
import { findChromium } from '../../../activities/browser/chromium-path.js';
import { createNavigator } from '../../../activities/browser/navigator/index.js';
import { createCatalog } from '../../../catalog/index.js';
import { createKeyring } from '../../../lib/crypto.js';
import { createLogger } from '../../../lib/logger.js';
import { createServiceDirectory } from '../../../lib/service-directory.js';
import { createScreenshotStore } from '../../../lib/tasks/screenshot-store.js';
import { createTaskSecrets } from '../../../lib/tasks/task-secrets.js';
import { createVaultStore } from '../../../lib/vault/vault-store.js';
import { insertTaskRow } from '../../support/task-rows.js';
import { availableDbKinds, createTestDb, type TestDb } from '../../support/test-db.js';

const CODE = '482913';
/** Codes the site received, in order. */
const received: string[] = [];
let server: http.Server;
let base: string;

/** A site that texts a code: a code prompt, then the new-password form once the right code is in. */
function startSite(): Promise<void> {
  server = http.createServer((req, res) => {
    const html = (body: string) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><html><head><title>Verify</title></head><body>${body}</body></html>`);
    };
    if (req.method === 'POST' && req.url === '/verify') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const code = new URLSearchParams(body).get('code') ?? '';
        received.push(code);
        if (code !== CODE) return html('<p role="alert">That code is incorrect.</p>' + codeForm);
        res.writeHead(303, { location: '/new-password' });
        res.end();
      });
      return;
    }
    if (req.url === '/new-password') {
      return html(`<h1>Choose a new password</h1><form method="post" action="/done">
        <label>New password <input type="password" name="password" autocomplete="new-password"></label>
        <label>Confirm new password <input type="password" name="confirm" autocomplete="new-password"></label>
        <button type="submit">Change password</button></form>`);
    }
    return html(codeForm);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve();
    }),
  );
}
const codeForm = `<h1>Enter the code we texted you</h1><form method="post" action="/verify">
  <label>Verification code <input name="code" autocomplete="one-time-code" inputmode="numeric" maxlength="6"></label>
  <button type="submit">Verify</button></form>`;

/** Runs an activity function as a Temporal worker would: inside an activity context. */
function asActivity<T>(fn: () => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const info = { activityType: 'enterOtp', attempt: 1, heartbeatDetails: undefined } as unknown as Info;
  const ctx = new Context(info, new Promise<never>(() => {}), abort.signal, () => {}, undefined, console as never, undefined as never, undefined as never);
  return asyncLocalStorage.run(ctx, fn);
}

beforeAll(startSite);
afterAll(() => void server?.close());

for (const dbKind of availableDbKinds()) describe(`enterOtp [${dbKind}]`, { timeout: 120_000 }, () => {
  let testDb: TestDb;
  let pool: BrowserPool;
  beforeAll(async () => {
    received.length = 0;
    testDb = await createTestDb(dbKind);
    pool = createBrowserPool({ executablePath: findChromium(), allowPrivateTargets: true, logger: createLogger({ level: 'silent' }) });
  });
  afterAll(async () => {
    await pool?.closeAll();
    await testDb?.drop();
  });

  it('a retry after the checkpoint failed still has the typed code, and the site gets it once', async () => {
    const db = testDb.db;
    const keyring = createKeyring(randomBytes(32));
    const secrets = createTaskSecrets({ db, keyring });
    const vault = createVaultStore({ db, keyring });
    const user = await db.user.create({ data: { email: `${randomBytes(4).toString('hex')}@example.com` } });
    const entry = await vault.createEntry(user.id, { url: base, username: 'pat@example.com', email: 'pat@example.com', password: 'Old-password-1' });
    const task = await insertTaskRow(db, user.id, { vaultEntryId: entry.id, serviceUrl: base });

    // The storage-state write of the step's checkpoint fails once (a database blip, or the
    // worker dying there): Temporal retries the activity.
    let failCheckpoints = 1;
    const flakySecrets: typeof secrets = {
      ...secrets,
      async replace(taskId, kind, value) {
        if (kind === 'storage_state' && failCheckpoints-- > 0) throw new Error('database is locked');
        return secrets.replace(taskId, kind, value);
      },
    };
    const activities = createBrowserActivities({
      db,
      pool,
      navigator: createNavigator({ logger: createLogger({ level: 'silent' }) }),
      vault,
      secrets: flakySecrets,
      screenshots: createScreenshotStore(db),
      services: createServiceDirectory(createCatalog()),
      workerQueue: 'enter-otp-test',
      allowPrivateTargets: true,
      logger: createLogger({ level: 'silent' }),
    });
    const session = await pool.open(task.id, {});
    await session.page.goto(`${base}/verify`);
    const otpRef = await secrets.put(task.id, 'otp', CODE);

    await expect(asActivity(() => activities.enterOtp({ taskId: task.id, otpRef }))).rejects.toThrow();
    const retried = await asActivity(() => activities.enterOtp({ taskId: task.id, otpRef }));

    expect(retried.next).toBe('new_password_form');
    expect(received).toEqual([CODE]);
    // Used and checkpointed: now the code is gone.
    expect(await secrets.get(task.id, otpRef)).toBeNull();
  });
});
