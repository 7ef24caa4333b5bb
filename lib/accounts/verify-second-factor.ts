// 2FA check for a signed-in person (the seed's `verify {code, recovery?}`):
// proves the authenticator (or a recovery code) works. Same rules as sign-in:
// a TOTP code once per time step, a recovery code once, wrong codes throttled.
import { AppError } from '../errors.js';
import { checkSecondFactor, type SecondFactorMethod } from './check-second-factor.js';
import type { AccountDeps, RequestMeta } from './deps.js';

export async function verifySecondFactor(
  deps: Pick<AccountDeps, 'db' | 'keyring' | 'now'>,
  opts: { userId: string; code: string; recovery?: boolean; meta: RequestMeta },
): Promise<{ method: SecondFactorMethod; recoveryCodesLeft: number }> {
  const user = await deps.db.user.findUniqueOrThrow({ where: { id: opts.userId }, select: { totpEnabledAt: true } });
  if (!user.totpEnabledAt) throw new AppError('conflict', 'Two-factor authentication is not on');
  const method = await checkSecondFactor(deps, opts);
  if (!method) throw new AppError('invalid_code', 'The code is incorrect or was already used', { field: 'code' });
  const recoveryCodesLeft = await deps.db.recoveryCode.count({ where: { userId: opts.userId, usedAt: null } });
  return { method, recoveryCodesLeft };
}
