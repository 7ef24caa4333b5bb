// The real Hono app over a real database and the run's Temporal dev server.
import { createApp } from '../../api/app.js';
import { createCatalog, type Catalog } from '../../catalog/index.js';
import type { AppDeps } from '../../api/context.js';
import { decodeMasterKey, type Config } from '../../lib/config.js';
import { createKeyring } from '../../lib/crypto.js';
import type { Db } from '../../lib/db/index.js';
import { createLogger } from '../../lib/logger.js';
import { createTemporalGateway } from '../../lib/temporal/connection.js';

export function createTestApp(opts: { config: Config; db: Db; temporalAddress?: string; catalog?: Catalog }) {
  const keyring = createKeyring(decodeMasterKey(opts.config.masterKeySource!));
  const deps: AppDeps = {
    config: opts.config,
    db: opts.db,
    keyring,
    logger: createLogger({ level: 'silent' }),
    temporal: createTemporalGateway({ config: opts.config, address: opts.temporalAddress ?? opts.config.temporal.address!, keyring }),
    version: 'test',
    catalog: opts.catalog ?? createCatalog(),
  };
  return { app: createApp(deps), deps, close: () => deps.temporal.close() };
}
