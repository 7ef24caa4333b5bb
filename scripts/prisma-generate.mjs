// Generates both Prisma clients (PostgreSQL and SQLite) after `npm ci`.
// Prisma 6.19's `generate` insists on a schema-engine path even though the
// client it builds (engineType "client") needs no native engine at all, so we
// point it at an existing file instead of letting it try to download one.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const schemas = ['prisma/schema.prisma', 'prisma/sqlite/schema.prisma'].filter((s) => existsSync(`${root}/${s}`));
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY ?? process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
};
for (const schema of schemas) {
  const r = spawnSync(process.execPath, [`${root}/node_modules/prisma/build/index.js`, 'generate', '--schema', schema], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
