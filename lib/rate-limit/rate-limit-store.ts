// DB-backed fixed windows (RateLimitBucket), shared by every API process.
// Concurrent processes never lose a hit and each hit reads its own count:
// the live window is incremented and read back in one transaction (the
// UPDATE's row lock holds other writers off until commit), or an expired
// window is replaced by a fresh one; a unique-key race on the fresh window
// falls back to incrementing it.
import { createHash } from 'node:crypto';
import type { Db } from '../db/index.js';
import { AppError } from '../errors.js';
import type { RateLimitRule } from './rules.js';

export interface RateLimitResult {
  allowed: boolean;
  count: number;
  limit: number;
  remaining: number;
  resetAt: Date;
  /** Seconds until the window ends (at least 1); what Retry-After says. */
  retryAfterSeconds: number;
}

type BucketDb = Pick<Db, 'rateLimitBucket' | '$transaction'>;

/** Subjects (emails, addresses, user ids) are hashed: bucket keys hold no personal data. */
export function bucketKey(rule: RateLimitRule, subject: string): string {
  return `${rule.name}:${createHash('sha256').update(subject, 'utf8').digest('hex').slice(0, 40)}`;
}

function evaluate(rule: RateLimitRule, count: number, windowStart: Date, now: Date): RateLimitResult {
  const resetAt = new Date(windowStart.getTime() + rule.windowMs);
  return {
    allowed: count <= rule.limit,
    count,
    limit: rule.limit,
    remaining: Math.max(0, rule.limit - count),
    resetAt,
    retryAfterSeconds: Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000)),
  };
}

const isUniqueViolation = (err: unknown) => (err as { code?: unknown } | null)?.code === 'P2002';

/** Counts one hit (or `cost` hits) and says whether it is within the limit. */
export async function consumeRateLimit(
  db: BucketDb,
  opts: { rule: RateLimitRule; subject: string; now: Date; cost?: number },
): Promise<RateLimitResult> {
  const { rule, now } = opts;
  const cost = opts.cost ?? 1;
  const key = bucketKey(rule, opts.subject);
  const windowFloor = new Date(now.getTime() - rule.windowMs);
  for (let attempt = 0; attempt < 5; attempt++) {
    const live = await db.$transaction(async (tx) => {
      const updated = await tx.rateLimitBucket.updateMany({
        where: { key, windowStart: { gt: windowFloor } },
        data: { count: { increment: cost } },
      });
      return updated.count === 1 ? tx.rateLimitBucket.findUnique({ where: { key } }) : null;
    });
    if (live) return evaluate(rule, live.count, live.windowStart, now);
    await db.rateLimitBucket.deleteMany({ where: { key, windowStart: { lte: windowFloor } } });
    try {
      await db.rateLimitBucket.create({
        data: { key, windowStart: now, count: cost, expiresAt: new Date(now.getTime() + rule.windowMs) },
      });
      return evaluate(rule, cost, now, now);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // Another process opened the window first: count the hit in it.
    }
  }
  throw new Error(`rate-limit bucket ${rule.name} kept changing under contention`);
}

/** The current state without counting a hit. */
export async function peekRateLimit(db: BucketDb, opts: { rule: RateLimitRule; subject: string; now: Date }): Promise<RateLimitResult> {
  const row = await db.rateLimitBucket.findUnique({ where: { key: bucketKey(opts.rule, opts.subject) } });
  if (!row || row.windowStart.getTime() <= opts.now.getTime() - opts.rule.windowMs) {
    return evaluate(opts.rule, 0, opts.now, opts.now);
  }
  return evaluate(opts.rule, row.count, row.windowStart, opts.now);
}

/** Gives back a hit that turned out not to count (e.g. a successful sign-in). */
export async function refundRateLimit(db: BucketDb, opts: { rule: RateLimitRule; subject: string; now: Date }): Promise<void> {
  await db.rateLimitBucket.updateMany({
    where: {
      key: bucketKey(opts.rule, opts.subject),
      windowStart: { gt: new Date(opts.now.getTime() - opts.rule.windowMs) },
      count: { gt: 0 },
    },
    data: { count: { decrement: 1 } },
  });
}

/** Forgets the subject's window (e.g. the account's failures after a full sign-in). */
export async function clearRateLimit(db: BucketDb, opts: { rule: RateLimitRule; subject: string }): Promise<void> {
  await db.rateLimitBucket.deleteMany({ where: { key: bucketKey(opts.rule, opts.subject) } });
}

/** 429 with Retry-After for the longest wait among the refused results. */
export function assertWithinLimits(results: RateLimitResult[], message = 'Too many attempts. Try again later.'): void {
  const refused = results.filter((r) => !r.allowed);
  if (refused.length === 0) return;
  const retryAfterSeconds = Math.max(...refused.map((r) => r.retryAfterSeconds));
  throw new AppError('rate_limited', message, { retryAfterSeconds });
}
