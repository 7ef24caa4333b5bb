// Migrated template databases, made once per run. A test file gets its own
// database by copying the SQLite template file or by CREATE DATABASE … TEMPLATE
// on PostgreSQL, so every test starts empty and isolated, with real migrations.
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateDatabase } from '../../lib/db/migrate.js';

export interface TestDbTemplates {
  sqliteFile: string;
  /** PostgreSQL is part of every run: unreachable, the run stops (scripts/test.ts says how to start it). */
  pg: { adminUrl: string; template: string };
}

export const testPgAdminUrl = process.env.REKEY_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

export async function prepareTemplates(workDir: string): Promise<TestDbTemplates> {
  const sqliteFile = path.join(workDir, 'template.db');
  const sqlite = migrateDatabase(`file:${sqliteFile}`, { quiet: true });
  const postgres = preparePgTemplate();
  await sqlite;
  return { sqliteFile, pg: await postgres };
}

async function preparePgTemplate(): Promise<TestDbTemplates['pg']> {
  const admin = new pg.Client({ connectionString: testPgAdminUrl });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`PostgreSQL is required by the test suite and is not reachable at ${testPgAdminUrl} (${(err as Error).message}); \`npm test\` starts a local one`);
  }
  const template = `rekey_tmpl_${randomBytes(4).toString('hex')}`;
  try {
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  const url = new URL(testPgAdminUrl);
  url.pathname = `/${template}`;
  await migrateDatabase(url.toString(), { quiet: true });
  return { adminUrl: testPgAdminUrl, template };
}

export function copySqliteTemplate(templates: TestDbTemplates, target: string): string {
  copyFileSync(templates.sqliteFile, target);
  return `file:${target}`;
}

export async function dropTemplates(templates: TestDbTemplates): Promise<void> {
  const admin = new pg.Client({ connectionString: templates.pg.adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${templates.pg.template} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
