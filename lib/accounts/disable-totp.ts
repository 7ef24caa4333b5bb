// Turning 2FA off: needs sudo (checked by the route) and the password again.
// The secret, its replay marker and every recovery code are removed.
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { AppError } from '../errors.js';
import { confirmPassword } from './confirm-password.js';
import type { AccountDeps, RequestMeta } from './deps.js';

export async function disableTotp(
  deps: Pick<AccountDeps, 'db' | 'now'>,
  opts: { userId: string; password: string; meta: RequestMeta },
): Promise<void> {
  const user = await deps.db.user.findUniqueOrThrow({ where: { id: opts.userId }, select: { totpEnabledAt: true } });
  if (!user.totpEnabledAt) throw new AppError('conflict', 'Two-factor authentication is not on');
  if (!(await confirmPassword(deps, { userId: opts.userId, password: opts.password }))) {
    throw new AppError('wrong_password', 'The password is incorrect', { field: 'password' });
  }
  await deps.db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: opts.userId }, data: { totpSecretEnc: null, totpEnabledAt: null, totpLastStep: null } });
    await tx.recoveryCode.deleteMany({ where: { userId: opts.userId } });
  });
  await recordAuditEvent(deps.db, { userId: opts.userId, action: 'twofa.disabled', ...opts.meta });
}
