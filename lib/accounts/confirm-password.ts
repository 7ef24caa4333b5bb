// Re-checking a signed-in person's password (sudo, change-password, 2FA
// disable). Wrong guesses count against the same per-account throttle as
// sign-in, so a stolen session cannot be used to brute-force the password.
import { AppError } from '../errors.js';
import { assertWithinLimits, consumeRateLimit, refundRateLimit } from '../rate-limit/rate-limit-store.js';
import { rateLimits } from '../rate-limit/rules.js';
import type { AccountDeps } from './deps.js';
import { verifyPassword } from './password-hash.js';

/** True when the password is the person's; 429 once the account's failures are used up. */
export async function confirmPassword(deps: Pick<AccountDeps, 'db' | 'now'>, opts: { userId: string; password: string }): Promise<boolean> {
  const user = await deps.db.user.findUnique({ where: { id: opts.userId }, select: { email: true, passwordHash: true } });
  if (!user) throw new AppError('unauthorized', 'Sign in again');
  if (!user.passwordHash) throw new AppError('conflict', 'This account has no password');
  const throttle = { rule: rateLimits.signInAccount, subject: user.email, now: deps.now() };
  assertWithinLimits([await consumeRateLimit(deps.db, throttle)], 'Too many wrong passwords. Try again later.');
  const ok = await verifyPassword(user.passwordHash, opts.password);
  if (ok) await refundRateLimit(deps.db, throttle);
  return ok;
}
