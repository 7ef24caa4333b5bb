// Consuming a reset link: 404 unknown, 409 used, 410 expired (the seed's
// statuses). On success the password changes, every session is signed out,
// other outstanding reset links die, and the address counts as verified (the
// link proved it). The person signs in afresh, with their second factor.
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { passwordChangedEmail } from '../email/templates.js';
import { findUsableAccountToken, markAccountTokenUsed } from './account-tokens.js';
import type { AccountDeps, RequestMeta } from './deps.js';
import { hashPassword } from './password-hash.js';
import { checkPasswordRules } from './password-rules.js';
import { runInBackground } from './run-in-background.js';

export async function resetPassword(deps: AccountDeps, input: { token: string; password: string }, meta: RequestMeta): Promise<void> {
  const row = await findUsableAccountToken(deps.db, { kind: 'password_reset', token: input.token, now: deps.now() });
  const user = await deps.db.user.findUniqueOrThrow({ where: { id: row.userId }, select: { id: true, email: true } });
  checkPasswordRules(input.password, user.email);
  const passwordHash = await hashPassword(deps.config.passwordHashing, input.password);

  const now = deps.now();
  const revoked = await deps.db.$transaction(async (tx) => {
    await markAccountTokenUsed(tx, { id: row.id, now });
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    await tx.user.updateMany({ where: { id: user.id, emailVerifiedAt: null }, data: { emailVerifiedAt: now } });
    await tx.accountToken.updateMany({ where: { userId: user.id, kind: 'password_reset', usedAt: null }, data: { usedAt: now } });
    const { count } = await tx.session.updateMany({ where: { userId: user.id, revokedAt: null }, data: { revokedAt: now, sudoHash: null, sudoUntil: null } });
    return count;
  });
  await recordAuditEvent(deps.db, { userId: user.id, action: 'password.reset', ...meta, detail: { sessionsRevoked: revoked } });
  runInBackground(deps.logger, 'password-changed-notice', () =>
    deps.mailer.send(passwordChangedEmail({ to: user.email, appOrigin: deps.config.appOrigin, how: 'reset' })),
  );
}
