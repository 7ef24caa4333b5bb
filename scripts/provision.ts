// What the stack needs on this machine, found or installed — one module for
// `npm start` and `npm test`:
//   - the Temporal CLI: TEMPORAL_CLI, `temporal` on PATH, the cache, else built
//     from the Go module proxy (lib/temporal/cli.ts; never a release download);
//   - Chromium: CHROMIUM_PATH, a system browser on PATH, a Playwright install
//     (activities/browser/chromium-path.ts — the worker uses the same lookup);
//   - Dovecot for the sandbox mailbox: `dovecot` in PATH and its sbins
//     (sandbox/mail/dovecot.ts — the sandbox uses the same lookup);
//   - when running as root on Linux, the unprivileged user Chromium runs as
//     (REKEY_BROWSER_USER; activities/browser/browser-user.ts), made with
//     useradd: Chromium's sandbox cannot run as root (ensureBrowserUser).
// What is missing is installed from Debian (`apt-get install chromium
// dovecot-imapd`) when that is possible: root, Debian, apt-get on PATH and
// REKEY_PROVISION not `off`. Otherwise the result says what to run, and the
// caller decides: `npm start` carries on without the part, `npm test` stops.
// One line per component says where it came from and how long it took.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createBrowserUserCommand, findSystemUser } from '../activities/browser/browser-user.js';
import { ChromiumNotFoundError, locateChromium } from '../activities/browser/chromium-path.js';
import type { Config } from '../lib/config.js';
import { findExecutable } from '../lib/executables.js';
import { locateTemporalCli } from '../lib/temporal/cli.js';

export type Component = 'Temporal CLI' | 'Chromium' | 'Dovecot';
type Package = 'Chromium' | 'Dovecot';

/** The Debian package that provides each part. */
export const debianPackages: Record<Package, string> = { Chromium: 'chromium', Dovecot: 'dovecot-imapd' };

export interface HostFacts {
  platform: NodeJS.Platform;
  root: boolean;
  debian: boolean;
  /** apt-get in the searched directories, if any. */
  aptGet?: string;
}

export function hostFacts(searchDirs: readonly string[]): HostFacts {
  return {
    platform: process.platform,
    root: process.getuid?.() === 0,
    debian: existsSync('/etc/debian_version'),
    aptGet: findExecutable(['apt-get'], searchDirs),
  };
}

/** Whether missing packages may be installed here, and if not, why (in a few words). */
export function installDecision(host: HostFacts, mode: Config['tools']['provision']): { install: true; aptGet: string } | { install: false; why: string } {
  if (mode === 'off') return { install: false, why: 'REKEY_PROVISION=off' };
  if (host.platform === 'darwin') return { install: false, why: 'macOS' };
  if (!host.debian) return { install: false, why: 'not Debian' };
  if (!host.root) return { install: false, why: 'not root' };
  if (!host.aptGet) return { install: false, why: 'apt-get is not on PATH' };
  return { install: true, aptGet: host.aptGet };
}

/** The short block that tells a person what to run for the missing parts. */
export function installAdvice(missing: readonly Package[], host: HostFacts): string[] {
  if (missing.length === 0) return [];
  if (host.platform === 'darwin') {
    return [
      ...(missing.includes('Dovecot') ? ['brew install dovecot'] : []),
      ...(missing.includes('Chromium') ? ['install Google Chrome or Chromium in /Applications, or set CHROMIUM_PATH to a Chromium-based browser'] : []),
    ];
  }
  if (host.debian) return [`${host.root ? '' : 'sudo '}apt-get install -y ${missing.map((p) => debianPackages[p]).join(' ')}`];
  return [
    `install ${missing.map((p) => (p === 'Dovecot' ? 'Dovecot (with IMAP)' : 'Chromium')).join(' and ')} with your package manager` +
      (missing.includes('Chromium') ? ', or set CHROMIUM_PATH to a Chromium-based browser' : ''),
  ];
}

export interface ProvisionOptions {
  /** Build or find the Temporal CLI (only when Rekey runs its own dev server). */
  temporalCli?: { version: string; explicitPath?: string };
  chromium?: boolean;
  dovecot?: boolean;
  config: Pick<Config, 'chromiumPath' | 'tools'>;
  log: (line: string) => void;
  /** This machine, unless a test describes another. */
  host?: HostFacts;
}

export interface ProvisionResult {
  temporalCli?: string;
  chromium?: string;
  dovecot?: string;
  /** Parts wanted and not available, with a reason for people. */
  missing: { component: Package; reason: string }[];
  /** What to run to install the missing parts (one line each). */
  advice: string[];
}

export async function provision(opts: ProvisionOptions): Promise<ProvisionResult> {
  const { config, log } = opts;
  const host = opts.host ?? hostFacts(config.tools.searchDirs);
  const result: ProvisionResult = { missing: [], advice: [] };
  const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

  if (opts.temporalCli) {
    const t0 = Date.now();
    const cli = await locateTemporalCli({ ...opts.temporalCli, log });
    result.temporalCli = cli.path;
    log(`Temporal CLI: ${cli.path} (${cli.source}, ${seconds(t0)})`);
  }

  // Find both first, so a single apt-get installs whatever is missing.
  const t0 = Date.now();
  const wanted: Package[] = [...(opts.chromium ? (['Chromium'] as const) : []), ...(opts.dovecot ? (['Dovecot'] as const) : [])];
  const found = new Map<Package, { path: string; source: string }>();
  const unfixable = new Map<Package, string>();
  const look = (p: Package) => {
    if (p === 'Dovecot') {
      const dovecot = findExecutable(['dovecot'], config.tools.searchDirs);
      return dovecot ? { path: dovecot, source: 'system' } : undefined;
    }
    try {
      return locateChromium({ configured: config.chromiumPath, searchDirs: config.tools.searchDirs, playwrightBrowsersDir: config.tools.playwrightBrowsersDir });
    } catch (err) {
      // A CHROMIUM_PATH that points nowhere: installing another browser would not fix it.
      if (!(err instanceof ChromiumNotFoundError)) throw err;
      unfixable.set(p, err.message);
      return undefined;
    }
  };
  for (const p of wanted) {
    const hit = look(p);
    if (hit) found.set(p, hit);
  }

  const toInstall = wanted.filter((p) => !found.has(p) && !unfixable.has(p));
  let notInstalled = '';
  if (toInstall.length > 0) {
    const decision = installDecision(host, config.tools.provision);
    if (decision.install) {
      const packages = toInstall.map((p) => debianPackages[p]);
      log(`installing ${packages.join(' ')} from Debian…`);
      try {
        await run(decision.aptGet, ['update', '-qq']);
        await run(decision.aptGet, ['install', '-y', '-qq', ...packages]);
      } catch (err) {
        notInstalled = `apt-get failed: ${(err as Error).message}`;
      }
      for (const p of toInstall) {
        const hit = look(p);
        if (hit) found.set(p, { path: hit.path, source: 'installed from Debian' });
        else notInstalled ||= `${debianPackages[p]} was installed but ${p} is still not in PATH`;
      }
    } else {
      notInstalled = `not installed: ${decision.why}`;
    }
  }

  for (const p of wanted) {
    const hit = found.get(p);
    if (hit) {
      log(`${p}: ${hit.path} (${hit.source}, ${seconds(t0)})`);
      if (p === 'Chromium') result.chromium = hit.path;
      else result.dovecot = hit.path;
      continue;
    }
    const reason = unfixable.get(p) ?? `${p} not found (${notInstalled})`;
    log(`${p}: missing — ${unfixable.get(p) ?? notInstalled} (${seconds(t0)})`);
    result.missing.push({ component: p, reason });
  }
  const fixable = result.missing.map((m) => m.component).filter((p) => !unfixable.has(p));
  result.advice = [...installAdvice(fixable, host), ...[...unfixable.values()]];
  return result;
}

/**
 * As root on Linux, Chromium runs as REKEY_BROWSER_USER so that its sandbox is
 * on: the user is created (a system user, no home, no shell) when missing and
 * provisioning is allowed. Null when nothing is missing; else what to run.
 */
export async function ensureBrowserUser(opts: {
  config: Pick<Config, 'browserUser' | 'tools'>;
  log: (line: string) => void;
  host?: HostFacts;
}): Promise<{ missing: string; advice: string } | null> {
  const { config, log } = opts;
  const host = opts.host ?? hostFacts(config.tools.searchDirs);
  if (!host.root || host.platform !== 'linux') return null; // Chromium runs as this user, sandbox on
  const name = config.browserUser;
  if (findSystemUser(name)) {
    log(`Browser user: ${name} (exists)`);
    return null;
  }
  const command = createBrowserUserCommand(name);
  const useradd = findExecutable(['useradd'], config.tools.searchDirs);
  let why = config.tools.provision === 'off' ? 'REKEY_PROVISION=off' : 'useradd is not on PATH';
  if (config.tools.provision !== 'off' && useradd) {
    const t0 = Date.now();
    try {
      await run(useradd, command.split(' ').slice(1));
      log(`Browser user: ${name} (created, ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      return null;
    } catch (err) {
      why = `useradd failed: ${(err as Error).message}`;
    }
  }
  log(`Browser user: ${name} missing — not created: ${why}`);
  return { missing: `the user ${name}, which Chromium runs as under a root worker (its sandbox refuses root)`, advice: command };
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args[0]} exited with ${signal ?? code}`))));
  });
}
