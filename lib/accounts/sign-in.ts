// Sign-in, first step: the password. Indistinguishable for unknown accounts:
// same error, same throttle (keyed by the address typed, not by a user id),
// and the same argon2 work (a dummy hash of the same cost).
// Throttles count an attempt before the password is checked (so parallel
// guesses cannot slip past the limit) and give it back when the password is
// right: only failures count, and a success does not wipe earlier ones.
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { hashToken, randomToken } from '../crypto.js';
import { AppError } from '../errors.js';
import { assertWithinLimits, consumeRateLimit, refundRateLimit } from '../rate-limit/rate-limit-store.js';
import { ipThrottleSubject } from '../rate-limit/client-ip.js';
import { rateLimits } from '../rate-limit/rules.js';
import { createSession } from './create-session.js';
import type { AccountDeps, RequestMeta } from './deps.js';
import { normalizeEmail } from './normalize-email.js';
import { passwordNeedsRehash, verifyAgainstDummy } from './password-hash.js';
import { MFA_CHALLENGE_TTL_MS } from './policy.js';
import { toPublicUser, type PublicUser } from './public-user.js';

export type SignInResult =
  | { kind: 'signed_in'; user: PublicUser; sessionToken: string; sessionId: string }
  | { kind: 'mfa_required'; challengeToken: string };

export const invalidCredentials = () => new AppError('invalid_credentials', 'Email or password is incorrect');

export async function signIn(deps: AccountDeps, input: { email: string; password: string }, meta: RequestMeta): Promise<SignInResult> {
  const now = deps.now();
  const email = normalizeEmail(input.email);
  const account = { rule: rateLimits.signInAccount, subject: email, now };
  const address = { rule: rateLimits.signInIp, subject: ipThrottleSubject(meta.ip), now };
  const [accountHit, addressHit] = await Promise.all([consumeRateLimit(deps.db, account), consumeRateLimit(deps.db, address)]);
  assertWithinLimits([accountHit, addressHit], 'Too many failed sign-ins. Try again later.');

  const user = await deps.db.user.findUnique({ where: { email } });
  const cost = deps.config.passwordHashing;
  const hasher = deps.passwordHasher;
  const ok = user?.passwordHash ? await hasher.verify(user.passwordHash, input.password) : await verifyAgainstDummy(hasher, cost, input.password);
  if (!user || !ok) {
    await recordAuditEvent(deps.db, {
      userId: user?.id ?? null,
      action: 'auth.signin_failed',
      ...meta,
      detail: { reason: user ? 'wrong_password' : 'unknown_account' },
    });
    throw invalidCredentials();
  }

  await refundRateLimit(deps.db, address);
  if (passwordNeedsRehash(user.passwordHash!, cost)) {
    await deps.db.user.update({ where: { id: user.id }, data: { passwordHash: await hasher.hash(cost, input.password) } });
  }

  // Right password: not a failure. Earlier failures stay counted for their window.
  await refundRateLimit(deps.db, account);
  if (user.totpEnabledAt) {
    const challengeToken = randomToken(32);
    await deps.db.mfaChallenge.create({
      data: { userId: user.id, tokenHash: hashToken(challengeToken), createdAt: now, expiresAt: new Date(now.getTime() + MFA_CHALLENGE_TTL_MS) },
    });
    await recordAuditEvent(deps.db, { userId: user.id, action: 'auth.mfa_challenge', ...meta });
    return { kind: 'mfa_required', challengeToken };
  }

  const session = await createSession(deps, { userId: user.id, meta });
  await recordAuditEvent(deps.db, { userId: user.id, action: 'auth.signin', ...meta, detail: { sessionId: session.sessionId, mfa: false } });
  return { kind: 'signed_in', user: toPublicUser(user), sessionToken: session.token, sessionId: session.sessionId };
}
