// Everything a real reset needs, started for one test file: a database, a
// Dovecot mailbox server, the sandbox sites delivering into it, Chromium, and
// Rekey workers on the run's Temporal dev server — in this process, or as a
// child process running worker/main.ts that a test can kill -9.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createBrowserPool } from '../../activities/browser/browser-pool.js';
import { findChromium } from '../../activities/browser/chromium-path.js';
import { createNavigator } from '../../activities/browser/navigator/index.js';
import { createCatalog } from '../../catalog/index.js';
import { sandboxServices } from '../../lib/catalog-for-config.js';
import { decodeMasterKey, loadConfig, projectRoot, type Config } from '../../lib/config.js';
import { createKeyring } from '../../lib/crypto.js';
import { createLogger } from '../../lib/logger.js';
import { installTemporalRuntimeLogger } from '../../lib/temporal/runtime-logger.js';
import { createMailboxStore } from '../../lib/mailbox/mailbox-store.js';
import { createServiceDirectory } from '../../lib/service-directory.js';
import { startResetTask } from '../../lib/tasks/start-reset-task.js';
import { createDataConverter } from '../../lib/temporal/connection.js';
import { createVaultStore } from '../../lib/vault/vault-store.js';
import { createWebhookEventSink } from '../../lib/webhooks/event-sink.js';
import { startDovecot, type DovecotServer } from '../../sandbox/mail/dovecot.js';
import type { SandboxInfo } from '../../sandbox/sandbox-info.js';
import { startSandbox, type Sandbox } from '../../sandbox/sites/index.js';
import { createRekeyWorkers, type RekeyWorkers } from '../../worker/create-workers.js';
import type { ResetPasswordInput, ResetResult } from '../../workflows/reset-password.messages.js';
import { freePort } from '../../lib/free-port.js';
import { loadDevSettings } from '../../lib/temporal/dev-settings.js';
import { startTemporalDevServer, type DevServer } from '../../lib/temporal/dev-server.js';
import type { DbKind, TestDb } from './test-db.js';

export interface Person {
  userId: string;
  email: string;
}

export interface HarnessOptions {
  dbKind?: DbKind;
  /** 'in-process' (default) or 'child' (a real worker/main.ts process, for crash tests). */
  worker?: 'in-process' | 'child' | 'none';
  env?: Record<string, string>;
  sites?: string[];
  /** A Temporal dev server of this harness's own (to restart it), instead of the run's shared one. */
  ownTemporal?: boolean;
  /** Where Dovecot keeps its files, as sandbox/main.ts gives it `data/sandbox/mail`; a temp dir otherwise. Removed by close(). */
  mailBaseDir?: string;
  /** The in-process worker's bound on page loads that set none (BrowserPoolOptions.navigationTimeoutMs). */
  navigationTimeoutMs?: number;
}

/** Where the harness runs: a vitest run (global setup) or a bench script of its own. */
export interface HarnessRuntime {
  temporalAddress: string;
  temporalNamespace: string;
  temporalCliPath: string;
  workDir: string;
  workflowBundlePath: string;
  createDb(kind: DbKind): Promise<TestDb>;
}

/** The runtime of a vitest run, loaded lazily so scripts can import this file. */
async function vitestRuntime(): Promise<HarnessRuntime> {
  const { inject } = await import('vitest');
  const { createTestDb } = await import('./test-db.js');
  return {
    temporalAddress: inject('temporalAddress'),
    temporalNamespace: inject('temporalNamespace'),
    temporalCliPath: inject('temporalCliPath'),
    workDir: inject('workDir'),
    workflowBundlePath: inject('workflowBundlePath'),
    createDb: createTestDb,
  };
}

export async function startResetHarness(opts: HarnessOptions = {}, runtimeArg?: HarnessRuntime) {
  const runtime = runtimeArg ?? (await vitestRuntime());
  const inject = <K extends keyof Omit<HarnessRuntime, 'createDb'>>(key: K): HarnessRuntime[K] => runtime[key];
  const testDb: TestDb = await runtime.createDb(opts.dbKind ?? 'sqlite');
  const dovecot: DovecotServer = await startDovecot(opts.mailBaseDir ? { baseDir: opts.mailBaseDir } : {});
  // Site mail goes through a gate a test can close, to act while a reset waits for it.
  const mails: { to: string; raw: string; deliveredAt?: number }[] = [];
  let held: { to: string; raw: string }[] | null = null;
  const deliverNow = async (to: string, raw: string) => {
    const ok = await dovecot.deliver(to, raw).then(() => true, () => false); // unknown recipients bounce
    const entry = mails.findLast((m) => m.raw === raw);
    if (ok && entry) entry.deliveredAt = Date.now();
  };
  const sandbox: Sandbox = await startSandbox({
    deliver: async (to, raw) => {
      mails.push({ to, raw });
      if (held) held.push({ to, raw });
      else await deliverNow(to, raw);
    },
    sites: opts.sites,
  });
  let ownTemporal: DevServer | undefined;
  let ownTemporalOpts: Parameters<typeof startTemporalDevServer>[0] | undefined;
  if (opts.ownTemporal) {
    const port = await freePort();
    const dbFile = path.join(inject('workDir'), `temporal-${port}.db`);
    ownTemporalOpts = { cliPath: inject('temporalCliPath'), settings: loadDevSettings(), port, headless: true, dbFile, logFile: `${dbFile}.log` };
    ownTemporal = await startTemporalDevServer(ownTemporalOpts);
  }
  const temporalAddress = ownTemporal?.address ?? inject('temporalAddress');
  const dataDir = path.join(inject('workDir'), `harness-${randomBytes(4).toString('hex')}`);
  const env: Record<string, string> = {
    DATABASE_URL: testDb.url,
    TEMPORAL_TASK_QUEUE: `rekey-test-${randomBytes(4).toString('hex')}`,
    REKEY_DATA_DIR: dataDir,
    REKEY_EMAIL_WAIT: '90s',
    REKEY_OTP_WAIT: '90s',
    REKEY_CAPTCHA_WAIT: '3s',
    REKEY_SANDBOX: 'on',
    // Where this sandbox listens: a worker started with these env vars allows exactly these private listeners.
    REKEY_SANDBOX_PORT: String(sandbox.port),
    REKEY_SANDBOX_IMAP_PORT: String(dovecot.port),
    ...opts.env,
  };
  const config: Config = loadConfig({
    NODE_ENV: 'test',
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: inject('temporalNamespace'),
    REKEY_MASTER_KEY: randomBytes(32).toString('base64'),
    APP_ORIGIN: 'http://localhost:3000',
    LOG_LEVEL: 'silent',
    REKEY_ALLOW_PRIVATE_TARGETS: 'true',
    ...env,
  });
  // What the sandbox process would publish: the worker's catalog reads it.
  const info: SandboxInfo = { webPort: sandbox.port, imap: { host: dovecot.host, port: dovecot.port }, provisionUrl: '', controlUrl: sandbox.controlUrl, sites: sandbox.sites };
  mkdirSync(path.join(dataDir, 'run'), { recursive: true });
  mkdirSync(path.join(dataDir, 'cache'), { recursive: true });
  writeFileSync(path.join(dataDir, 'run', 'sandbox.json'), JSON.stringify(info));
  const bundlePath = inject('workflowBundlePath');
  writeFileSync(path.join(dataDir, 'cache', path.basename(bundlePath)), readFileSync(bundlePath));

  const keyring = createKeyring(decodeMasterKey(config.masterKeySource!));
  const logger = createLogger({ level: 'warn' });
  installTemporalRuntimeLogger(logger);
  const catalog = createCatalog({ extra: sandboxServices(sandbox.sites) });
  const db = testDb.db;
  const vault = createVaultStore({ db, keyring });
  const mailboxes = createMailboxStore({ db, keyring });
  const clientConnection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection: clientConnection, namespace: inject('temporalNamespace'), dataConverter: createDataConverter(keyring) });

  let inProcess: { workers: RekeyWorkers; run: Promise<void>; close(): Promise<void> } | undefined;
  const children = new Set<ChildProcess>();

  async function startInProcessWorker() {
    const pool = createBrowserPool({ executablePath: findChromium(), allowPrivateTargets: true, logger, navigationTimeoutMs: opts.navigationTimeoutMs });
    const connection = await NativeConnection.connect({ address: temporalAddress });
    const workers = await createRekeyWorkers({
      connection,
      workflowBundle: { code: readFileSync(bundlePath, 'utf8') },
      shutdownGraceTime: '2 seconds',
      deps: {
        config,
        db,
        keyring,
        logger,
        pool,
        navigator: createNavigator({ logger }),
        services: createServiceDirectory(catalog),
        // As worker/main.ts: reset events go to the person's webhooks.
        events: createWebhookEventSink({ db, keyring, config, logger, temporal: { client: async () => client } }),
      },
    });
    const run = workers.run();
    inProcess = {
      workers,
      run,
      async close() {
        await workers.shutdown();
        await pool.closeAll();
        await connection.close();
      },
    };
  }

  /** worker/main.ts as its own process group, so kill -9 takes Chromium with it. */
  function startChildWorker(): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'worker', 'main.ts')], {
      env: { ...process.env, ...env, TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_NAMESPACE: inject('temporalNamespace'), REKEY_MASTER_KEY: config.masterKeySource!, LOG_LEVEL: 'warn', NODE_ENV: 'test' },
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
    });
    children.add(child);
    child.on('exit', () => children.delete(child));
    return child;
  }

  if ((opts.worker ?? 'in-process') === 'in-process') await startInProcessWorker();

  return {
    config,
    db,
    dbKind: testDb.kind,
    sandbox,
    dovecot,
    client,
    vault,
    catalog,
    keyring,
    startChildWorker,
    startInProcessWorker,
    mails,
    /** Holds site mail until releaseMail(). */
    holdMail() {
      held ??= [];
    },
    async releaseMail() {
      const pending = held ?? [];
      held = null;
      for (const m of pending) await deliverNow(m.to, m.raw);
    },
    async restartTemporal() {
      if (!ownTemporal || !ownTemporalOpts) throw new Error('harness started without ownTemporal');
      await ownTemporal.stop();
      ownTemporal = await startTemporalDevServer(ownTemporalOpts);
    },
    async waitForTask(taskId: string, predicate: (t: { status: string; step: string | null }) => boolean, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const t = await db.task.findUnique({ where: { id: taskId } });
        if (t && predicate(t)) return t;
        if (Date.now() > deadline) throw new Error(`task ${taskId} did not reach the expected state (last: ${t?.status}/${t?.step})`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    killChild(child: ChildProcess) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    },

    async createPerson(label = 'person'): Promise<Person> {
      const email = `${label}-${randomBytes(4).toString('hex')}@mail.localhost`;
      const user = await db.user.create({ data: { email: `${randomBytes(4).toString('hex')}-${email}` } });
      const mailboxPassword = randomBytes(9).toString('base64url');
      await dovecot.addUser(email, mailboxPassword);
      await mailboxes.put(user.id, { host: dovecot.host, port: dovecot.port, secure: false, user: email, password: mailboxPassword });
      return { userId: user.id, email };
    },

    /** An account on a sandbox site, and the same credentials in the person's vault. */
    async createSiteAccount(person: Person, slug: string, opts: { totpSecret?: string; withTotpInVault?: boolean } = {}) {
      const password = `Initial-${randomBytes(6).toString('base64url')}-7x`;
      sandbox.createUser(slug, { email: person.email, password, totpSecret: opts.totpSecret, phone: '+15555550142' });
      const site = sandbox.site(slug);
      const entry = await vault.createEntry(person.userId, {
        url: site.homeUrl,
        username: person.email,
        email: person.email,
        password,
        serviceId: slug,
        totpSecret: opts.withTotpInVault === false ? null : opts.totpSecret,
      });
      return { entryId: entry.id, oldPassword: password };
    },

    async startReset(person: Person, slug: string, extra: { vaultEntryId?: string; tuning?: ResetPasswordInput['tuning'] } = {}) {
      return startResetTask({ db, temporal: client, config, catalog }, { userId: person.userId, email: person.email, serviceId: slug, ...extra });
    },

    async result(workflowId: string): Promise<ResetResult> {
      return client.workflow.getHandle(workflowId).result();
    },

    async currentPassword(person: Person, entryId: string) {
      return vault.password(person.userId, entryId, 'current');
    },

    async close() {
      for (const child of children) this.killChild(child);
      await inProcess?.close();
      await clientConnection.close();
      await sandbox.stop();
      await dovecot.stop({ removeMail: true });
      await testDb.drop();
      await ownTemporal?.stop();
    },
  };
}

export type ResetHarness = Awaited<ReturnType<typeof startResetHarness>>;
