// Creates a migration for both databases from the difference between the
// migrations already committed and prisma/schema.prisma.
//   npx tsx scripts/new-migration.ts add_something
// Needs PostgreSQL (it builds a throwaway shadow database) and writes
// prisma/migrations/<ts>_<name> and prisma/sqlite/migrations/<ts>_<name>.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
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

function diff(kind: 'pg' | 'sqlite'): string {
  const dir = kind === 'pg' ? 'prisma/migrations' : 'prisma/sqlite/migrations';
  const schema = kind === 'pg' ? 'prisma/schema.prisma' : 'prisma/sqlite/schema.prisma';
  const hasMigrations = existsSync(path.join(projectRoot, dir)) && readdirSync(path.join(projectRoot, dir)).some((d) => /^\d/.test(d));
  const from = hasMigrations ? ['--from-migrations', dir] : ['--from-empty'];
  const env = {
    ...process.env,
    DATABASE_URL: kind === 'pg' ? pgUrl : `file:${path.join(projectRoot, 'data', 'migration-scratch.db')}`,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  };
  return execFileSync(process.execPath, [cli, 'migrate', 'diff', ...from, '--to-schema-datamodel', schema, '--script'], {
    cwd: projectRoot,
    env,
    encoding: 'utf8',
  });
}

execFileSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'scripts', 'sync-sqlite-schema.ts')], { cwd: projectRoot });
for (const kind of ['pg', 'sqlite'] as const) {
  const sql = diff(kind);
  const dir = path.join(projectRoot, kind === 'pg' ? 'prisma/migrations' : 'prisma/sqlite/migrations');
  mkdirSync(path.join(dir, `${stamp}_${name}`), { recursive: true });
  writeFileSync(path.join(dir, `${stamp}_${name}`, 'migration.sql'), sql);
  writeFileSync(path.join(dir, 'migration_lock.toml'), `provider = "${kind === 'pg' ? 'postgresql' : 'sqlite'}"\n`);
  console.log(`${kind}: ${path.relative(projectRoot, dir)}/${stamp}_${name}/migration.sql`);
}
