// Browser contexts of resets that ended or moved to another worker are closed;
// a context whose reset still runs here, or that a step is driving, is kept.
// Real Chromium, real database rows.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createBrowserPool, type BrowserPool } from '../../../activities/browser/browser-pool.js';
import { findChromium } from '../../../activities/browser/chromium-path.js';
import { createSessionLedger } from '../../../activities/browser/session-ledger.js';
import { createSessionReaper } from '../../../activities/browser/session-reaper.js';
import { createKeyring } from '../../../lib/crypto.js';
import { createLogger } from '../../../lib/logger.js';
import { createTaskSecrets } from '../../../lib/tasks/task-secrets.js';
import { insertTaskRow } from '../../support/task-rows.js';
import { forEachDatabase } from '../../support/test-db.js';

const logger = createLogger({ level: 'silent' });
let pool: BrowserPool;
beforeAll(() => {
  pool = createBrowserPool({ executablePath: findChromium(), allowPrivateTargets: true, logger });
});
afterAll(async () => {
  await pool?.closeAll();
});

forEachDatabase('the browser session reaper', (get) => {
  it('closes the contexts of ended and moved resets, and only those', async () => {
    const { db } = get();
    const secrets = createTaskSecrets({ db, keyring: createKeyring(randomBytes(32)) });
    const ledger = createSessionLedger();
    const reaper = createSessionReaper({ db, pool, secrets, ledger, logger });
    const user = await db.user.create({ data: { email: `${randomBytes(4).toString('hex')}@example.com` } });

    /** A reset's context on this worker, saved after its last step as the browser activities do. */
    async function contextOf(status: string) {
      const task = await insertTaskRow(db, user.id, { status });
      const session = await pool.open(task.id, {});
      ledger.notes(session).checkpointId = await secrets.replace(task.id, 'storage_state', JSON.stringify({ storageState: '{}', url: 'about:blank' }));
      return task.id;
    }
    const running = await contextOf('waiting_for_email');
    const completed = await contextOf('completed');
    const cancelled = await contextOf('cancelled');
    const moved = await contextOf('running');
    // Another worker claimed `moved` and saved a later step there.
    await secrets.replace(moved, 'storage_state', JSON.stringify({ storageState: '{}', url: 'about:blank' }));
    const deleted = await contextOf('running');
    await db.task.delete({ where: { id: deleted } });
    const probeOfEnded = `${completed}:verify`;
    await pool.open(probeOfEnded, {});
    // A step is driving this one right now: left alone even though its reset ended.
    const busy = await contextOf('failed');
    let releaseBusy!: () => void;
    const busyStep = ledger.use(busy, () => new Promise<void>((r) => (releaseBusy = r)));

    const closed = await reaper.sweep();
    expect(closed.sort()).toEqual([completed, cancelled, moved, deleted, probeOfEnded].sort());
    expect(pool.get(running)).toBeDefined();
    expect(pool.get(busy)).toBeDefined();
    for (const id of closed) expect(pool.get(id)).toBeUndefined();

    releaseBusy();
    await busyStep;
    expect(await reaper.sweep()).toEqual([busy]);
    expect(pool.taskIds()).toEqual([running]);
    await pool.close(running);
  }, 120_000);
});
