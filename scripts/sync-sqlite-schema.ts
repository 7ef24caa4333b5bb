// Derives prisma/sqlite/schema.prisma from prisma/schema.prisma. Only the
// datasource provider and the generated client's folder differ; a test fails
// when the committed copy drifts.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export function deriveSqliteSchema(pgSchema: string): string {
  const header =
    '// GENERATED from prisma/schema.prisma by scripts/sync-sqlite-schema.ts — edit that file, then run `npx tsx scripts/sync-sqlite-schema.ts`.\n';
  return (
    header +
    pgSchema
      .replace('output     = "../generated/prisma-pg"', 'output     = "../../generated/prisma-sqlite"')
      .replace('provider = "postgresql"', 'provider = "sqlite"')
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const source = readFileSync(`${root}/prisma/schema.prisma`, 'utf8');
  writeFileSync(`${root}/prisma/sqlite/schema.prisma`, deriveSqliteSchema(source));
  console.log('prisma/sqlite/schema.prisma updated');
}
