// Rotating the password while signed in: the current one must match (400
// otherwise, throttled like sign-in). Every other session is signed out
// (all of them when the caller uses an API key), outstanding reset links die.
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { passwordChangedEmail } from '../email/templates.js';
import { AppError } from '../errors.js';
import { confirmPassword } from './confirm-password.js';
import type { AccountDeps, RequestMeta } from './deps.js';
import { hashPassword } from './password-hash.js';
import { checkPasswordRules } from './password-rules.js';
import { runInBackground } from './run-in-background.js';

export async function changePassword(
  deps: AccountDeps,
  opts: { userId: string; keepSessionId?: string; currentPassword: string; newPassword: string; meta: RequestMeta },
): Promise<{ sessionsRevoked: number }> {
  const user = await deps.db.user.findUniqueOrThrow({ where: { id: opts.userId }, select: { email: true } });
  checkPasswordRules(opts.newPassword, user.email, 'newPassword');
  if (!(await confirmPassword(deps, { userId: opts.userId, password: opts.currentPassword }))) {
    await recordAuditEvent(deps.db, { userId: opts.userId, action: 'password.change_failed', ...opts.meta });
    throw new AppError('wrong_password', 'The current password is incorrect', { field: 'currentPassword' });
  }
  const passwordHash = await hashPassword(deps.config.passwordHashing, opts.newPassword);
  const now = deps.now();
  const sessionsRevoked = await deps.db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: opts.userId }, data: { passwordHash } });
    await tx.accountToken.updateMany({ where: { userId: opts.userId, kind: 'password_reset', usedAt: null }, data: { usedAt: now } });
    const { count } = await tx.session.updateMany({
      where: { userId: opts.userId, revokedAt: null, ...(opts.keepSessionId ? { id: { not: opts.keepSessionId } } : {}) },
      data: { revokedAt: now, sudoHash: null, sudoUntil: null },
    });
    return count;
  });
  await recordAuditEvent(deps.db, { userId: opts.userId, action: 'password.changed', ...opts.meta, detail: { sessionsRevoked } });
  runInBackground(deps.logger, 'password-changed-notice', () =>
    deps.mailer.send(passwordChangedEmail({ to: user.email, appOrigin: deps.config.appOrigin, how: 'changed' })),
  );
  return { sessionsRevoked };
}
