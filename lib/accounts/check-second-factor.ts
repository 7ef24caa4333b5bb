// A second-factor code from a signed-in person or a sign-in challenge: a
// 6-digit TOTP code (once per time step) or a recovery code (once ever).
// Wrong codes count against the person (rateLimits.secondFactorUser) across
// challenges, so starting new sign-ins buys no extra guesses.
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { assertWithinLimits, consumeRateLimit, refundRateLimit } from '../rate-limit/rate-limit-store.js';
import { rateLimits } from '../rate-limit/rules.js';
import type { AccountDeps, RequestMeta } from './deps.js';
import { consumeRecoveryCode } from './recovery-codes.js';
import { verifyTotp } from './verify-totp.js';

export type SecondFactorMethod = 'totp' | 'recovery';

export async function checkSecondFactor(
  deps: Pick<AccountDeps, 'db' | 'keyring' | 'now'>,
  opts: { userId: string; code: string; recovery?: boolean; meta: RequestMeta },
): Promise<SecondFactorMethod | null> {
  const now = deps.now();
  const throttle = { rule: rateLimits.secondFactorUser, subject: opts.userId, now };
  assertWithinLimits([await consumeRateLimit(deps.db, throttle)], 'Too many wrong codes. Try again later.');

  const code = opts.code.trim();
  let method: SecondFactorMethod | null = null;
  if (!opts.recovery && /^\d{6}$/.test(code)) {
    if (await verifyTotp(deps, { userId: opts.userId, code })) method = 'totp';
  } else if (await consumeRecoveryCode(deps.db, deps.keyring, { userId: opts.userId, code, now })) {
    method = 'recovery';
    const left = await deps.db.recoveryCode.count({ where: { userId: opts.userId, usedAt: null } });
    await recordAuditEvent(deps.db, { userId: opts.userId, action: 'twofa.recovery_used', ...opts.meta, detail: { recoveryCodesLeft: left } });
  }
  if (method) await refundRateLimit(deps.db, throttle);
  return method;
}
