// Sudo: a fresh password check opens a 5-minute window for dangerous actions
// (API-key creation, account deletion, 2FA disable, vault reveal). The grant is
// a random token in its own SameSite=Strict cookie whose hash is stored on the
// session, so it is worthless without that session and dies with it.
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { hashToken, randomToken } from '../crypto.js';
import { AppError } from '../errors.js';
import { confirmPassword } from './confirm-password.js';
import type { AccountDeps, RequestMeta } from './deps.js';
import { SUDO_TTL_MS } from './policy.js';

export async function grantSudo(
  deps: Pick<AccountDeps, 'db' | 'now'>,
  opts: { userId: string; sessionId: string; password: string; meta: RequestMeta },
): Promise<{ token: string; until: Date }> {
  if (!(await confirmPassword(deps, { userId: opts.userId, password: opts.password }))) {
    await recordAuditEvent(deps.db, { userId: opts.userId, action: 'auth.sudo_failed', ...opts.meta });
    throw new AppError('wrong_password', 'The password is incorrect', { field: 'password' });
  }
  const token = randomToken(32);
  const until = new Date(deps.now().getTime() + SUDO_TTL_MS);
  const { count } = await deps.db.session.updateMany({
    where: { id: opts.sessionId, userId: opts.userId, revokedAt: null },
    data: { sudoHash: hashToken(token), sudoUntil: until },
  });
  if (count === 0) throw new AppError('unauthorized', 'Sign in again');
  await recordAuditEvent(deps.db, { userId: opts.userId, action: 'auth.sudo', ...opts.meta, detail: { sessionId: opts.sessionId } });
  return { token, until };
}
