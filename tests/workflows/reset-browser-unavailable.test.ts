// A reset when no worker has a browser: the real worker/main.ts, started with a
// PATH and a Playwright directory that hold no Chromium (nothing is
// uninstalled), stays up and runs the workflow and its mail steps, but never
// polls the claim queue. The reset's claim waits `browserWait` and the reset
// fails with BrowserUnavailable — once, without retries — instead of waiting forever.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetFailures } from '../../lib/errors.js';
import { startResetHarness, type ResetHarness } from '../support/reset-harness.js';

describe('a reset with no browser on any worker', () => {
  let h: ResetHarness;
  const empty = mkdtempSync(path.join(os.tmpdir(), 'rekey-no-browser-'));
  beforeAll(async () => {
    h = await startResetHarness({ worker: 'none', env: { PATH: empty, PLAYWRIGHT_BROWSERS_PATH: empty } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('fails with BrowserUnavailable after browserWait, claims once, and the browserless worker stays up', async () => {
    const worker = h.startChildWorker();
    const person = await h.createPerson('no-browser');
    const { taskId, workflowId } = await h.startReset(person, 'papercrane', { tuning: { browserWait: '3 seconds' } });

    const result = await h.result(workflowId);
    expect(result).toMatchObject({ status: 'failed', failure: { type: 'BrowserUnavailable', message: resetFailures.BrowserUnavailable.reason } });
    const task = await h.waitForTask(taskId, (t) => t.status === 'failed');
    expect(task).toMatchObject({ failureType: 'BrowserUnavailable', step: 'navigate' });

    // The mail step before it ran on this worker; the claim was scheduled exactly once and timed out unstarted.
    const history = await h.client.workflow.getHandle(workflowId).fetchHistory();
    const scheduled = (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes);
    const names = scheduled.map((e) => e.activityTaskScheduledEventAttributes!.activityType!.name);
    expect(names).toContain('snapshotMailbox');
    expect(names.filter((n) => n === 'claimBrowserWorker')).toHaveLength(1);
    expect((history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes && scheduled.some((s) => s.eventId?.toString() === e.activityTaskStartedEventAttributes!.scheduledEventId?.toString() && s.activityTaskScheduledEventAttributes!.activityType!.name === 'claimBrowserWorker'))).toHaveLength(0);

    expect(worker.exitCode).toBeNull();
    expect(worker.signalCode).toBeNull();
  }, 180_000);
});
