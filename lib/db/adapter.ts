// Picks the Prisma driver adapter from the database URL: libSQL (SQLite file)
// or node-postgres. Used by the app and by the Prisma CLI (prisma.config.ts).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
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

export function createAdapterFactory(databaseUrl: string, opts: { forMigrations?: boolean } = {}) {
  if (databaseUrl.startsWith('file:')) {
    mkdirSync(path.dirname(databaseUrl.slice('file:'.length)), { recursive: true });
    return new PrismaLibSQL({ url: databaseUrl });
  }
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  const pool = new pg.Pool({
    connectionString: url.toString(),
    max: opts.forMigrations ? 1 : 10,
    // The CLI exits when its work is done instead of waiting out idle connections.
    allowExitOnIdle: Boolean(opts.forMigrations),
    ...(opts.forMigrations ? { idleTimeoutMillis: 100 } : {}),
    // `?schema=` (Prisma's convention) becomes the search path, so the
    // migration engine and the client agree on where the tables live.
    ...(schema ? { options: `-c search_path="${schema.replace(/"/g, '')}"` } : {}),
    ...(opts.forMigrations ? { Client: CatalogFriendlyClient } : {}),
  });
  // An idle connection that drops (database restart, network cut) emits
  // 'error' on the pool; unhandled, it would take the whole process down.
  // The next query opens a new connection, so there is nothing to do here.
  pool.on('error', () => {});
  return new PrismaPg(pool, schema ? { schema } : undefined);
}
