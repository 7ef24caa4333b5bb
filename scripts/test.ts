// `npm test`: installs or starts what the suite needs, then runs it once.
//   - Chromium and Dovecot from Debian when missing (as root; else says how)
//   - PostgreSQL on 127.0.0.1:5432 started when it is down (as root); the run
//     stops with a clear message when it cannot be reached
//   - the Temporal CLI (cached, built from the Go module proxy when missing)
// Arguments are passed to vitest (e.g. `npm test -- tests/api`).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { projectRoot } from '../lib/config.js';
import { resolveTemporalCli } from '../lib/temporal/cli.js';
import { loadDevSettings } from '../lib/temporal/dev-settings.js';
import { ensureWebBuilt } from './build-web.js';

const say = (m: string) => console.log(`[test] ${m}`);
const isRoot = process.getuid?.() === 0;

function ensureDebianPackages() {
  const wanted: { bin: string[]; pkg: string }[] = [
    { bin: ['/usr/bin/chromium'], pkg: 'chromium' },
    { bin: ['/usr/sbin/dovecot'], pkg: 'dovecot-imapd' },
  ];
  if (process.env.CHROMIUM_PATH) wanted[0]!.bin.unshift(process.env.CHROMIUM_PATH);
  const missing = wanted.filter((w) => !w.bin.some((b) => existsSync(b))).map((w) => w.pkg);
  if (missing.length === 0) return;
  if (!isRoot) throw new Error(`Missing ${missing.join(', ')}: install with \`sudo apt-get install -y ${missing.join(' ')}\``);
  say(`installing ${missing.join(', ')} from Debian…`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
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
  ensureDebianPackages();
  await ensurePostgres();
  const settings = loadDevSettings();
  // Tests and CI build from the Go module proxy (a registry), never the official download.
  await resolveTemporalCli({ version: settings.cli.version, explicitPath: process.env.TEMPORAL_CLI, allowDownload: false, log: say });
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
