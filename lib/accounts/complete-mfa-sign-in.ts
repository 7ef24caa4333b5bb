// Sign-in, second step: the challenge from the password step plus a TOTP or
// recovery code. A challenge takes 5 codes; after the 5th wrong one it is void
// and the person signs in again. Each attempt is claimed with one conditional
// UPDATE, so parallel guesses cannot exceed the count.
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { hashToken } from '../crypto.js';
import { AppError } from '../errors.js';
import { checkSecondFactor } from './check-second-factor.js';
import { createSession } from './create-session.js';
import type { AccountDeps, RequestMeta } from './deps.js';
import { MFA_CHALLENGE_MAX_ATTEMPTS } from './policy.js';
import { toPublicUser, type PublicUser } from './public-user.js';

const challengeInvalid = () => new AppError('challenge_invalid', 'This sign-in has expired or was used up. Sign in again.');

export async function completeMfaSignIn(
  deps: AccountDeps,
  input: { challengeToken: string; code: string },
  meta: RequestMeta,
): Promise<{ user: PublicUser; sessionToken: string; sessionId: string }> {
  const now = deps.now();
  const challenge = await deps.db.mfaChallenge.findUnique({ where: { tokenHash: hashToken(input.challengeToken) } });
  if (!challenge || challenge.consumedAt || challenge.expiresAt <= now) throw challengeInvalid();

  const claimed = await deps.db.mfaChallenge.updateMany({
    where: { id: challenge.id, consumedAt: null, expiresAt: { gt: now }, attempts: { lt: MFA_CHALLENGE_MAX_ATTEMPTS } },
    data: { attempts: { increment: 1 } },
  });
  if (claimed.count === 0) throw challengeInvalid();

  const method = await checkSecondFactor(deps, { userId: challenge.userId, code: input.code, meta });
  if (!method) {
    await recordAuditEvent(deps.db, { userId: challenge.userId, action: 'auth.mfa_failed', ...meta, detail: { attempt: challenge.attempts + 1 } });
    const left = MFA_CHALLENGE_MAX_ATTEMPTS - (challenge.attempts + 1);
    throw new AppError('invalid_credentials', left > 0 ? 'The code is incorrect' : 'The code is incorrect. Sign in again.');
  }

  const consumed = await deps.db.mfaChallenge.updateMany({ where: { id: challenge.id, consumedAt: null }, data: { consumedAt: now } });
  if (consumed.count === 0) throw challengeInvalid();

  const user = await deps.db.user.findUniqueOrThrow({ where: { id: challenge.userId } });
  const session = await createSession(deps, { userId: user.id, meta });
  await recordAuditEvent(deps.db, { userId: user.id, action: 'auth.signin', ...meta, detail: { sessionId: session.sessionId, mfa: method } });
  return { user: toPublicUser(user), sessionToken: session.token, sessionId: session.sessionId };
}
