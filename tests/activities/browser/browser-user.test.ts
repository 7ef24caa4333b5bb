// Who Chromium runs as (activities/browser/browser-user.ts): never root with
// --no-sandbox. A root worker needs an existing unprivileged user that can run
// the browser, else it is told exactly what to do; provisioning creates that
// user only when allowed. The sandbox itself is checked on real processes in
// browser-sandbox.test.ts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BROWSER_ENV, browserLaunch, BrowserUserError, findSystemUser } from '../../../activities/browser/browser-user.js';
import { findChromium } from '../../../activities/browser/chromium-path.js';
import { loadConfig } from '../../../lib/config.js';
import { ensureBrowserUser } from '../../../scripts/provision.js';

const root = process.getuid?.() === 0;
const base = { REKEY_MASTER_KEY: Buffer.alloc(32, 1).toString('base64') };

describe('browserLaunch', () => {
  it('not root: Chromium itself, with a bare environment', () => {
    const launch = browserLaunch({ executablePath: '/usr/bin/chromium', userName: 'rekey-browser', runningAsRoot: false });
    expect(launch).toEqual({ executablePath: '/usr/bin/chromium', env: { ...BROWSER_ENV } });
    expect(Object.keys(launch.env)).toEqual(['PATH']);
  });

  it('root: refuses a user that does not exist, or root itself, saying what to do', () => {
    const missing = () => browserLaunch({ executablePath: '/usr/bin/chromium', userName: 'no-such-rekey-user', runningAsRoot: true });
    expect(missing).toThrow(BrowserUserError);
    expect(missing).toThrow(/no-such-rekey-user.*does not exist.*useradd --system/);
    expect(() => browserLaunch({ executablePath: '/usr/bin/chromium', userName: 'root', runningAsRoot: true })).toThrow(/is root itself/);
  });

  it.runIf(root)('root: the wrapper drops to the browser user; a browser that user cannot run is refused', () => {
    const launch = browserLaunch({ executablePath: findChromium(), userName: 'rekey-browser', runningAsRoot: true });
    const user = findSystemUser('rekey-browser')!;
    expect(launch.executablePath).toMatch(/chromium-as-user\.sh$/);
    expect(launch.user).toEqual(user);
    expect(launch.env).toMatchObject({ REKEY_BROWSER_UID: String(user.uid), REKEY_CHROMIUM: findChromium() });

    const hidden = mkdtempSync(path.join(os.tmpdir(), 'rekey-hidden-')); // 0700, root's
    const browser = path.join(hidden, 'chrome');
    writeFileSync(browser, '#!/bin/sh\n', { mode: 0o755 });
    expect(() => browserLaunch({ executablePath: browser, userName: 'rekey-browser', runningAsRoot: true })).toThrow(/cannot run .*chrome/);
  });
});

describe('ensureBrowserUser (provisioning)', () => {
  const host = { platform: 'linux' as const, root: true, debian: true };

  it('not root: nothing to do', async () => {
    const lines: string[] = [];
    expect(await ensureBrowserUser({ config: loadConfig({ ...base }), log: (l) => lines.push(l), host: { ...host, root: false } })).toBeNull();
    expect(lines).toEqual([]);
  });

  it('with REKEY_PROVISION=off a missing user is reported with the command to run, and nothing is created', async () => {
    const config = loadConfig({ ...base, REKEY_BROWSER_USER: 'no-such-rekey-user', REKEY_PROVISION: 'off' });
    const lines: string[] = [];
    const result = await ensureBrowserUser({ config, log: (l) => lines.push(l), host });
    expect(result?.advice).toBe('useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin no-such-rekey-user');
    expect(lines).toEqual(['Browser user: no-such-rekey-user missing — not created: REKEY_PROVISION=off']);
    expect(findSystemUser('no-such-rekey-user')).toBeNull();
  });

  it('REKEY_BROWSER_USER must look like a user name', () => {
    expect(() => loadConfig({ ...base, REKEY_BROWSER_USER: 'x; rm -rf /' })).toThrow(/REKEY_BROWSER_USER/);
  });
});
