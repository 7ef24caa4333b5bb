// `npm start`: the whole Rekey stack on one machine.
//   1. configuration (a dev master key is generated into data/ on first start)
//   2. what the stack needs on this machine (scripts/provision.ts): the Temporal
//      CLI, Chromium, Dovecot — found, or installed when possible; what cannot be
//      installed is named with the command to run, and the rest starts anyway
//   3. database migrations
//   4. the Temporal dev server from temporal-dev.yaml — unless TEMPORAL_ADDRESS
//      points at a cluster of your own
//   5. the sandbox sites and mailbox (REKEY_SANDBOX, on by default in dev; skipped
//      with a notice when Dovecot is missing)
//   6. the worker (without a browser it stays up and says so; resets are refused)
//      and the API, as child processes
// Ctrl-C / SIGTERM stops the API, drains the worker, then stops the rest.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, getConfig, projectRoot, resolveMasterKey } from '../lib/config.js';
import { migrateDatabase } from '../lib/db/migrate.js';
import { ensureWebBuilt } from './build-web.js';
import { ensureBrowserUser, provision, type ProvisionResult } from './provision.js';
import { loadDevSettings } from '../lib/temporal/dev-settings.js';
import { startTemporalDevServer, type DevServer } from '../lib/temporal/dev-server.js';

const t0 = Date.now();
const say = (msg: string) => console.log(`[rekey] ${msg}`);
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

let config: ReturnType<typeof getConfig>;
try {
  config = getConfig();
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(2);
  }
  throw e;
}

const runDir = path.join(config.dataDir, 'run');
mkdirSync(runDir, { recursive: true });
const children: { name: string; child: ChildProcess }[] = [];
let temporal: DevServer | undefined;
let stopping = false;

async function main() {
  resolveMasterKey(config); // creates the dev key on first start; refuses prod without one
  killStaleDevServer();

  const settings = config.temporal.address ? undefined : loadDevSettings(config.temporal.devConfigPath);
  const tools = await provision({
    temporalCli: settings && { version: settings.cli.version, explicitPath: config.temporal.cliPath },
    chromium: true,
    dovecot: config.sandbox,
    config,
    log: say,
  });
  printMissing(tools);
  const browserUser = tools.chromium ? await ensureBrowserUser({ config, log: say }) : null;
  if (browserUser) {
    say(`Starting without ${browserUser.missing} (resets cannot run). To add it, run:`);
    say(`    ${browserUser.advice}`);
    say('  then run `npm start` again.');
  }

  say(`database: ${config.database.provider}`);
  await migrateDatabase(config.database.url, { quiet: true });

  let temporalAddress = config.temporal.address;
  let uiUrl: string | undefined;
  if (settings) {
    temporal = await startTemporalDevServer({
      cliPath: tools.temporalCli!,
      settings,
      codecEndpoint: settings.ui.codecEndpoint?.replace('{appOrigin}', config.appOrigin),
      logFile: path.join(config.dataDir, 'logs', 'temporal.log'),
    });
    writeFileSync(path.join(runDir, 'temporal.pid'), String(temporal.pid));
    temporalAddress = temporal.address;
    uiUrl = `${temporal.uiUrl}/namespaces/${settings.namespace}/workflows`;
    say(`Temporal dev server on ${temporalAddress} (${elapsed()})`);
  }

  const env: NodeJS.ProcessEnv = { ...process.env, TEMPORAL_ADDRESS: temporalAddress, REKEY_SUPERVISED: '1' };
  // The dev server's UI on this machine decodes payloads through /codec without a
  // staff key (README, "Support staff"), unless the person said otherwise; never
  // behind a proxy, where every caller would look local.
  if (settings && !config.production && config.trustProxyHops === 0) env.REKEY_CODEC_DEV_BYPASS ??= 'on';
  if (config.sandbox && tools.dovecot) {
    rmSync(path.join(runDir, 'sandbox.json'), { force: true });
    start('sandbox', 'sandbox/main.ts', env);
    if (!(await waitForFile(path.join(runDir, 'sandbox.json'), 60_000, 'sandbox'))) {
      say('sandbox: not up after 60 s (see its output above); starting the rest without it');
    }
  } else if (config.sandbox) {
    say('sandbox: skipped, Dovecot is missing (the sandbox sites need its mailbox)');
  }
  await ensureWebBuilt({ log: say });
  start('worker', 'worker/main.ts', env);
  start('api', 'api/main.ts', env);
  await waitForHealth(`http://127.0.0.1:${config.port}/api/health`, 120_000);

  say(`ready in ${elapsed()}`);
  say(`App:               ${config.appOrigin}`);
  if (uiUrl) say(`Temporal Web UI:   ${uiUrl}`);
  if (config.devOutbox) say(`Account emails:    ${config.appOrigin}/dev/outbox (no SMTP_URL: kept here, development only)`);
  if (tools.missing.length > 0) say(`Running without ${tools.missing.map((m) => m.component).join(' and ')}: see above for what to install.`);
  say('Press Ctrl-C to stop.');
}

/** The one block that says what is missing and what to run; everything else starts. */
function printMissing(tools: ProvisionResult) {
  if (tools.missing.length === 0) return;
  const effect = { Chromium: 'resets cannot run', Dovecot: 'no sandbox mailbox' } as const;
  const what = tools.missing.map((m) => `${m.component} (${effect[m.component]})`).join(' and ');
  say(`Starting without ${what}. To add ${tools.missing.length > 1 ? 'them' : 'it'}, run:`);
  for (const line of tools.advice) say(`    ${line}`);
  say('  then run `npm start` again.');
}

// A crashed child comes back (the worker resumes its resets from Temporal), but
// one that keeps dying soon after it starts has a permanent problem (a port in
// use, a broken install): after MAX_QUICK_RESTARTS it is left down, not looped.
const MAX_QUICK_RESTARTS = 3;
const HEALTHY_RUN_MS = 2 * 60_000;
const gaveUp = new Set<string>();

function start(name: string, file: string, env: NodeJS.ProcessEnv, quickRestarts = 0) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, file)], { env, stdio: 'inherit' });
  const entry = { name, child };
  const startedAt = Date.now();
  children.push(entry);
  child.on('exit', (code, signal) => {
    children.splice(children.indexOf(entry), 1);
    if (stopping) return;
    const quick = Date.now() - startedAt < HEALTHY_RUN_MS ? quickRestarts + 1 : 0;
    if (quick > MAX_QUICK_RESTARTS) {
      gaveUp.add(name);
      say(`${name} exited (${signal ?? code}) ${quick} times in a row soon after starting: not restarting it (see its output above)`);
      return;
    }
    const wait = 1_000 * 2 ** Math.max(0, quick - 1);
    say(`${name} exited (${signal ?? code}); restarting in ${wait / 1000} s`);
    setTimeout(() => !stopping && start(name, file, env, quick), wait).unref();
  });
}

async function stopAll(signal: string, exitCode = 0) {
  if (stopping) return;
  stopping = true;
  say(`${signal}: stopping…`);
  // API first (no new work), then the worker (drains running activities), then the rest.
  for (const name of ['api', 'worker', 'sandbox']) {
    for (const { child } of children.filter((c) => c.name === name)) {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 90_000).unref();
      });
    }
  }
  await temporal?.stop();
  rmSync(path.join(runDir, 'temporal.pid'), { force: true });
  say('stopped');
  process.exit(exitCode);
}

/** A dev server left behind by a start that was killed hard would hold the ports. */
function killStaleDevServer() {
  const pidFile = path.join(runDir, 'temporal.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (cmdline.includes('start-dev')) {
      say(`stopping a Temporal dev server left from an earlier run (pid ${pid})`);
      process.kill(-pid, 'SIGTERM');
    }
  } catch {
    /* not running */
  }
  rmSync(pidFile, { force: true });
}

async function waitForHealth(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(3_000) });
      if (res.status === 200) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s`);
}

/** True once `file` exists; false after the timeout or when the child writing it was given up on. */
async function waitForFile(file: string, timeoutMs: number, child: string): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > deadline || gaveUp.has(child) || stopping) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

process.on('SIGINT', () => void stopAll('SIGINT'));
process.on('SIGTERM', () => void stopAll('SIGTERM'));
main().catch(async (err) => {
  console.error(`[rekey] start failed: ${(err as Error).message}`);
  await stopAll('error', 1);
});
