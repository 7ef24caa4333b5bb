// POST /api/jobs/{id}/cancel: asks the workflow to stop (cancelSignal). The
// workflow cancels what can be cancelled — never a password submission in
// flight — and records `cancelled`; the answer is 202, the change follows.
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Db } from '../db/index.js';
import { AppError, notFound } from '../errors.js';
import { cancelSignal, terminalStatuses, type TaskStatus } from '../../workflows/reset-password.messages.js';

export async function cancelJob(
  deps: { db: Db; temporal: Client },
  args: { userId: string; taskId: string; reason?: string },
): Promise<{ id: string; status: 'cancelling' }> {
  const task = await deps.db.task.findFirst({ where: { id: args.taskId, userId: args.userId } });
  if (!task) throw notFound('Job');
  if (terminalStatuses.includes(task.status as TaskStatus)) throw new AppError('conflict', `This job has already finished (${task.status})`);
  try {
    await deps.temporal.workflow.getHandle(task.workflowId).signal(cancelSignal, { reason: args.reason ?? 'cancelled by the person' });
  } catch (err) {
    // The workflow is gone (it ended a moment ago, or never started): nothing left to cancel.
    if (err instanceof WorkflowNotFoundError) throw new AppError('conflict', 'This job has already finished');
    throw err;
  }
  return { id: task.id, status: 'cancelling' };
}
