// A code the person typed (task page, chat, or the phone link) reaches the
// workflow by reference: stored encrypted, then signalled by id. Accepted only
// while the reset waits for a code; 5 submissions per wait.
import type { Client } from '@temporalio/client';
import type { Db } from '../db/index.js';
import { AppError } from '../errors.js';
import type { TaskSecrets } from './task-secrets.js';
import { progressQuery, submitOtpSignal } from '../../workflows/reset-password.messages.js';

export const OTP_CODE_PATTERN = /^[0-9A-Za-z]{4,10}$/;

export async function submitTaskOtp(
  deps: { db: Db; temporal: Client; secrets: TaskSecrets },
  args: { taskId: string; userId?: string; code: string },
): Promise<{ accepted: true }> {
  const code = args.code.replace(/[\s-]/g, '');
  if (!OTP_CODE_PATTERN.test(code)) throw new AppError('validation_failed', 'code: 4 to 10 digits or letters', { field: 'code' });
  const task = await deps.db.task.findFirst({ where: { id: args.taskId, ...(args.userId ? { userId: args.userId } : {}) } });
  if (!task) throw new AppError('not_found', 'Task not found');

  const handle = deps.temporal.workflow.getHandle(task.workflowId);
  // The workflow's own view decides: the database may lag a step behind.
  const progress = await handle.query(progressQuery).catch(() => null);
  const waiting = progress?.waitingFor?.kind === 'otp' ? progress.waitingFor : null;
  if (!waiting) throw new AppError('not_waiting', 'This reset is not waiting for a code');
  if (waiting.attemptsLeft <= 0) throw new AppError('rate_limited', 'Too many codes for this prompt', { retryAfterSeconds: 60 });

  const otpRef = await deps.secrets.put(task.id, 'otp', code);
  await handle.signal(submitOtpSignal, { otpRef });
  return { accepted: true };
}
