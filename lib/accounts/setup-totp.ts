// 2FA, step 1: a fresh secret, its otpauth:// URI and a QR code (PNG data
// URL) for an authenticator app. Nothing is stored until `enable` proves the
// app produces codes for it.
import { AppError } from '../errors.js';
import type { AccountDeps } from './deps.js';
import { generateTotpSecret, totpFor, totpQrCodeDataUrl } from './totp.js';

export async function setupTotp(deps: Pick<AccountDeps, 'db'>, opts: { userId: string }) {
  const user = await deps.db.user.findUniqueOrThrow({ where: { id: opts.userId }, select: { email: true, totpEnabledAt: true } });
  if (user.totpEnabledAt) throw new AppError('conflict', 'Two-factor authentication is already on; disable it first');
  const secret = generateTotpSecret();
  const otpauthUri = totpFor(secret, user.email).toString();
  return { secret, otpauthUri, qrCodeDataUrl: await totpQrCodeDataUrl(otpauthUri) };
}
