// A task's progress as the database last recorded it: the workflow writes the
// row and its steps at every change (activities/tasks), so this answers while
// no worker runs — for finished tasks, GET /api/jobs and the streams' fallback.
import type { Db } from '../db/index.js';
import {
  stepNames,
  type ResetProgress,
  type StepName,
  type StepStatus,
  type TaskStatus,
  type WaitingFor,
} from '../../workflows/reset-password.messages.js';

export type TaskRow = NonNullable<Awaited<ReturnType<Db['task']['findUnique']>>>;
type StepRow = { name: string; status: string; detail: string | null; startedAt: Date | null; durationMs: number | null; position: number };

/**
 * The row in the workflow's own shape. The database keeps only the kind of a
 * wait, so `waitingFor` is rebuilt with what is known: `since` is when the row
 * last changed, and an OTP wait's `until` is `since + otpWaitMs`.
 */
export function progressFromRow(task: TaskRow, steps: readonly StepRow[], opts: { otpWaitMs: number; captchaWaitMs: number }): ResetProgress {
  const ordered = [...steps].sort((a, b) => a.position - b.position);
  const known = new Map(ordered.map((s) => [s.name, s]));
  const progress: ResetProgress = {
    taskId: task.id,
    status: task.status as TaskStatus,
    steps: stepNames.map((name) => {
      const row = known.get(name);
      return {
        name,
        status: (row?.status ?? 'pending') as StepStatus,
        ...(row?.durationMs != null ? { durationMs: row.durationMs } : {}),
        ...(row?.startedAt ? { startedAt: row.startedAt.toISOString() } : {}),
        ...(row?.detail ? { detail: row.detail } : {}),
      };
    }),
    seq: task.seq,
  };
  if (task.step) progress.step = task.step as StepName;
  if (task.screenshotId) progress.screenshotId = task.screenshotId;
  if (task.vaultEntryId) progress.vaultEntryId = task.vaultEntryId;
  if (task.confirmed !== null) progress.confirmed = task.confirmed;
  if (task.failureType) progress.failure = { type: task.failureType, message: task.failureReason ?? '' };
  const waiting = waitingFromRow(task, opts);
  if (waiting) progress.waitingFor = waiting;
  return progress;
}

function waitingFromRow(task: TaskRow, opts: { otpWaitMs: number; captchaWaitMs: number }): WaitingFor | undefined {
  const since = task.updatedAt;
  switch (task.waitingFor) {
    case 'email':
      return { kind: 'email', since: since.toISOString() };
    case 'otp':
      return { kind: 'otp', since: since.toISOString(), until: new Date(since.getTime() + opts.otpWaitMs).toISOString(), source: 'unknown', attemptsLeft: 1 };
    case 'captcha':
      return { kind: 'captcha', since: since.toISOString(), until: new Date(since.getTime() + opts.captchaWaitMs).toISOString(), vendor: 'unknown' };
    default:
      return undefined;
  }
}

/** The progress of one task from the database, or null when it does not exist. */
export async function readTaskProgress(db: Db, taskId: string, opts: { otpWaitMs: number; captchaWaitMs: number }): Promise<ResetProgress | null> {
  const task = await db.task.findUnique({ where: { id: taskId }, include: { steps: true } });
  if (!task) return null;
  return progressFromRow(task, task.steps, opts);
}
