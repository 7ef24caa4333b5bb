// Creates a migration for both databases from the difference between the
// schema the last migration was made from and prisma/schema.prisma.
//   npx tsx scripts/new-migration.ts add_something
// Writes prisma/migrations/<ts>_<name> and prisma/sqlite/migrations/<ts>_<name>,
// and updates the schema snapshots beside them.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../lib/config.js';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npx tsx scripts/new-migration.ts <snake_case_name>');
  process.exit(2);
}
const pgUrl = process.env.REKEY_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const cli = path.join(projectRoot, 'node_modules', 'prisma', 'build', 'index.js');
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);

/**
 * The SQL from the schema the last migration was made from (kept beside the
 * migrations as schema-snapshot.prisma.txt) to the current schema. Prisma 6.19
 * cannot diff against a database through a driver adapter, but it can diff
 * two datamodels.
 */
function diff(kind: 'pg' | 'sqlite'): string {
  const dir = kind === 'pg' ? 'prisma/migrations' : 'prisma/sqlite/migrations';
  const schema = kind === 'pg' ? 'prisma/schema.prisma' : 'prisma/sqlite/schema.prisma';
  const snapshot = path.join(projectRoot, dir, 'schema-snapshot.prisma.txt');
  let from = ['--from-empty'];
  let tmp: string | undefined;
  if (existsSync(snapshot)) {
    tmp = path.join(projectRoot, 'data', `snapshot-${kind}-${Date.now()}.prisma`);
    mkdirSync(path.dirname(tmp), { recursive: true });
    copyFileSync(snapshot, tmp);
    from = ['--from-schema-datamodel', tmp];
  }
  try {
    return execFileSync(process.execPath, [cli, 'migrate', 'diff', ...from, '--to-schema-datamodel', schema, '--script'], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: kind === 'pg' ? pgUrl : `file:${path.join(projectRoot, 'data', 'scratch.db')}`, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      encoding: 'utf8',
    });
  } finally {
    if (tmp) rmSync(tmp, { force: true });
  }
}

execFileSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'scripts', 'sync-sqlite-schema.ts')], { cwd: projectRoot });
for (const kind of ['pg', 'sqlite'] as const) {
  const sql = diff(kind);
  if (!sql.trim() || /^-- This is an empty migration/.test(sql.trim())) {
    console.log(`${kind}: no changes`);
    continue;
  }
  const dir = path.join(projectRoot, kind === 'pg' ? 'prisma/migrations' : 'prisma/sqlite/migrations');
  mkdirSync(path.join(dir, `${stamp}_${name}`), { recursive: true });
  writeFileSync(path.join(dir, `${stamp}_${name}`, 'migration.sql'), sql);
  writeFileSync(path.join(dir, 'migration_lock.toml'), `provider = "${kind === 'pg' ? 'postgresql' : 'sqlite'}"\n`);
  copyFileSync(path.join(projectRoot, kind === 'pg' ? 'prisma/schema.prisma' : 'prisma/sqlite/schema.prisma'), path.join(dir, 'schema-snapshot.prisma.txt'));
  console.log(`${kind}: ${path.relative(projectRoot, dir)}/${stamp}_${name}/migration.sql`);
}
