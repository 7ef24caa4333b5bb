// The real app over a database, with Temporal configured but never dialled:
// for what needs the routes but no reset to run — the OpenAPI document
// (scripts/generate-api-types.ts) and the benchmark of a route that answers
// from the database (bench/api.ts).
import { createCatalog } from '../catalog/index.js';
import { decodeMasterKey, loadConfig } from '../lib/config.js';
import { createKeyring } from '../lib/crypto.js';
import { createDb } from '../lib/db/index.js';
import { createLogger } from '../lib/logger.js';
import { createTemporalGateway } from '../lib/temporal/connection.js';
import { createApp } from './app.js';
import type { AppDeps } from './context.js';

export function createOfflineApp(opts: { databaseUrl: string; masterKey: string; dataDir: string; version: string }) {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: opts.databaseUrl,
    TEMPORAL_ADDRESS: '127.0.0.1:1', // never dialled
    REKEY_MASTER_KEY: opts.masterKey,
    REKEY_DATA_DIR: opts.dataDir,
    APP_ORIGIN: 'http://localhost:3000',
    LOG_LEVEL: 'silent',
  });
  const keyring = createKeyring(decodeMasterKey(opts.masterKey));
  const deps: AppDeps = {
    config,
    db: createDb(opts.databaseUrl),
    keyring,
    logger: createLogger({ level: 'silent' }),
    temporal: createTemporalGateway({ config, address: config.temporal.address!, keyring }),
    version: opts.version,
    catalog: createCatalog(),
  };
  return { app: createApp(deps), deps };
}
