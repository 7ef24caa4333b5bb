// Whether resets can run right now, read from Temporal itself: who polls the
// reset queues (DescribeTaskQueue). Every worker polls the shared queue; only
// workers with a browser poll the claim queue (worker/create-workers.ts says
// why), so the two answers are "a worker runs" and "a worker with a browser
// runs". Nothing of ours to keep up to date, and nothing that can go stale
// except Temporal's own poller list, read with a freshness window.
import proto from '@temporalio/proto';
import type { Client } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time.js';
import { browserClaimQueue } from '../../workflows/reset-password.messages.js';

const { TaskQueueType, TaskQueueKind } = proto.temporal.api.enums.v1;

/**
 * A poller that has not polled for this long is gone. A live one polls again
 * at least every minute (Temporal's long poll), while Temporal keeps listing a
 * stopped one for five minutes.
 */
export const POLLER_FRESH_MS = 90_000;

export interface ResetWorkerPresence {
  /** Some worker polls the shared reset queue (workflows, mail, bookkeeping). */
  worker: boolean;
  /** Some worker with a browser polls the claim queue: a reset can get a browser. */
  browser: boolean;
}

export async function describeResetWorkers(client: Client, taskQueue: string, opts: { timeoutMs?: number; now?: number } = {}): Promise<ResetWorkerPresence> {
  const now = opts.now ?? Date.now();
  const livePollers = async (name: string, type: proto.temporal.api.enums.v1.TaskQueueType) => {
    const res = await client.connection.withDeadline(now + (opts.timeoutMs ?? 2_000), () =>
      client.workflowService.describeTaskQueue({
        namespace: client.options.namespace,
        taskQueue: { name, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        taskQueueType: type,
      }),
    );
    return (res.pollers ?? []).filter((p) => (optionalTsToMs(p.lastAccessTime) ?? 0) > now - POLLER_FRESH_MS).length;
  };
  const [workflowPollers, claimPollers] = await Promise.all([
    livePollers(taskQueue, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW),
    livePollers(browserClaimQueue(taskQueue), TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY),
  ]);
  return { worker: workflowPollers > 0, browser: claimPollers > 0 };
}
