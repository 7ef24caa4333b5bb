// Applies the committed migrations with the Prisma CLI (`migrate deploy`),
// which runs Prisma's bundled WASM schema engine through our driver adapter.
import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { projectRoot } from '../config.js';

export async function migrateDatabase(databaseUrl: string, opts: { quiet?: boolean } = {}): Promise<void> {
  await ensurePgSchema(databaseUrl);
  const cli = path.join(projectRoot, 'node_modules', 'prisma', 'build', 'index.js');
  const preload = path.join(projectRoot, 'lib', 'db', 'unref-timers.cjs');
  const child = spawn(process.execPath, ['-r', preload, cli, 'migrate', 'deploy'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`prisma migrate deploy failed (exit ${code}):\n${output}`);
  if (!opts.quiet) process.stdout.write(output.replace(/^Loaded Prisma config.*\n/m, ''));
}

/** `?schema=x` on PostgreSQL: create the schema first, as `migrate deploy` expects it. */
async function ensurePgSchema(databaseUrl: string): Promise<void> {
  if (databaseUrl.startsWith('file:')) return;
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get('schema');
  if (!schema) return;
  url.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
}
