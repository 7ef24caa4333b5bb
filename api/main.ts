// The API process: Hono on Node, talking to the database and Temporal.
import { serve } from '@hono/node-server';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { exitWithParent } from '../lib/exit-with-parent.js';
import { getConfig, projectRoot, resolveMasterKey } from '../lib/config.js';
import { createKeyring } from '../lib/crypto.js';
import { createRekeyCatalog } from '../lib/catalog-for-config.js';
import { createDb } from '../lib/db/index.js';
import { createLogger } from '../lib/logger.js';
import { createTemporalGateway } from '../lib/temporal/connection.js';
import { backgroundJobsSettled } from '../lib/accounts/run-in-background.js';
import { closeDiscoveryBrowsers } from '../lib/discovery/discovery-browser.js';
import { cancelRunningResets } from '../lib/tasks/cancel-running-resets.js';
import { reconcileTasks } from '../lib/tasks/reconcile-tasks.js';
import { createApp } from './app.js';

const config = getConfig();
const logger = createLogger({ level: config.logLevel, name: 'api' });
if (!config.temporal.address) throw new Error('TEMPORAL_ADDRESS is not set (npm start sets it for the local dev server)');
const version = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')).version as string;

const keyring = createKeyring(resolveMasterKey(config));
const db = createDb(config.database.url);
const temporal = createTemporalGateway({ config, address: config.temporal.address, keyring });
const app = createApp({
  config,
  db,
  logger,
  keyring,
  temporal,
  version,
  catalog: createRekeyCatalog(config),
  // Deleting an account first stops its resets, so nothing writes into a vault being deleted.
  accountHooks: { beforeDelete: async (userId) => void (await cancelRunningResets({ db, temporal: await temporal.client() }, userId)) },
});

// Task rows of resets that ended without writing it (see reconcile-tasks.ts) are healed
// every minute; any number of API processes may do it at once.
const reconciler = setInterval(() => {
  void temporal
    .client()
    .then((client) => reconcileTasks({ db, temporal: client, logger }))
    .catch((err: unknown) => logger.warn({ err: (err as Error).name }, 'task reconciliation skipped'));
}, 60_000);
reconciler.unref();

const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  logger.info({ port: info.port }, 'api listening');
});

let stopping = false;
function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  clearInterval(reconciler);
  logger.info({ signal }, 'api stopping');
  server.close(async () => {
    await backgroundJobsSettled(); // account emails still being sent
    await closeDiscoveryBrowsers();
    await temporal.close();
    await db.$disconnect();
    process.exit(0);
  });
  // Open SSE streams would hold close() forever.
  setTimeout(() => process.exit(0), 5_000).unref();
}
process.on('SIGINT', () => stop('SIGINT'));
if (config.supervised) exitWithParent((reason) => stop(reason));
process.on('SIGTERM', () => stop('SIGTERM'));
