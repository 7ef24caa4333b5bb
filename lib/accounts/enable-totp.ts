// 2FA, step 2: the secret from setup plus a code the app made from it. The
// code's time step is recorded, so it cannot be used again to sign in. Returns
// 10 recovery codes: the only time they can be read.
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { AppError } from '../errors.js';
import type { AccountDeps, RequestMeta } from './deps.js';
import { replaceRecoveryCodes } from './recovery-codes.js';
import { matchTotpStep, sealTotpSecret } from './totp.js';

export async function enableTotp(
  deps: Pick<AccountDeps, 'db' | 'keyring' | 'now'>,
  opts: { userId: string; secret: string; code: string; meta: RequestMeta },
): Promise<{ recoveryCodes: string[] }> {
  const now = deps.now();
  const step = matchTotpStep(opts.secret, opts.code.trim(), now);
  if (step === null) throw new AppError('invalid_code', 'The code does not match; check the time on your device', { field: 'code' });
  const recoveryCodes = await deps.db.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({
      where: { id: opts.userId, totpEnabledAt: null },
      data: { totpSecretEnc: sealTotpSecret(deps.keyring, opts.userId, opts.secret), totpEnabledAt: now, totpLastStep: step },
    });
    if (count === 0) throw new AppError('conflict', 'Two-factor authentication is already on');
    return replaceRecoveryCodes(tx, deps.keyring, opts.userId);
  });
  await recordAuditEvent(deps.db, { userId: opts.userId, action: 'twofa.enabled', ...opts.meta });
  return { recoveryCodes };
}
