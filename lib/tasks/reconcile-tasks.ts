// The task row and the account lock mirror a reset's workflow, written by the
// workflow itself. Some ends never reach that mirror: the final write failed
// (database down past its retries), staff terminated the workflow in the
// Temporal Web UI, its whole-run timeout fired, or the API died between
// creating the task and starting its workflow. `healTask` asks Temporal how
// the workflow really ended and writes that into the row, releasing the lock;
// `reconcileTasks` does it for every task still marked as running.
import { WorkflowNotFoundError, type Client, type WorkflowExecutionStatusName } from '@temporalio/client';
import type { Db } from '../db/index.js';
import { describeResetFailure } from '../errors.js';
import type { Logger } from '../logger.js';
import { terminalStatuses, type ResetResult } from '../../workflows/reset-password.messages.js';
import { releaseTask } from './release-task.js';

export interface ReconcileDeps {
  db: Db;
  temporal: Client;
  logger?: Logger;
}

/** How long a task may exist without its workflow: the API creates the row, then starts it. */
export const START_GRACE_MS = 2 * 60_000;

interface TaskRef {
  id: string;
  workflowId: string;
  status: string;
  createdAt: Date;
}

type Ending = { status: ResetResult['status']; failure?: { type: string; message: string }; confirmed?: boolean };

/** How the workflow ended, or null while it runs (or may still be about to start). */
async function workflowEnding(temporal: Client, task: TaskRef, now: Date): Promise<Ending | null> {
  const handle = temporal.workflow.getHandle(task.workflowId);
  let status: WorkflowExecutionStatusName;
  try {
    status = (await handle.describe()).status.name;
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    if (now.getTime() - task.createdAt.getTime() < START_GRACE_MS) return null;
    return { status: 'failed', failure: { type: 'NotStarted', message: describeResetFailure('NotStarted') } };
  }
  switch (status) {
    case 'RUNNING':
    case 'CONTINUED_AS_NEW':
    case 'PAUSED':
    case 'UNSPECIFIED':
    case 'UNKNOWN':
      return null;
    case 'COMPLETED': {
      const result = (await handle.result()) as ResetResult;
      return { status: result.status, failure: result.failure, confirmed: result.confirmed };
    }
    case 'CANCELLED':
      return { status: 'cancelled', failure: { type: 'Cancelled', message: describeResetFailure('Cancelled') } };
    case 'TIMED_OUT':
      return { status: 'failed', failure: { type: 'ResetTimeout', message: describeResetFailure('ResetTimeout') } };
    default: // TERMINATED, FAILED: stopped from outside, or before it could say why
      return { status: 'failed', failure: { type: 'Stopped', message: describeResetFailure('Stopped') } };
  }
}

/** Brings one task's row and lock in line with its workflow; true when the task had ended. */
export async function healTask(deps: ReconcileDeps, task: TaskRef, now = new Date()): Promise<boolean> {
  if (terminalStatuses.includes(task.status as never)) {
    await releaseTask(deps.db, task.id);
    return true;
  }
  const ending = await workflowEnding(deps.temporal, task, now);
  if (!ending) return false;
  const { count } = await deps.db.task.updateMany({
    where: { id: task.id, status: { notIn: [...terminalStatuses] } },
    data: {
      status: ending.status,
      waitingFor: null,
      failureType: ending.failure?.type ?? null,
      failureReason: ending.failure?.message ?? null,
      confirmed: ending.status === 'completed' ? (ending.confirmed ?? true) : null,
      completedAt: now,
      seq: { increment: 1 },
    },
  });
  await releaseTask(deps.db, task.id);
  if (count > 0) deps.logger?.warn({ taskId: task.id, status: ending.status, type: ending.failure?.type }, 'healed a task whose workflow had ended');
  return true;
}

/** Every task still marked as running, checked against Temporal. */
export async function reconcileTasks(deps: ReconcileDeps, now = new Date()): Promise<{ checked: number; healed: number; lateSecrets: number }> {
  const open = await deps.db.task.findMany({
    where: { status: { notIn: [...terminalStatuses] } },
    select: { id: true, workflowId: true, status: true, createdAt: true },
    orderBy: { createdAt: 'asc' },
    take: 500,
  });
  let healed = 0;
  for (const task of open) {
    try {
      if (await healTask(deps, task, now)) healed++;
    } catch (err) {
      deps.logger?.warn({ taskId: task.id, err: (err as Error).name }, 'could not check a task against Temporal');
    }
  }
  // An activity of a workflow stopped from outside runs on until its next heartbeat and
  // may still store a link or browser state after the task ended: nothing may keep them.
  const { count: lateSecrets } = await deps.db.taskSecret.deleteMany({ where: { task: { status: { in: [...terminalStatuses] } } } });
  return { checked: open.length, healed, lateSecrets };
}
