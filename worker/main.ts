// The worker process: Temporal workers for workflows and activities, one
// Chromium, the database. `npm start` runs it; in production run as many as
// you need (each holds up to REKEY_BROWSER_SESSIONS browser contexts).
import path from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { createBrowserPool } from '../activities/browser/browser-pool.js';
import { browserLaunch, BrowserUserError } from '../activities/browser/browser-user.js';
import { locateChromium } from '../activities/browser/chromium-path.js';
import { createNavigator } from '../activities/browser/navigator/index.js';
import { createRekeyCatalog } from '../lib/catalog-for-config.js';
import { exitWithParent } from '../lib/exit-with-parent.js';
import { ConfigError, getConfig, resolveMasterKey } from '../lib/config.js';
import { createKeyring } from '../lib/crypto.js';
import { createDb } from '../lib/db/index.js';
import { createLogger } from '../lib/logger.js';
import { createServiceDirectory } from '../lib/service-directory.js';
import { connectionOptions, createTemporalGateway } from '../lib/temporal/connection.js';
import { createWebhookEventSink } from '../lib/webhooks/event-sink.js';
import { installTemporalRuntimeLogger } from '../lib/temporal/runtime-logger.js';
import { loadWorkflowBundle } from './bundle.js';
import { createRekeyWorkers } from './create-workers.js';

const config = getConfig();
const logger = createLogger({ level: config.logLevel, name: 'worker' });
if (!config.temporal.address) throw new Error('TEMPORAL_ADDRESS is not set (npm start sets it for the local dev server)');

installTemporalRuntimeLogger(logger);
const keyring = createKeyring(resolveMasterKey(config));
const db = createDb(config.database.url);
// Without a browser the worker still runs workflows and mail, and says so; it
// does not poll the browser queues, so resets are refused by the API and a reset
// already under way fails with BrowserUnavailable instead of waiting forever.
const chromium = findBrowser();
const pool = chromium && createBrowserPool({ executablePath: chromium.path, allowPrivateTargets: config.allowPrivateTargets, browserUser: config.browserUser, logger });
const connection = await NativeConnection.connect(connectionOptions(config, config.temporal.address));
const workers = await createRekeyWorkers({
  connection,
  workflowBundle: await loadWorkflowBundle({ cacheDir: path.join(config.dataDir, 'cache'), log: (m) => logger.info(m) }),
  deps: {
    config,
    db,
    keyring,
    logger,
    pool,
    navigator: createNavigator({ logger }),
    services: createServiceDirectory(createRekeyCatalog(config)),
    events: createWebhookEventSink({ db, keyring, config, logger, temporal: createTemporalGateway({ config, address: config.temporal.address, keyring }) }),
  },
});

function findBrowser() {
  try {
    const found = locateChromium({ configured: config.chromiumPath, searchDirs: config.tools.searchDirs, playwrightBrowsersDir: config.tools.playwrightBrowsersDir });
    if (found) {
      // Chromium runs with its sandbox on, as another user when this worker is root: check now that it can.
      browserLaunch({ executablePath: found.path, userName: config.browserUser });
      return found;
    }
    logger.warn('no browser: Chromium was not found, so this worker cannot run resets. Install it (on Debian: apt-get install chromium) or set CHROMIUM_PATH, then restart the worker');
  } catch (err) {
    // Production never runs a browser that cannot be sandboxed; development says why and runs without one.
    if (err instanceof BrowserUserError && config.production) throw new ConfigError(`Invalid configuration:\n  REKEY_BROWSER_USER: ${err.message}`);
    logger.warn(`no browser: ${(err as Error).message}`);
  }
  return undefined;
}

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'draining: finishing running activities before exit');
  await workers.shutdown();
  await pool?.closeAll();
  await connection.close();
  await db.$disconnect();
  logger.info('worker stopped');
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
if (config.supervised) exitWithParent((reason) => void stop(reason));
process.on('SIGTERM', () => void stop('SIGTERM'));

logger.info(
  { taskQueue: config.temporal.taskQueue, browserQueue: workers.browserQueue, chromium: chromium?.path ?? null },
  chromium ? 'worker running' : 'worker running without a browser: resets are refused until Chromium is installed',
);
await workers.run();
