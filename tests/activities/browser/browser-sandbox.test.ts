// Chromium's own sandbox is on, whoever runs the worker. Chromium refuses its
// sandbox as root, so a worker running as root (this machine) starts it as an
// unprivileged user instead of passing --no-sandbox: a renderer exploit then
// lands in a seccomp-filtered process of a user that can read neither the
// worker's memory nor the master key. Checked on the real processes: every
// Chromium process belongs to another user, none has --no-sandbox, every
// renderer runs under a seccomp filter, and none inherited the worker's
// environment (where REKEY_MASTER_KEY lives).
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserPool, type BrowserPool } from '../../../activities/browser/browser-pool.js';
import { findChromium } from '../../../activities/browser/chromium-path.js';
import { createLogger } from '../../../lib/logger.js';

interface Proc {
  pid: number;
  ppid: number;
  uid: number;
  seccomp: number;
  args: string[];
  environ: string[];
}

function readProc(pid: number): Proc | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1];
    return {
      pid,
      ppid: Number(field('PPid')),
      uid: Number(field('Uid')),
      seccomp: Number(field('Seccomp')),
      // Chromium rewrites its process title: the arguments may come back joined by spaces.
      args: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/).filter(Boolean),
      environ: readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean),
    };
  } catch {
    return null; // gone meanwhile
  }
}

/** `root` and every process below it. */
function processTree(root: number): Proc[] {
  const all = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).map(readProc).filter((p): p is Proc => p !== null);
  const tree = all.filter((p) => p.pid === root);
  for (let grew = true; grew; ) {
    const pids = new Set(tree.map((p) => p.pid));
    const more = all.filter((p) => pids.has(p.ppid) && !pids.has(p.pid));
    tree.push(...more);
    grew = more.length > 0;
  }
  return tree;
}

const CANARY = 'REKEY_SANDBOX_TEST_CANARY';
const runningAsRoot = process.getuid?.() === 0;

describe.runIf(process.platform === 'linux')('Chromium’s sandbox', () => {
  let pool: BrowserPool;
  beforeAll(() => {
    // Stands for REKEY_MASTER_KEY and DATABASE_URL: whatever the worker's environment holds.
    process.env[CANARY] = 'secret';
    pool = createBrowserPool({ executablePath: findChromium(), allowPrivateTargets: false, logger: createLogger({ level: 'silent' }) });
  });
  afterAll(async () => {
    delete process.env[CANARY];
    await pool?.closeAll();
  });

  it(`is on${runningAsRoot ? ' with the worker running as root' : ''}: another user, no --no-sandbox, renderers under seccomp, a clean environment`, async () => {
    const session = await pool.open('sandbox-check');
    await session.page.goto('data:text/html,<p>a renderer</p>');
    await session.context.newPage().then((p) => p.goto('data:text/html,<p>another</p>'));
    const browserPid = pool.stats().pid;
    expect(browserPid).toBeGreaterThan(0);

    const tree = processTree(browserPid!);
    const renderers = tree.filter((p) => p.args.includes('--type=renderer'));
    expect(renderers.length).toBeGreaterThanOrEqual(2);
    for (const p of tree) {
      expect(p.args, `pid ${p.pid}`).not.toContain('--no-sandbox');
      expect(p.environ.some((e) => e.startsWith(`${CANARY}=`)), `pid ${p.pid} environment`).toBe(false);
      if (runningAsRoot) expect(p.uid, `pid ${p.pid} ${p.args[0]}`).not.toBe(0);
    }
    // 2 = SECCOMP_MODE_FILTER: the renderer sandbox's syscall filter is in force.
    for (const r of renderers) expect(r.seccomp, `renderer ${r.pid}`).toBe(2);
    await pool.close('sandbox-check');
  });
});
