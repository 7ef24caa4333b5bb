// `npm run db:migrate`: applies the committed migrations to DATABASE_URL.
import { getConfig } from '../lib/config.js';
import { migrateDatabase } from '../lib/db/migrate.js';

const config = getConfig();
await migrateDatabase(config.database.url);
