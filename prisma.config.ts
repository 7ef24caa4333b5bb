// Prisma CLI settings. Prisma 6.19 with engine 'js' runs migrations through
// its bundled WASM schema engine and our driver adapter, so `migrate deploy`
// and `migrate diff` work without downloading a native engine.
import { defineConfig } from 'prisma/config';
import { getConfig } from './lib/config.js';
import { createAdapterFactory } from './lib/db/adapter.js';

const config = getConfig();
const sqlite = config.database.provider === 'sqlite';

export default defineConfig({
  engine: 'js',
  experimental: { adapter: true },
  schema: sqlite ? 'prisma/sqlite/schema.prisma' : 'prisma/schema.prisma',
  migrations: { path: sqlite ? 'prisma/sqlite/migrations' : 'prisma/migrations' },
  adapter: async () => createAdapterFactory(config.database.url, { forMigrations: true }),
});
