// `npm test`: installs or starts what the suite needs, then runs it once.
//   - the Temporal CLI, Chromium and Dovecot (scripts/provision.ts, as `npm start`:
//     Chromium and Dovecot from Debian when missing and root; else it says how)
//   - PostgreSQL on 127.0.0.1:5432 started when it is down (as root); the run
//     stops with a clear message when it cannot be reached
// Arguments are passed to vitest (e.g. `npm test -- tests/api`).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig, projectRoot } from '../lib/config.js';
import { loadDevSettings } from '../lib/temporal/dev-settings.js';
import { ensureWebBuilt } from './build-web.js';
import { ensureBrowserUser, provision } from './provision.js';

const say = (m: string) => console.log(`[test] ${m}`);
const isRoot = process.getuid?.() === 0;

/** The suite runs against the real browser and mail server: both must be there. */
async function ensureTools() {
  const config = loadConfig();
  const tools = await provision({
    temporalCli: { version: loadDevSettings().cli.version, explicitPath: config.temporal.cliPath },
    chromium: true,
    dovecot: true,
    config,
    log: say,
  });
  if (tools.missing.length > 0) {
    throw new Error(`The suite needs ${tools.missing.map((m) => m.component).join(' and ')}. Run:\n  ${tools.advice.join('\n  ')}`);
  }
  const browserUser = await ensureBrowserUser({ config, log: say });
  if (browserUser) throw new Error(`The suite needs ${browserUser.missing}. Run:\n  ${browserUser.advice}`);
}

async function ensurePostgres() {
  const url = process.env.REKEY_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
  const reachable = async () => {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
    try {
      await c.connect();
      await c.end();
      return true;
    } catch {
      return false;
    }
  };
  if (await reachable()) return;
  if (isRoot && existsSync('/etc/postgresql')) {
    for (const version of readdirSync('/etc/postgresql')) {
      say(`starting PostgreSQL ${version}…`);
      spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'inherit' });
    }
    if (await reachable()) return;
  }
  // Every database test runs on both databases: without PostgreSQL the run is not a run.
  throw new Error(
    `PostgreSQL is not reachable at ${url}, and the suite needs it. ` +
      (isRoot
        ? 'Install it (`apt-get install -y postgresql`) or start it (`pg_ctlcluster <version> main start`), '
        : 'Start it (`sudo pg_ctlcluster <version> main start`, or `sudo apt-get install -y postgresql`), ') +
      'or point REKEY_TEST_PG_URL at one (trust auth, a user that may CREATE DATABASE).',
  );
}

async function main() {
  await ensureTools();
  await ensurePostgres();
  if (!existsSync(path.join(projectRoot, 'generated', 'prisma-pg'))) {
    execFileSync(process.execPath, [path.join(projectRoot, 'scripts', 'prisma-generate.mjs')], { stdio: 'inherit' });
  }

  await ensureWebBuilt({ log: say });

  const outDir = mkdtempSync(path.join(os.tmpdir(), 'rekey-results-'));
  const resultsFile = path.join(outDir, 'results.json');
  const vitest = path.join(projectRoot, 'node_modules', 'vitest', 'vitest.mjs');
  const args = ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`, ...process.argv.slice(2)];
  const started = Date.now();
  const child = spawn(process.execPath, [vitest, ...args], { stdio: 'inherit', cwd: projectRoot });
  const code = await new Promise<number>((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));

  // One plain closing line, whatever the runner printed above it.
  if (existsSync(resultsFile)) {
    const r = JSON.parse(readFileSync(resultsFile, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
    console.log(`\nsuite took ${((Date.now() - started) / 1000).toFixed(0)} s`);
    console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
  }
  rmSync(outDir, { recursive: true, force: true });
  process.exit(code);
}

main().catch((err) => {
  console.error(`[test] ${(err as Error).message}`);
  process.exit(1);
});
