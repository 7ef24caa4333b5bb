// Per-file databases for tests that touch the database: `forEachDatabase`
// runs a describe block once on SQLite and once on PostgreSQL.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { createDb, type Db } from '../../lib/db/index.js';
import { copySqliteTemplate } from './db-templates.js';

export type DbKind = 'sqlite' | 'postgresql';

export interface TestDb {
  kind: DbKind;
  url: string;
  db: Db;
  drop(): Promise<void>;
}

/** Both, always: PostgreSQL is part of every run (global setup fails without it). */
export function availableDbKinds(): DbKind[] {
  return ['sqlite', 'postgresql'];
}

export async function createTestDb(kind: DbKind): Promise<TestDb> {
  const templates = inject('dbTemplates');
  const id = randomBytes(5).toString('hex');
  if (kind === 'sqlite') {
    const url = copySqliteTemplate(templates, path.join(inject('workDir'), `db-${id}.db`));
    const db = createDb(url);
    return { kind, url, db, drop: () => db.$disconnect() };
  }
  const { adminUrl, template } = templates.pg;
  const name = `rekey_t_${id}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createDb(url.toString());
  return {
    kind,
    url: url.toString(),
    db,
    async drop() {
      await db.$disconnect();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** describe(name) once per database; `get()` returns that database inside the tests. */
export function forEachDatabase(name: string, body: (get: () => TestDb) => void): void {
  for (const kind of availableDbKinds()) onDatabase(kind, name, body);
}

/**
 * describe(name) on one database: for tests whose property does not depend on
 * the database (hash counting, documents), where running twice costs time and
 * proves nothing more.
 */
export function onDatabase(kind: DbKind, name: string, body: (get: () => TestDb) => void): void {
  describe(`${name} [${kind}]`, () => {
    let testDb: TestDb | undefined;
    beforeAll(async () => {
      testDb = await createTestDb(kind);
    });
    afterAll(async () => {
      await testDb?.drop();
    });
    body(() => {
      if (!testDb) throw new Error('test database not ready');
      return testDb;
    });
  });
}
