// The provisioning decisions of scripts/provision.ts: which source of Chromium
// and Dovecot wins, what PATH hides, when apt-get may run, and what a person is
// told to run. Real files in a temp dir; "apt-get" is a small script that
// records its arguments and "installs" by writing an executable where a package
// would put it — nothing on this machine is installed or removed.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChromiumNotFoundError, locateChromium } from '../../activities/browser/chromium-path.js';
import { loadConfig } from '../../lib/config.js';
import { executableSearchDirs } from '../../lib/executables.js';
import { installAdvice, installDecision, provision, type HostFacts } from '../../scripts/provision.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'rekey-provision-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
function dir(): string {
  const d = path.join(root, `d${n++}`);
  mkdirSync(d, { recursive: true });
  return d;
}
function executable(file: string, body = '#!/bin/sh\nexit 0\n'): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, body);
  chmodSync(file, 0o755);
  return file;
}

const debianRoot = (aptGet?: string): HostFacts => ({ platform: 'linux', root: true, debian: true, aptGet });

describe('executableSearchDirs', () => {
  it('keeps PATH order, adds the sbin beside each bin, drops relative entries', () => {
    expect(executableSearchDirs('/usr/local/bin:relative/bin::/usr/bin:/opt/tools')).toEqual([
      '/usr/local/bin',
      '/usr/local/sbin',
      '/usr/bin',
      '/usr/sbin',
      '/opt/tools',
    ]);
    expect(executableSearchDirs(undefined)).toEqual([]);
  });
});

describe('locateChromium: which source wins', () => {
  const system = dir();
  const systemChromium = executable(path.join(system, 'chromium'));
  const playwright = dir();
  executable(path.join(playwright, 'chromium-1169', 'chrome-linux', 'chrome'));
  const newest = executable(path.join(playwright, 'chromium-1187', 'chrome-linux', 'chrome'));
  executable(path.join(playwright, 'chromium_headless_shell-1200', 'chrome-linux', 'headless_shell'));
  const explicit = executable(path.join(dir(), 'my-chrome'));

  it('CHROMIUM_PATH first, then a system browser on PATH, then the newest Playwright chromium', () => {
    expect(locateChromium({ configured: explicit, searchDirs: [system], playwrightBrowsersDir: playwright, applications: [] })).toEqual({
      path: explicit,
      source: 'CHROMIUM_PATH',
    });
    expect(locateChromium({ searchDirs: [system], playwrightBrowsersDir: playwright, applications: [] })).toEqual({ path: systemChromium, source: 'system' });
    expect(locateChromium({ searchDirs: [dir()], playwrightBrowsersDir: playwright, applications: [] })).toEqual({ path: newest, source: 'Playwright cache' });
  });

  it('nothing on PATH and no Playwright install: not found; a wrong CHROMIUM_PATH is an error, not a fallback', () => {
    expect(locateChromium({ searchDirs: [], playwrightBrowsersDir: path.join(root, 'nowhere'), applications: [] })).toBeUndefined();
    expect(() => locateChromium({ configured: path.join(root, 'nope'), searchDirs: [system], applications: [] })).toThrow(ChromiumNotFoundError);
  });

  it('a non-executable file does not count', () => {
    const d = dir();
    writeFileSync(path.join(d, 'chromium'), 'not a program');
    expect(locateChromium({ searchDirs: [d], applications: [] })).toBeUndefined();
  });
});

describe('installDecision', () => {
  it('installs only as root on Debian with apt-get, and never with REKEY_PROVISION=off', () => {
    expect(installDecision(debianRoot('/usr/bin/apt-get'), 'auto')).toEqual({ install: true, aptGet: '/usr/bin/apt-get' });
    expect(installDecision(debianRoot('/usr/bin/apt-get'), 'off')).toEqual({ install: false, why: 'REKEY_PROVISION=off' });
    expect(installDecision({ ...debianRoot('/usr/bin/apt-get'), root: false }, 'auto')).toEqual({ install: false, why: 'not root' });
    expect(installDecision({ ...debianRoot('/usr/bin/apt-get'), debian: false }, 'auto')).toEqual({ install: false, why: 'not Debian' });
    expect(installDecision({ platform: 'darwin', root: true, debian: false }, 'auto')).toEqual({ install: false, why: 'macOS' });
    expect(installDecision(debianRoot(undefined), 'auto')).toEqual({ install: false, why: 'apt-get is not on PATH' });
  });

  it('advice: one apt-get line on Debian (sudo when not root), brew on macOS', () => {
    expect(installAdvice(['Chromium', 'Dovecot'], { platform: 'linux', root: false, debian: true })).toEqual(['sudo apt-get install -y chromium dovecot-imapd']);
    expect(installAdvice(['Dovecot'], debianRoot())).toEqual(['apt-get install -y dovecot-imapd']);
    expect(installAdvice(['Dovecot', 'Chromium'], { platform: 'darwin', root: false, debian: false })[0]).toBe('brew install dovecot');
    expect(installAdvice([], debianRoot())).toEqual([]);
  });
});

describe('provision', () => {
  const configFor = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env });

  /** An apt-get that logs its arguments and, on install, puts the packages' programs in `bin`. */
  function fakeAptGet(bin: string, sbin: string) {
    const calls = path.join(dir(), 'calls.log');
    const script = executable(
      path.join(dir(), 'apt-get'),
      `#!/bin/sh\necho "$@" >> '${calls}'\n[ "$1" = install ] || exit 0\n` +
        `for p in "$@"; do case "$p" in chromium) printf '#!/bin/sh\\n' > '${bin}/chromium'; chmod 755 '${bin}/chromium';; ` +
        `dovecot-imapd) printf '#!/bin/sh\\n' > '${sbin}/dovecot'; chmod 755 '${sbin}/dovecot';; esac; done\n`,
    );
    return { script, calls: () => (existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : []) };
  }

  it('found parts are reported with their source; nothing is installed', async () => {
    const prefix = dir();
    executable(path.join(prefix, 'bin', 'chromium'));
    executable(path.join(prefix, 'sbin', 'dovecot'));
    const apt = fakeAptGet(path.join(prefix, 'bin'), path.join(prefix, 'sbin'));
    const lines: string[] = [];
    const result = await provision({
      chromium: true,
      dovecot: true,
      config: configFor({ PATH: path.join(prefix, 'bin'), PLAYWRIGHT_BROWSERS_PATH: dir() }),
      log: (l) => lines.push(l),
      host: debianRoot(apt.script),
    });
    expect(result).toMatchObject({ chromium: path.join(prefix, 'bin', 'chromium'), dovecot: path.join(prefix, 'sbin', 'dovecot'), missing: [], advice: [] });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Chromium: .*\/bin\/chromium \(system, \d+\.\d s\)$/);
    expect(lines[1]).toMatch(/^Dovecot: .*\/sbin\/dovecot \(system, \d+\.\d s\)$/);
    expect(apt.calls()).toEqual([]);
  });

  it('missing parts are installed with one apt-get when allowed, then found where the package put them', async () => {
    const prefix = dir();
    mkdirSync(path.join(prefix, 'bin'));
    mkdirSync(path.join(prefix, 'sbin'));
    const apt = fakeAptGet(path.join(prefix, 'bin'), path.join(prefix, 'sbin'));
    const lines: string[] = [];
    const result = await provision({
      chromium: true,
      dovecot: true,
      config: configFor({ PATH: path.join(prefix, 'bin'), PLAYWRIGHT_BROWSERS_PATH: dir() }),
      log: (l) => lines.push(l),
      host: debianRoot(apt.script),
    });
    expect(apt.calls()).toEqual(['update -qq', 'install -y -qq chromium dovecot-imapd']);
    expect(result.missing).toEqual([]);
    expect(lines.filter((l) => l.includes('(installed from Debian,'))).toHaveLength(2);
  });

  it('with REKEY_PROVISION=off nothing is installed: the parts are missing and the advice says what to run', async () => {
    const prefix = dir();
    mkdirSync(path.join(prefix, 'bin'));
    mkdirSync(path.join(prefix, 'sbin'));
    const apt = fakeAptGet(path.join(prefix, 'bin'), path.join(prefix, 'sbin'));
    const lines: string[] = [];
    const result = await provision({
      chromium: true,
      dovecot: true,
      config: configFor({ PATH: path.join(prefix, 'bin'), PLAYWRIGHT_BROWSERS_PATH: dir(), REKEY_PROVISION: 'off' }),
      log: (l) => lines.push(l),
      host: debianRoot(apt.script),
    });
    expect(apt.calls()).toEqual([]);
    expect(result.missing.map((m) => m.component)).toEqual(['Chromium', 'Dovecot']);
    expect(result.advice).toEqual(['apt-get install -y chromium dovecot-imapd']);
    expect(lines).toEqual([expect.stringMatching(/^Chromium: missing — not installed: REKEY_PROVISION=off/), expect.stringMatching(/^Dovecot: missing — not installed: REKEY_PROVISION=off/)]);
  });

  it('a Playwright chromium is used before anything is installed; only Dovecot is asked for', async () => {
    const playwright = dir();
    const chrome = executable(path.join(playwright, 'chromium-1187', 'chrome-linux', 'chrome'));
    const result = await provision({
      chromium: true,
      dovecot: true,
      config: configFor({ PATH: dir(), PLAYWRIGHT_BROWSERS_PATH: playwright }),
      log: () => {},
      host: { platform: 'linux', root: false, debian: true },
    });
    expect(result.chromium).toBe(chrome);
    expect(result.missing.map((m) => m.component)).toEqual(['Dovecot']);
    expect(result.advice).toEqual(['sudo apt-get install -y dovecot-imapd']);
  });

  it('a wrong CHROMIUM_PATH is reported as such, not papered over by an install', async () => {
    const apt = fakeAptGet(dir(), dir());
    const result = await provision({
      chromium: true,
      config: configFor({ PATH: dir(), CHROMIUM_PATH: path.join(root, 'no-such-browser') }),
      log: () => {},
      host: debianRoot(apt.script),
    });
    expect(apt.calls()).toEqual([]);
    expect(result.missing).toEqual([{ component: 'Chromium', reason: expect.stringContaining('CHROMIUM_PATH is') }]);
    expect(result.advice).toEqual([expect.stringContaining('CHROMIUM_PATH is')]);
  });
});
