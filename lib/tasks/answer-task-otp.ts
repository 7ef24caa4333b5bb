// A code the person typed (task page, chat, or the phone link) reaches the
// workflow by reference: stored encrypted, then signalled by id. Accepted only
// while the reset waits for a code, with what a public endpoint needs:
//  - a finished task is refused from the database without asking Temporal;
//  - the workflow query is bounded (with no worker running it would hang ~30 s);
//  - at most 5 codes per wait (SPEC "a task accepts 5 OTP submissions per
//    wait"), counted in the shared rate-limit table under the wait's identity,
//    so every API process counts together → 429 with Retry-After;
//  - once a code is accepted, the wait's phone link stops working, whichever
//    channel the code came through.
import type { Client } from '@temporalio/client';
import type { Db } from '../db/index.js';
import { AppError } from '../errors.js';
import { assertWithinLimits, consumeRateLimit } from '../rate-limit/rate-limit-store.js';
import type { RateLimitRule } from '../rate-limit/rules.js';
import { progressQuery, submitOtpSignal, terminalStatuses, type TaskStatus } from '../../workflows/reset-password.messages.js';
import type { TaskSecrets } from './task-secrets.js';

export const OTP_CODE_PATTERN = /^[0-9A-Za-z]{4,10}$/;
export const DEFAULT_OTP_QUERY_TIMEOUT_MS = 5_000;
export const OTP_SUBMISSIONS_PER_WAIT = 5;

/** One window per wait, as long as the wait. (A candidate for lib/rate-limit/rules.ts.) */
const perWait = (windowMs: number): RateLimitRule => ({ name: 'task-otp-wait', limit: OTP_SUBMISSIONS_PER_WAIT, windowMs });

export async function answerTaskOtp(
  deps: { db: Db; temporal: Client; secrets: TaskSecrets; queryTimeoutMs?: number; now?: () => Date },
  args: { taskId: string; userId?: string; code: string },
): Promise<{ accepted: true }> {
  const code = args.code.replace(/[\s-]/g, '');
  if (!OTP_CODE_PATTERN.test(code)) {
    throw new AppError('validation_failed', 'code: 4 to 10 digits or letters', { field: 'code' });
  }
  const task = await deps.db.task.findUnique({ where: { id: args.taskId }, select: { userId: true, status: true, workflowId: true } });
  if (!task || (args.userId && task.userId !== args.userId)) throw new AppError('not_found', 'Task not found');
  if (terminalStatuses.includes(task.status as TaskStatus)) throw new AppError('not_waiting', 'This reset has finished');

  const { connection } = deps.temporal;
  const bounded = <T>(fn: () => Promise<T>) => connection.withDeadline(Date.now() + (deps.queryTimeoutMs ?? DEFAULT_OTP_QUERY_TIMEOUT_MS), fn);

  // The workflow's own view decides: the database may lag a step behind.
  const handle = deps.temporal.workflow.getHandle(task.workflowId);
  const progress = await bounded(() => handle.query(progressQuery)).catch(() => null);
  const waiting = progress?.waitingFor?.kind === 'otp' ? progress.waitingFor : null;
  if (!waiting) throw new AppError('not_waiting', 'This reset is not waiting for a code');
  const now = deps.now?.() ?? new Date();
  const windowMs = Math.max(1_000, new Date(waiting.until).getTime() - now.getTime());
  const counted = await consumeRateLimit(deps.db, { rule: perWait(windowMs), subject: `${args.taskId}:${waiting.since}`, now });
  assertWithinLimits([counted], 'Too many codes for this prompt');

  const otpRef = await deps.secrets.put(args.taskId, 'otp', code);
  await bounded(() => handle.signal(submitOtpSignal, { otpRef }));
  // This wait has its code: its phone link is over.
  await deps.db.otpToken.updateMany({ where: { taskId: args.taskId, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
  return { accepted: true };
}
