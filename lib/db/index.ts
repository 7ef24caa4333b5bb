// The database client. Two Prisma clients are generated from one model
// (prisma/schema.prisma): one compiled for PostgreSQL, one for SQLite. They
// have the same API, so the rest of Rekey sees a single `Db` type.
import { PrismaClient as PgClient } from '../../generated/prisma-pg/client.js';
import { PrismaClient as SqliteClient } from '../../generated/prisma-sqlite/client.js';
import { createAdapterFactory, createPgPool, sqliteFileOf } from './adapter.js';
import { createPgPreparedReads, createSqlitePreparedReads, type PreparedReads } from './prepared-reads.js';

export type Db = InstanceType<typeof PgClient>;
export type { Prisma } from '../../generated/prisma-pg/client.js';

export function createDb(databaseUrl: string): Db {
  if (databaseUrl.startsWith('file:')) {
    // Same model, same generated API; only the SQL dialect differs.
    const client = new SqliteClient({ adapter: createAdapterFactory(databaseUrl) }) as unknown as Db;
    // The API and the worker are separate processes on one file: WAL lets readers
    // work while one writes (the mode is kept in the file; see adapter.ts for locks).
    void client.$queryRawUnsafe('PRAGMA journal_mode = WAL').catch(() => undefined);
    return withPreparedReads(client, createSqlitePreparedReads(sqliteFileOf(databaseUrl)));
  }
  const pool = createPgPool(databaseUrl);
  const client = new PgClient({ adapter: createAdapterFactory(databaseUrl, { pgPool: pool }) });
  return withPreparedReads(client, createPgPreparedReads(pool));
}

const preparedReadsByDb = new WeakMap<Db, PreparedReads>();

/** The hot-path reads (prepared-reads.ts) that go with a client made by createDb. */
export function preparedReads(db: Db): PreparedReads {
  const reads = preparedReadsByDb.get(db);
  if (!reads) throw new Error('This database client was not made by createDb');
  return reads;
}

function withPreparedReads(client: Db, reads: PreparedReads): Db {
  preparedReadsByDb.set(client, reads);
  // $disconnect closes both; either reconnects on its next query, as Prisma does.
  const disconnect = client.$disconnect.bind(client);
  client.$disconnect = async () => {
    await reads.close();
    await disconnect();
  };
  return client;
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
