// The API's hot reads outside Prisma (lib/db/prepared-reads.ts) must read
// exactly what Prisma wrote, on both databases: the same instants whatever the
// process's time zone, fresh rows written by another connection, and after a
// $disconnect (the SQLite connection reopens).
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { findSessionByTokenHash } from '../../../lib/accounts/find-credential.js';
import { createDb, preparedReads } from '../../../lib/db/index.js';
import { getJob } from '../../../lib/tasks/get-job.js';
import { insertTaskRow } from '../../support/task-rows.js';
import { forEachDatabase } from '../../support/test-db.js';

async function insertPerson(db: ReturnType<typeof createDb>) {
  const user = await db.user.create({ data: { email: `${randomBytes(4).toString('hex')}@example.com` } });
  const tokenHash = randomBytes(32).toString('hex');
  const expiresAt = new Date('2031-05-06T07:08:09.123Z');
  const lastSeenAt = new Date('2026-01-02T23:59:58.456Z');
  const session = await db.session.create({ data: { userId: user.id, tokenHash, expiresAt, lastSeenAt } });
  return { user, session, tokenHash, expiresAt, lastSeenAt };
}

forEachDatabase('prepared reads', (get) => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it('read the instants Prisma wrote, in any process time zone', async () => {
    const { db } = get();
    // Far from UTC, so a timestamp read as local time would be 14 hours off.
    process.env.TZ = 'Pacific/Kiritimati';
    const { user, session, tokenHash, expiresAt, lastSeenAt } = await insertPerson(db);
    const found = await findSessionByTokenHash(db, tokenHash);
    expect(found).toEqual({ id: session.id, userId: user.id, role: 'user', expiresAt, lastSeenAt, revokedAt: null });

    const startedAt = new Date('2026-03-04T12:00:00.250Z');
    const { id } = await insertTaskRow(db, user.id, {
      status: 'running',
      startedAt,
      steps: { create: [{ name: 'navigate', status: 'completed', durationMs: 1234, position: 0 }, { name: 'enter_email', status: 'running', position: 1 }] },
    });
    const job = await getJob(db, { userId: user.id, taskId: id });
    expect(job.startedAt).toBe('2026-03-04T12:00:00.250Z');
    expect(job.completedAt).toBeNull();
    expect(job.steps).toEqual([
      { name: 'navigate', status: 'completed', duration: 1234 },
      { name: 'enter_email', status: 'running', duration: null },
    ]);
  });

  it('see a change committed through Prisma at once (a revoked session is revoked on the next read)', async () => {
    const { db } = get();
    const { session, tokenHash } = await insertPerson(db);
    expect((await findSessionByTokenHash(db, tokenHash))?.revokedAt).toBeNull();
    const revokedAt = new Date('2026-06-07T08:09:10.000Z');
    await db.session.update({ where: { id: session.id }, data: { revokedAt } });
    expect((await findSessionByTokenHash(db, tokenHash))?.revokedAt).toEqual(revokedAt);
  });

  it('see rows another client (another process) wrote', async () => {
    const { db, url } = get();
    const other = createDb(url);
    try {
      const { tokenHash, user } = await insertPerson(other);
      expect((await findSessionByTokenHash(db, tokenHash))?.userId).toBe(user.id);
    } finally {
      await other.$disconnect();
    }
  });

  it('work again after $disconnect, and bind parameters rather than splice them', async () => {
    const { db } = get();
    const { tokenHash, user } = await insertPerson(db);
    await db.$disconnect();
    expect((await findSessionByTokenHash(db, tokenHash))?.userId).toBe(user.id);
    // A hostile value is a value, not SQL.
    expect(await findSessionByTokenHash(db, `' OR '1'='1`)).toBeNull();
    const rows = await preparedReads(db).all<{ n: number | string }>('SELECT COUNT(*) AS "n" FROM "User" WHERE "email" = $1', [`x' OR '1'='1`]);
    expect(Number(rows[0]!.n)).toBe(0);
  });
});

describe('preparedReads', () => {
  it('refuses a client that createDb did not make', () => {
    expect(() => preparedReads({} as ReturnType<typeof createDb>)).toThrow(/createDb/);
  });
});
