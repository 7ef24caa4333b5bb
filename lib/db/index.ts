// The database client. Two Prisma clients are generated from one model
// (prisma/schema.prisma): one compiled for PostgreSQL, one for SQLite. They
// have the same API, so the rest of Rekey sees a single `Db` type.
import { PrismaClient as PgClient } from '../../generated/prisma-pg/client.js';
import { PrismaClient as SqliteClient } from '../../generated/prisma-sqlite/client.js';
import { createAdapterFactory } from './adapter.js';

export type Db = InstanceType<typeof PgClient>;
export type { Prisma } from '../../generated/prisma-pg/client.js';

export function createDb(databaseUrl: string): Db {
  const adapter = createAdapterFactory(databaseUrl);
  if (databaseUrl.startsWith('file:')) {
    // Same model, same generated API; only the SQL dialect differs.
    const client = new SqliteClient({ adapter }) as unknown as Db;
    // The API and the worker are separate processes on one file: WAL lets readers
    // work while one writes (the mode is kept in the file; see adapter.ts for locks).
    void client.$queryRawUnsafe('PRAGMA journal_mode = WAL').catch(() => undefined);
    return client;
  }
  return new PgClient({ adapter });
}

export function databaseProvider(databaseUrl: string): 'sqlite' | 'postgresql' {
  return databaseUrl.startsWith('file:') ? 'sqlite' : 'postgresql';
}

/** Health probe: reads the migrations table, so a missing or unreadable database fails it. */
export async function pingDb(db: Db, timeoutMs = 1_500): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db.$queryRawUnsafe('SELECT COUNT(*) AS n FROM "_prisma_migrations"'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('database ping timed out')), timeoutMs);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
