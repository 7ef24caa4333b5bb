// The phone link for a code prompt: `<APP_ORIGIN>/otp/<token>`. The token is
// the capability (no sign-in on the phone), so it is scoped to one task and one
// wait: it expires when the wait does, is used up once a code is accepted, and
// is void after 5 submissions. It is stored hashed (for look-up) and encrypted
// (so a reconnecting stream shows the same link rather than minting another).
import type { Config } from '../config.js';
import type { Keyring } from '../crypto.js';
import { decryptString, encrypt, hashToken, randomToken } from '../crypto.js';
import type { Db } from '../db/index.js';

export const PHONE_OTP_MAX_SUBMISSIONS = 5;

export interface PhoneOtpDeps {
  db: Db;
  keyring: Keyring;
  config: Pick<Config, 'appOrigin'>;
  now?: () => Date;
}

const aad = (taskId: string) => `otp-token:${taskId}`;
const key = (keyring: Keyring) => keyring.purpose('task-secret');

export const phoneOtpUrl = (config: Pick<Config, 'appOrigin'>, token: string) => `${config.appOrigin}/otp/${token}`;

/**
 * The link for the wait that ends at `until`: the one already made for it, or
 * a new one (and links of earlier waits of the task are expired). Several API
 * processes may race here; each then shows a link that works until `until`.
 */
export async function ensurePhoneOtpLink(
  deps: PhoneOtpDeps,
  args: {
    taskId: string;
    until: Date;
    /** `until` is an estimate (read from the database, not the workflow): any live link of the task will do. */
    approximate?: boolean;
  },
): Promise<{ url: string; expiresAt: Date }> {
  const { db, keyring } = deps;
  const now = deps.now?.() ?? new Date();
  const live = { taskId: args.taskId, usedAt: null, attempts: { lt: PHONE_OTP_MAX_SUBMISSIONS } };
  const existing = await db.otpToken.findFirst({
    where: args.approximate ? { ...live, expiresAt: { gt: now } } : { ...live, expiresAt: args.until },
    orderBy: { createdAt: 'asc' },
  });
  if (existing) {
    return { url: phoneOtpUrl(deps.config, decryptString(key(keyring), existing.tokenEnc, aad(args.taskId))), expiresAt: existing.expiresAt };
  }
  // A new wait: whatever links earlier waits had are over.
  await db.otpToken.updateMany({
    where: { taskId: args.taskId, usedAt: null, expiresAt: { gt: now }, NOT: { expiresAt: args.until } },
    data: { expiresAt: now },
  });
  const token = randomToken(32);
  await db.otpToken.create({
    data: { taskId: args.taskId, tokenHash: hashToken(token), tokenEnc: encrypt(key(keyring), token, aad(args.taskId)), expiresAt: args.until },
  });
  return { url: phoneOtpUrl(deps.config, token), expiresAt: args.until };
}

export type PhoneOtpTokenState = 'live' | 'expired' | 'used' | 'void';

/** The token's row and whether it can still take a code; null when no such token exists. */
export async function findPhoneOtpToken(deps: Pick<PhoneOtpDeps, 'db' | 'now'>, token: string) {
  if (!token || token.length > 200) return null;
  const row = await deps.db.otpToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { task: true } });
  if (!row) return null;
  const now = deps.now?.() ?? new Date();
  const state: PhoneOtpTokenState = row.usedAt
    ? 'used'
    : row.attempts >= PHONE_OTP_MAX_SUBMISSIONS
      ? 'void'
      : row.expiresAt <= now
        ? 'expired'
        : 'live';
  return { row, state };
}
