// A stand-in for resetPasswordWorkflow in bench/sse.ts: it answers the real
// `progressQuery` and changes its progress only when the bench says so (a
// signal), so the bench knows when each change happened. The API cannot tell
// it from a reset: it only ever queries progress by workflow id.
import { condition, defineQuery, defineSignal, setHandler } from '@temporalio/workflow';
import { progressQuery, stepNames, type ResetProgress } from '../workflows/reset-password.messages.js';

/** Moves to progress number `seq`; `last` ends the workflow as completed. */
export const advanceSignal = defineSignal<[{ seq: number; last?: boolean }]>('benchAdvance');

/**
 * When each progress number took effect: the workflow clock, i.e. the start of
 * the workflow task that applied the signal (the server's clock, this machine).
 */
export const changedAtQuery = defineQuery<Record<number, number>>('benchChangedAt');

export async function benchProgressWorkflow(args: { taskId: string; vaultEntryId: string }): Promise<void> {
  const progress: ResetProgress = {
    taskId: args.taskId,
    status: 'waiting_for_email',
    steps: stepNames.map((name) => ({ name, status: 'pending' })),
    seq: 1,
  };
  let done = false;
  const changedAt: Record<number, number> = {};
  setHandler(progressQuery, () => progress);
  setHandler(changedAtQuery, () => changedAt);
  setHandler(advanceSignal, ({ seq, last }) => {
    progress.seq = seq;
    changedAt[seq] = Date.now();
    if (last) {
      progress.status = 'completed';
      progress.vaultEntryId = args.vaultEntryId;
      done = true;
    } else {
      // Alternate between statuses so every change is a new `status` event.
      progress.status = seq % 2 ? 'waiting_for_email' : 'running';
      progress.step = stepNames[seq % stepNames.length];
    }
  });
  await condition(() => done);
}
