// The account's own TOTP (RFC 6238: SHA-1, 6 digits, 30 s, ±1 step of drift).
// The secret is stored encrypted with the `account` key, bound to the user.
// A code is accepted once: its time step must be later than the last accepted
// one (User.totpLastStep), claimed with one conditional UPDATE.
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { decryptString, encrypt, type Keyring } from '../crypto.js';
import type { Db } from '../db/index.js';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
export const TOTP_ISSUER = 'Rekey';
/** Base32 of at least 128 bits, as setup hands out (160 bits). */
export const TOTP_SECRET_PATTERN = /^[A-Z2-7]{26,64}$/;

export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpFor(secret: string, label: string): TOTP {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label,
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secret),
  });
}

export async function totpQrCodeDataUrl(uri: string): Promise<string> {
  return QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 240 });
}

/** The time step the code belongs to (within ±1 step of `now`), or null. */
export function matchTotpStep(secret: string, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(secret, 'check').validate({ token: code, timestamp: now.getTime(), window: 1 });
  if (delta === null) return null;
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS) + delta;
}

const totpAad = (userId: string) => `account:totp:${userId}`;

export function sealTotpSecret(keyring: Keyring, userId: string, secret: string): Uint8Array<ArrayBuffer> {
  return encrypt(keyring.purpose('account'), secret, totpAad(userId));
}

export function openTotpSecret(keyring: Keyring, userId: string, sealed: Uint8Array): string {
  return decryptString(keyring.purpose('account'), sealed, totpAad(userId));
}

/** Marks `step` used unless it (or a later step) already was. True when this call claimed it. */
export async function claimTotpStep(db: Pick<Db, 'user'>, userId: string, step: number): Promise<boolean> {
  const { count } = await db.user.updateMany({
    where: { id: userId, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
    data: { totpLastStep: step },
  });
  return count === 1;
}
