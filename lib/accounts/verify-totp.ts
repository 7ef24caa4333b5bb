// Checks a code against the person's enabled TOTP secret, once per time step.
import type { AccountDeps } from './deps.js';
import { claimTotpStep, matchTotpStep, openTotpSecret } from './totp.js';

export async function verifyTotp(deps: Pick<AccountDeps, 'db' | 'keyring' | 'now'>, opts: { userId: string; code: string }): Promise<boolean> {
  const user = await deps.db.user.findUnique({ where: { id: opts.userId }, select: { totpSecretEnc: true, totpEnabledAt: true } });
  if (!user?.totpSecretEnc || !user.totpEnabledAt) return false;
  const step = matchTotpStep(openTotpSecret(deps.keyring, opts.userId, user.totpSecretEnc), opts.code.trim(), deps.now());
  if (step === null) return false;
  return claimTotpStep(deps.db, opts.userId, step);
}
