// Single-use emailed tokens (password reset, email verification). Only the
// SHA-256 is stored. Reading one answers the seed's statuses: unknown 404,
// used 409, expired 410; using one is a conditional UPDATE, so two concurrent
// uses cannot both succeed.
import { hashToken, randomToken } from '../crypto.js';
import type { Db } from '../db/index.js';
import { AppError } from '../errors.js';

export type AccountTokenKind = 'password_reset' | 'verify_email';

type TokenDb = Pick<Db, 'accountToken'>;

export async function issueAccountToken(
  db: TokenDb,
  opts: { userId: string; kind: AccountTokenKind; ttlMs: number; now: Date },
): Promise<string> {
  const token = randomToken(32);
  await db.accountToken.create({
    data: {
      userId: opts.userId,
      kind: opts.kind,
      tokenHash: hashToken(token),
      createdAt: opts.now,
      expiresAt: new Date(opts.now.getTime() + opts.ttlMs),
    },
  });
  return token;
}

/** The token's row if it can be used now; otherwise the seed's 404 / 409 / 410. */
export async function findUsableAccountToken(db: TokenDb, opts: { kind: AccountTokenKind; token: string; now: Date }) {
  const row = await db.accountToken.findUnique({ where: { tokenHash: hashToken(opts.token) } });
  if (!row || row.kind !== opts.kind) throw new AppError('not_found', 'This link is not valid');
  if (row.usedAt) throw new AppError('already_used', 'This link was already used');
  if (row.expiresAt <= opts.now) throw new AppError('gone', 'This link has expired');
  return row;
}

/** Marks the token used; 409 when another request used it first. */
export async function markAccountTokenUsed(db: TokenDb, opts: { id: string; now: Date }): Promise<void> {
  const { count } = await db.accountToken.updateMany({ where: { id: opts.id, usedAt: null }, data: { usedAt: opts.now } });
  if (count === 0) throw new AppError('already_used', 'This link was already used');
}
