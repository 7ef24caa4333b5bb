// The API's hottest reads as prepared statements on the database driver
// itself, outside Prisma's query pipeline: the credential look-up that every
// authenticated request makes, and GET /api/jobs/{id}, which UIs poll.
//
// Why not Prisma's $queryRaw: over a driver adapter it costs about 0.4 ms of
// CPU per query (the client's request pipeline, then libSQL preparing the
// statement again and reading its columns twice on every call). A cached
// prepared statement costs about 0.03 ms, which is most of what separates
// ~1,000 from ~2,000+ requests per second in one process (bench/api.ts).
//
// Reads only: every write goes through Prisma. Statements are written once,
// with $1, $2… placeholders and quoted identifiers, valid on both databases.
// Rows come back as the driver gives them: on SQLite a DateTime is its ISO
// text, on PostgreSQL a Date (timestamps without time zone read as UTC, as
// Prisma writes them).
import { createHash } from 'node:crypto';
import Database from 'libsql';
import pg from 'pg';

export type SqlParam = string | number | null;

/** A DateTime column as either driver gives it (SQLite: ISO text; PostgreSQL: a Date), as a Date; null stays null. */
export function readDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(value as string);
}

export interface PreparedReads {
  /** The rows of a read-only statement, prepared once per connection. */
  all<T extends object>(sql: string, params: readonly SqlParam[]): Promise<T[]>;
  /** Closes what it opened itself (SQLite's connection); it reopens on the next read. */
  close(): Promise<void>;
}

/** SQLite file: its own native connection (WAL lets it read while others write). */
export function createSqlitePreparedReads(file: string): PreparedReads {
  let connection: Database.Database | undefined;
  const statements = new Map<string, Database.Statement<SqlParam[]>>();

  const open = () => {
    if (!connection) {
      connection = new Database(file);
      // Same as every Prisma connection (adapter.ts): wait for a writer's
      // checkpoint rather than fail at once.
      connection.pragma('busy_timeout = 10000');
    }
    return connection;
  };

  return {
    async all<T extends object>(sql: string, params: readonly SqlParam[]): Promise<T[]> {
      let statement = statements.get(sql);
      if (!statement) {
        // $n → ?n: SQLite's numbered parameters bind from the same array.
        statement = open().prepare(sql.replace(/\$(\d+)/g, '?$1')) as Database.Statement<SqlParam[]>;
        statements.set(sql, statement);
      }
      return statement.all(...params) as T[];
    },
    async close() {
      statements.clear();
      connection?.close();
      connection = undefined;
    },
  };
}

const PG_TIMESTAMP_OID = 1114;

/** Prisma stores DateTime as `timestamp(3)` holding UTC; pg would read it as local time. */
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === PG_TIMESTAMP_OID
      ? (value: string) => new Date(`${value.replace(' ', 'T')}Z`)
      : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * PostgreSQL: named statements on the pool Prisma's adapter also uses (each
 * connection prepares a statement on its first use and keeps it).
 */
export function createPgPreparedReads(pool: pg.Pool): PreparedReads {
  const names = new Map<string, string>();
  return {
    async all<T extends object>(sql: string, params: readonly SqlParam[]): Promise<T[]> {
      let name = names.get(sql);
      if (!name) {
        name = `rekey_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
        names.set(sql, name);
      }
      const result = await pool.query<T & pg.QueryResultRow>({ name, text: sql, values: params as SqlParam[], types: pgTypes });
      return result.rows;
    },
    // The pool belongs to the Prisma client (closed with it, or at exit).
    async close() {},
  };
}
