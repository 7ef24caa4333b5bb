// A new reset is refused (503) while no worker could run it, instead of being
// accepted and waiting for a browser that is not there. The worker is the one
// that knows whether it found Chromium; it tells Temporal by polling the claim
// queue only when it did (lib/temporal/reset-workers.ts).
import type { Client } from '@temporalio/client';
import type { Config } from '../config.js';
import { AppError, describeResetFailure } from '../errors.js';
import { describeResetWorkers } from '../temporal/reset-workers.js';

export async function assertResetWorkers(deps: { temporal: Client; config: Pick<Config, 'resetWorkerCheck' | 'temporal'> }): Promise<void> {
  if (!deps.config.resetWorkerCheck) return;
  // Temporal unreachable: starting the workflow fails next, with its own 503.
  const presence = await describeResetWorkers(deps.temporal, deps.config.temporal.taskQueue).catch(() => undefined);
  if (!presence) return;
  if (!presence.worker) {
    throw new AppError('unavailable', 'No Rekey worker is running, so the reset cannot start. Whoever runs Rekey needs to start the worker; then try again.');
  }
  if (!presence.browser) throw new AppError('unavailable', describeResetFailure('BrowserUnavailable'));
}
