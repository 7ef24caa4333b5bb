// Picks the Prisma driver adapter from the database URL: libSQL (SQLite file)
// or node-postgres. Used by the app and by the Prisma CLI (prisma.config.ts).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Client, Config, TransactionMode } from '@libsql/client';
import { PrismaLibSQL } from '@prisma/adapter-libsql';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';

const PG_NAME_OID = 19;
const PG_TEXT_OID = 25;

/**
 * Prisma 6.19's WASM schema engine reads the catalog through the adapter, and
 * adapter-pg cannot map the catalog's `name` type (prisma/orm#27403), so
 * `migrate deploy` fails on PostgreSQL. `name` is text in all but length;
 * this client reports it as text. Only the migration path uses it.
 */
class CatalogFriendlyClient extends pg.Client {
  // pg's query() has promise and callback forms (Pool.query uses the latter).
  override query(...args: unknown[]): any {
    const last = args.at(-1);
    if (typeof last === 'function') {
      args[args.length - 1] = (err: Error | null, r?: pg.QueryResult) => {
        if (r) asText(r);
        return (last as (e: Error | null, r?: pg.QueryResult) => void)(err, r);
      };
    }
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      return (result as Promise<pg.QueryResult>).then(asText);
    }
    return result;
  }
}

function asText(r: pg.QueryResult): pg.QueryResult {
  for (const f of r.fields ?? []) if (f.dataTypeID === PG_NAME_OID) f.dataTypeID = PG_TEXT_OID;
  return r;
}

/**
 * SQLite shared by several processes (the API and the worker). The adapter
 * begins every transaction DEFERRED, so a transaction that reads then writes
 * fails at once with SQLITE_BUSY when another process committed meanwhile,
 * whatever the busy timeout. And libsql's client opens a new connection after
 * each transaction, which would lose a busy timeout set once. So: every
 * transaction begins IMMEDIATE (takes the write lock first, waiting for it),
 * and every new connection gets a busy timeout before its first statement.
 */
class SharedFileLibSQL extends PrismaLibSQL {
  override createClient(config: Config): Client {
    const client = super.createClient(config);
    let fresh = true;
    const prime = async () => {
      if (!fresh) return;
      fresh = false;
      await client.execute('PRAGMA busy_timeout = 10000');
    };
    return new Proxy(client, {
      get(target, prop, receiver) {
        if (prop === 'execute' || prop === 'batch' || prop === 'executeMultiple') {
          return async (...args: unknown[]) => {
            await prime();
            return (target[prop] as (...a: unknown[]) => unknown)(...args);
          };
        }
        if (prop === 'transaction') {
          return async (mode?: TransactionMode) => {
            await prime();
            fresh = true; // the transaction keeps this connection; the next statement opens another
            return target.transaction(mode === 'deferred' || mode === undefined ? 'write' : mode);
          };
        }
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }
}

export function createAdapterFactory(databaseUrl: string, opts: { forMigrations?: boolean; pgPool?: pg.Pool } = {}) {
  if (databaseUrl.startsWith('file:')) {
    mkdirSync(path.dirname(sqliteFileOf(databaseUrl)), { recursive: true });
    return new SharedFileLibSQL({ url: databaseUrl });
  }
  const schema = pgSchemaOf(databaseUrl);
  return new PrismaPg(opts.pgPool ?? createPgPool(databaseUrl, opts), schema ? { schema } : undefined);
}

export const sqliteFileOf = (databaseUrl: string) => databaseUrl.slice('file:'.length);

/** `?schema=` (Prisma's convention) on a PostgreSQL URL. */
export const pgSchemaOf = (databaseUrl: string) => new URL(databaseUrl).searchParams.get('schema') ?? undefined;

/** The connection pool for a PostgreSQL URL; the app's Prisma client and its prepared reads share one. */
export function createPgPool(databaseUrl: string, opts: { forMigrations?: boolean } = {}): pg.Pool {
  const url = new URL(databaseUrl);
  const schema = pgSchemaOf(databaseUrl);
  url.searchParams.delete('schema');
  const pool = new pg.Pool({
    connectionString: url.toString(),
    max: opts.forMigrations ? 1 : 10,
    // The CLI exits when its work is done instead of waiting out idle connections.
    allowExitOnIdle: Boolean(opts.forMigrations),
    ...(opts.forMigrations ? { idleTimeoutMillis: 100 } : {}),
    // The schema becomes the search path, so the migration engine and the
    // client agree on where the tables live.
    ...(schema ? { options: `-c search_path="${schema.replace(/"/g, '')}"` } : {}),
    ...(opts.forMigrations ? { Client: CatalogFriendlyClient } : {}),
  });
  // An idle connection that drops (database restart, network cut) emits
  // 'error' on the pool; unhandled, it would take the whole process down.
  // The next query opens a new connection, so there is nothing to do here.
  pool.on('error', () => {});
  return pool;
}
