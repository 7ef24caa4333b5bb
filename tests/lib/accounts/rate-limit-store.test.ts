// The DB-backed fixed-window limiter, on both databases: exact counts under
// concurrency, window expiry, refunds.
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { bucketKey, clearRateLimit, consumeRateLimit, peekRateLimit, refundRateLimit } from '../../../lib/rate-limit/rate-limit-store.js';
import { forEachDatabase } from '../../support/test-db.js';

const rule = { name: 'test-rule', limit: 5, windowMs: 60_000 };

forEachDatabase('rate-limit store', (get) => {
  const subject = () => `s-${randomBytes(4).toString('hex')}`;

  it('allows `limit` hits per window, then refuses with the seconds left; a new window starts after', async () => {
    const db = get().db;
    const s = subject();
    const t0 = new Date('2026-01-01T00:00:00Z');
    for (let i = 1; i <= 5; i++) {
      const r = await consumeRateLimit(db, { rule, subject: s, now: new Date(t0.getTime() + i * 1000) });
      expect(r).toMatchObject({ allowed: true, count: i, remaining: 5 - i });
    }
    const refused = await consumeRateLimit(db, { rule, subject: s, now: new Date(t0.getTime() + 20_000) });
    expect(refused).toMatchObject({ allowed: false, count: 6, remaining: 0 });
    expect(refused.retryAfterSeconds).toBe(41); // window opened at t0+1s, ends t0+61s
    const fresh = await consumeRateLimit(db, { rule, subject: s, now: new Date(t0.getTime() + 61_001) });
    expect(fresh).toMatchObject({ allowed: true, count: 1 });
  });

  it('counts every concurrent hit exactly once', async () => {
    const db = get().db;
    const s = subject();
    const now = new Date();
    const results = await Promise.all(Array.from({ length: 12 }, () => consumeRateLimit(db, { rule, subject: s, now })));
    expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    expect((await peekRateLimit(db, { rule, subject: s, now })).count).toBe(12);
  });

  it('refund gives one hit back; clear forgets the subject; peek counts nothing', async () => {
    const db = get().db;
    const s = subject();
    const now = new Date();
    await consumeRateLimit(db, { rule, subject: s, now });
    await consumeRateLimit(db, { rule, subject: s, now });
    await refundRateLimit(db, { rule, subject: s, now });
    expect((await peekRateLimit(db, { rule, subject: s, now })).count).toBe(1);
    expect((await peekRateLimit(db, { rule, subject: s, now })).count).toBe(1);
    await clearRateLimit(db, { rule, subject: s });
    expect((await peekRateLimit(db, { rule, subject: s, now })).count).toBe(0);
  });

  it('stores hashed subjects only', async () => {
    const db = get().db;
    await consumeRateLimit(db, { rule, subject: 'ada@example.com', now: new Date() });
    const row = await db.rateLimitBucket.findUniqueOrThrow({ where: { key: bucketKey(rule, 'ada@example.com') } });
    expect(row.key).not.toContain('ada');
  });
});
