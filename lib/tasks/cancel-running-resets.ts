// For account deletion (AppDeps.accountHooks.beforeDelete): stops every reset
// of the person that has not finished, so no activity writes to a vault that
// is being deleted. Terminated, not cancelled: a graceful cancel may still
// submit a password and write it, which is exactly what must not happen now.
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Db } from '../db/index.js';
import { terminalStatuses } from '../../workflows/reset-password.messages.js';

export async function cancelRunningResets(deps: { db: Db; temporal: Client }, userId: string): Promise<number> {
  const running = await deps.db.task.findMany({ where: { userId, status: { notIn: [...terminalStatuses] } }, select: { id: true, workflowId: true } });
  for (const task of running) {
    try {
      await deps.temporal.workflow.getHandle(task.workflowId).terminate('the account is being deleted');
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err; // already closed
    }
  }
  return running.length;
}
