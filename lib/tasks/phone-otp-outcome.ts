// What became of a code typed on the phone, for the phone page to tell after
// "Code sent": whether the site took it and the reset finished, asked for
// another code, or failed. Read from the task row (the workflow keeps it
// current), by the same token: no sign-in on the phone. A used token answers
// for a while after its use, then it is over like any other.
import { describeResetFailure } from '../errors.js';
import { findPhoneOtpToken, type PhoneOtpDeps } from './phone-otp-link.js';

export const phoneOtpOutcomeStates = ['waiting', 'entering', 'asked_again', 'completed', 'failed', 'cancelled'] as const;
export type PhoneOtpOutcomeState = (typeof phoneOtpOutcomeStates)[number];

export interface PhoneOtpOutcome {
  state: PhoneOtpOutcomeState;
  /** Rekey's own words for the phone page (the service name is the only outside text). */
  message: string;
}

/** How long after its use a token still answers for its outcome. */
export const PHONE_OTP_OUTCOME_MS = 30 * 60_000;

/** null: no such token; 'gone': a token that is over (expired or void unused, or used too long ago). */
export async function readPhoneOtpOutcome(deps: Pick<PhoneOtpDeps, 'db' | 'now'>, token: string): Promise<PhoneOtpOutcome | 'gone' | null> {
  const found = await findPhoneOtpToken(deps, token);
  if (!found) return null;
  const { row, state } = found;
  const service = row.task.serviceName;
  if (state === 'live') return { state: 'waiting', message: `Type the code ${service} sent you.` };
  const now = deps.now?.() ?? new Date();
  if (state !== 'used' || !row.usedAt || now.getTime() - row.usedAt.getTime() > PHONE_OTP_OUTCOME_MS) return 'gone';

  const task = row.task;
  switch (task.status) {
    case 'completed':
      return { state: 'completed', message: `Done: ${service} took the code and your password was reset. You can close this page.` };
    case 'failed':
      return { state: 'failed', message: `The reset did not finish: ${describeResetFailure(task.failureType ?? undefined)} See the reset on your computer.` };
    case 'cancelled':
      return { state: 'cancelled', message: 'The reset was cancelled.' };
  }
  // Waiting for a code again is a new wait once the workflow has written anything since this code.
  if (task.status === 'waiting_for_otp' && task.updatedAt > row.usedAt) {
    return { state: 'asked_again', message: `${service} asked for another code (the last one may have expired or been mistyped). Use the new prompt on your computer.` };
  }
  return { state: 'entering', message: `Code sent. Rekey is entering it on ${service}…` };
}
