// Recovery codes: 10 per enablement, 80 random bits each, shown once. Stored
// as HMAC-SHA256 under the `account` key (bound to the user), so neither a
// database leak alone nor another row's hash helps. Each works once.
import { createHmac, randomBytes } from 'node:crypto';
import type { Keyring } from '../crypto.js';
import type { Db } from '../db/index.js';
import { RECOVERY_CODE_COUNT } from './policy.js';

// Lowercase base32 without 0/1/l/o-lookalikes' ambiguity: Crockford's alphabet.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export function generateRecoveryCode(): string {
  const bytes = randomBytes(10); // 80 bits → 16 base32 characters
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out.match(/.{4}/g)!.join('-');
}

/** Case, spaces and dashes do not matter; Crockford lookalikes are folded. */
export function normalizeRecoveryCode(code: string): string {
  return code
    .toLowerCase()
    .replace(/[\s-]/g, '')
    .replace(/[o]/g, '0')
    .replace(/[il]/g, '1');
}

export function looksLikeRecoveryCode(code: string): boolean {
  return /^[0-9a-z]{16}$/.test(normalizeRecoveryCode(code));
}

export function hashRecoveryCode(keyring: Keyring, userId: string, code: string): string {
  return createHmac('sha256', keyring.purpose('account')).update(`recovery:${userId}:${normalizeRecoveryCode(code)}`).digest('hex');
}

/** Replaces the person's codes with fresh ones and returns them (the only time they are readable). */
export async function replaceRecoveryCodes(db: Pick<Db, 'recoveryCode'>, keyring: Keyring, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
  await db.recoveryCode.deleteMany({ where: { userId } });
  await db.recoveryCode.createMany({ data: codes.map((c) => ({ userId, codeHash: hashRecoveryCode(keyring, userId, c) })) });
  return codes;
}

/** Marks the code used. True only for an unused code of this person, and only once. */
export async function consumeRecoveryCode(
  db: Pick<Db, 'recoveryCode'>,
  keyring: Keyring,
  opts: { userId: string; code: string; now: Date },
): Promise<boolean> {
  if (!looksLikeRecoveryCode(opts.code)) return false;
  const { count } = await db.recoveryCode.updateMany({
    where: { userId: opts.userId, codeHash: hashRecoveryCode(keyring, opts.userId, opts.code), usedAt: null },
    data: { usedAt: opts.now },
  });
  return count > 0;
}
