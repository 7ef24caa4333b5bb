// One worker process = up to four Temporal workers sharing one connection:
//  - the shared queue: workflows, bookkeeping and mailbox activities;
//  - the claim queue (browserClaimQueue): the activity that hands a reset to
//    this process — polled only when this process has a browser;
//  - this process's own queue: browser steps of the resets it claimed, where
//    their browser contexts live — likewise only with a browser;
//  - its "alive" queue (browserWorkerAliveQueue): answers whether the process
//    is still there when its browser slots are all busy.
// Why a separate claim queue rather than a heartbeat row: Temporal already
// knows who polls which queue (DescribeTaskQueue), so the API can tell "a
// worker runs" from "a worker with a browser runs" without any bookkeeping of
// ours that could go stale, and a reset's claim simply waits on that queue.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Config } from '../lib/config.js';
import type { Keyring } from '../lib/crypto.js';
import type { Db } from '../lib/db/index.js';
import type { Logger } from '../lib/logger.js';
import { createMailboxStore } from '../lib/mailbox/mailbox-store.js';
import type { ServiceDirectory } from '../lib/service-directory.js';
import { createScreenshotStore } from '../lib/tasks/screenshot-store.js';
import { createTaskSecrets } from '../lib/tasks/task-secrets.js';
import { createDataConverter } from '../lib/temporal/connection.js';
import { browserClaimQueue, browserWorkerAliveQueue } from '../workflows/reset-password.messages.js';
import { createVaultStore } from '../lib/vault/vault-store.js';
import { createBrowserActivities } from '../activities/browser/browser-activities.js';
import type { BrowserPool } from '../activities/browser/browser-pool.js';
import { createSessionLedger } from '../activities/browser/session-ledger.js';
import { createSessionReaper, type SessionReaper } from '../activities/browser/session-reaper.js';
import type { Navigator } from '../activities/browser/navigator/navigator.js';
import { createMailActivities } from '../activities/mail/mail-activities.js';
import { createTaskActivities, type ResetEventSink } from '../activities/tasks/task-activities.js';
import { createWebhookActivities } from '../activities/webhooks/webhook-activities.js';
import { secretSafe } from '../activities/secret-safe.js';
import { describeResetFailure } from '../lib/errors.js';
import { webhookFailures } from '../workflows/deliver-webhook.messages.js';
import { ensurePhoneOtpLink, type PhoneOtpDeps } from '../lib/tasks/phone-otp-link.js';

export interface RekeyWorkerDeps {
  config: Config;
  db: Db;
  keyring: Keyring;
  logger: Logger;
  /** Absent when this machine has no browser: the process then runs workflows and mail only. */
  pool?: BrowserPool;
  navigator: Navigator;
  services: ServiceDirectory;
  events?: ResetEventSink;
  phoneOtpLink?: (task: { id: string }, until: Date) => Promise<string>;
}

export interface RekeyWorkers {
  /** This process's browser queue; undefined without a browser. */
  browserQueue: string | undefined;
  run(): Promise<void>;
  /** Stops polling, lets running activities finish (grace period), then resolves. */
  shutdown(): Promise<void>;
}

export async function createRekeyWorkers(opts: {
  connection: NativeConnection;
  deps: RekeyWorkerDeps;
  workflowBundle: { code: string };
  /** Browser contexts this process drives at once. */
  maxBrowserSessions?: number;
  /** How often contexts of ended or moved resets are looked for and closed; default one minute. */
  sessionReapIntervalMs?: number;
  shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
}): Promise<RekeyWorkers> {
  const { deps } = opts;
  const { config, db, keyring } = deps;
  const namespace = config.temporal.namespace;
  const taskQueue = config.temporal.taskQueue;
  const browserQueue = `${taskQueue}/browser/${os.hostname()}/${process.pid}/${randomBytes(3).toString('hex')}`;
  const dataConverter = createDataConverter(keyring);

  const vault = createVaultStore({ db, keyring });
  const secrets = createTaskSecrets({ db, keyring });
  const screenshots = createScreenshotStore(db);
  const mailboxes = createMailboxStore({ db, keyring });

  // Every activity fails in Rekey's words (activities/secret-safe.ts); an unclassified error becomes its group's failure.
  const logger = deps.logger;
  const internal = { type: 'Internal', message: describeResetFailure('Internal'), retryable: true };
  const ownTypes = ['TaskMissing', 'SessionLost'];
  const taskActivities = createTaskActivities({ db, vault, events: deps.events, logger: deps.logger, phoneOtpLink: deps.phoneOtpLink ?? phoneOtpLinkFor({ db, keyring, config }) });
  const webhookActivities = createWebhookActivities({ db, keyring, allowPrivateTargets: config.allowPrivateTargets });
  const mailActivities = createMailActivities({ db, mailboxes, secrets, services: deps.services, logger: deps.logger, allowPrivateTargets: config.allowPrivateTargets });
  const ledger = createSessionLedger();
  const reaper: SessionReaper | undefined =
    deps.pool && createSessionReaper({ db, pool: deps.pool, secrets, ledger, logger: deps.logger, intervalMs: opts.sessionReapIntervalMs });
  const browserActivities = deps.pool && secretSafe(createBrowserActivities({
    db,
    pool: deps.pool,
    navigator: deps.navigator,
    vault,
    secrets,
    screenshots,
    services: deps.services,
    workerQueue: browserQueue,
    allowPrivateTargets: config.allowPrivateTargets,
    logger: deps.logger,
    ledger,
  }), { logger, ownTypes, fallback: { type: 'SiteChanged', message: describeResetFailure('SiteChanged'), retryable: true } });

  const shutdownGraceTime = opts.shutdownGraceTime ?? '60 seconds';
  const shared = await Worker.create({
    connection: opts.connection,
    namespace,
    taskQueue,
    workflowBundle: opts.workflowBundle,
    dataConverter,
    activities: {
      ...secretSafe(taskActivities, { logger, ownTypes, fallback: internal }),
      ...secretSafe(mailActivities, { logger, ownTypes, fallback: { type: 'MailboxUnreachable', message: describeResetFailure('MailboxUnreachable'), retryable: true } }),
      ...secretSafe(webhookActivities, {
        logger,
        ownTypes: Object.values(webhookFailures),
        fallback: { type: webhookFailures.attemptFailed, message: 'The delivery attempt failed.', retryable: true },
      }),
    },
    shutdownGraceTime,
    maxConcurrentActivityTaskExecutions: 100,
  });
  const workers = [shared];
  if (browserActivities) {
    const claims = await Worker.create({
      connection: opts.connection,
      namespace,
      taskQueue: browserClaimQueue(taskQueue),
      dataConverter,
      activities: { claimBrowserWorker: browserActivities.claimBrowserWorker },
      shutdownGraceTime,
    });
    const browser = await Worker.create({
      connection: opts.connection,
      namespace,
      taskQueue: browserQueue,
      dataConverter,
      activities: browserActivities,
      shutdownGraceTime,
      maxConcurrentActivityTaskExecutions: opts.maxBrowserSessions ?? 4,
    });
    // Answers "still there?" whatever the browser slots are doing: a busy worker is not a lost one.
    const alive = await Worker.create({
      connection: opts.connection,
      namespace,
      taskQueue: browserWorkerAliveQueue(browserQueue),
      dataConverter,
      activities: { browserWorkerAlive: browserActivities.browserWorkerAlive },
      shutdownGraceTime,
    });
    workers.push(claims, browser, alive);
  }

  let running: Promise<void> | undefined;
  return {
    browserQueue: browserActivities ? browserQueue : undefined,
    run() {
      reaper?.start();
      running ??= Promise.all(workers.map((w) => w.run())).then(() => undefined);
      return running;
    },
    async shutdown() {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await running;
      await reaper?.stop();
    },
  };
}

/** The `reset.needs_otp` event carries the same phone link the task stream shows. */
function phoneOtpLinkFor(deps: PhoneOtpDeps) {
  return async (task: { id: string }, until: Date) => (await ensurePhoneOtpLink(deps, { taskId: task.id, until })).url;
}
