// A code typed on the phone page: the token is the only credential. Every
// submission counts (5, then the token is void); once a code is accepted the
// token is used up. Unknown tokens are 404; expired, used or void ones are 410
// (the person followed a real link that is over, and should look at the task).
import type { Client } from '@temporalio/client';
import { AppError } from '../errors.js';
import { findPhoneOtpToken, PHONE_OTP_MAX_SUBMISSIONS, type PhoneOtpDeps } from './phone-otp-link.js';
import { answerTaskOtp } from './answer-task-otp.js';
import type { TaskSecrets } from './task-secrets.js';

const gone = (state: string) =>
  new AppError('gone', state === 'used' ? 'This link was already used' : state === 'void' ? 'Too many codes were sent with this link' : 'This link has expired');

export async function submitPhoneOtp(
  deps: Pick<PhoneOtpDeps, 'db' | 'now'> & { temporal: Client; secrets: TaskSecrets; queryTimeoutMs?: number },
  args: { token: string; code: string },
): Promise<{ accepted: true }> {
  const found = await findPhoneOtpToken(deps, args.token);
  if (!found) throw new AppError('not_found', 'Unknown link');
  if (found.state !== 'live') throw gone(found.state);
  const now = deps.now?.() ?? new Date();
  // Count the submission first, atomically: concurrent posts cannot exceed the limit.
  const counted = await deps.db.otpToken.updateMany({
    where: { id: found.row.id, usedAt: null, attempts: { lt: PHONE_OTP_MAX_SUBMISSIONS }, expiresAt: { gt: now } },
    data: { attempts: { increment: 1 } },
  });
  if (counted.count === 0) throw gone('void');

  const result = await answerTaskOtp(deps, { taskId: found.row.taskId, code: args.code });
  await deps.db.otpToken.updateMany({ where: { id: found.row.id, usedAt: null }, data: { usedAt: now } });
  return result;
}
