// `npm start` as a person runs it: the whole stack comes up (health 200),
// Ctrl-C (SIGINT to the process group) leaves no process behind, and a second
// start keeps the data — database rows and Temporal workflows. And on a machine
// without Chromium and Dovecot: the rest comes up, health and a new reset say
// what is missing, and nothing is restarted in a loop.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createDb } from '../../lib/db/index.js';
import { projectRoot } from '../../lib/config.js';
import { hashToken } from '../../lib/crypto.js';
import { resetFailures } from '../../lib/errors.js';
import { freePort } from '../../lib/free-port.js';

function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      /* exited meanwhile */
    }
  }
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const [child, parent] of parents) if (parent === pid) found.push(child), walk(child);
  };
  walk(root);
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
};

const workerPids = (root: number) =>
  descendants(root).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('worker/main.ts');
    } catch {
      return false;
    }
  });

describe('npm start', () => {
  let dataDir = path.join(inject('workDir'), 'start-stop');
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child?.pid && alive(child.pid)) process.kill(-child.pid, 'SIGKILL');
  });

  async function start(ports: { app: number; grpc: number; ui: number; web: number; imap: number }, extraEnv: Record<string, string> = {}) {
    const settings = parse(readFileSync(path.join(projectRoot, 'temporal-dev.yaml'), 'utf8'));
    settings.server.port = ports.grpc;
    settings.server.uiPort = ports.ui;
    settings.server.dbFile = path.join(dataDir, 'temporal.db');
    const yamlFile = path.join(inject('workDir'), 'start-stop-temporal.yaml');
    writeFileSync(yamlFile, stringify(settings));
    const proc = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'scripts', 'start.ts')], {
      env: {
        ...process.env,
        NODE_ENV: 'development',
        REKEY_DATA_DIR: dataDir,
        PORT: String(ports.app),
        TEMPORAL_DEV_CONFIG: yamlFile,
        TEMPORAL_CLI: inject('temporalCliPath'),
        REKEY_SANDBOX_PORT: String(ports.web),
        REKEY_SANDBOX_IMAP_PORT: String(ports.imap),
        TEMPORAL_ADDRESS: '',
        DATABASE_URL: '',
        LOG_LEVEL: 'warn',
        ...extraEnv,
      },
      detached: true, // its own process group, like a terminal's foreground job
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout!.on('data', (d) => (out += d));
    proc.stderr!.on('data', (d) => (out += d));
    const t0 = Date.now();
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${ports.app}/api/health`);
        if (res.status === 200) break;
      } catch {
        /* not yet */
      }
      if (proc.exitCode !== null) throw new Error(`npm start exited early:\n${out}`);
      if (Date.now() - t0 > 120_000) throw new Error(`no health 200 after 120 s:\n${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    // The worker announces itself after the API: wait for it too.
    while (workerPids(proc.pid!).length === 0) {
      await new Promise((r) => setTimeout(r, 100));
    }
    return { proc, startedInMs: Date.now() - t0, output: () => out };
  }

  async function ctrlC(proc: ChildProcess, minProcesses = 6) {
    const tree = [proc.pid!, ...descendants(proc.pid!)];
    expect(tree.length).toBeGreaterThanOrEqual(minProcesses); // supervisor, temporal, sandbox, dovecot, worker, api…
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    process.kill(-proc.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    await expect.poll(() => tree.filter(alive), { timeout: 20_000, interval: 200 }).toEqual([]);
  }

  it('starts, stops cleanly on Ctrl-C, and a second start keeps workflows and rows', async () => {
    const ports = { app: await freePort(), grpc: await freePort(), ui: await freePort(), web: await freePort(), imap: await freePort() };
    const first = await start(ports);
    child = first.proc;
    expect(existsSync(path.join(dataDir, 'master.key'))).toBe(true);

    // Leave a row and a finished workflow behind.
    const db = createDb(`file:${path.join(dataDir, 'rekey.db')}`);
    const user = await db.user.create({ data: { email: `kept-${Date.now()}@example.com` } });
    await db.$disconnect();
    const connection = await Connection.connect({ address: `127.0.0.1:${ports.grpc}` });
    const client = new Client({ connection, namespace: 'rekey' });
    const workflowId = `kept-${Date.now()}`;
    // A reset for a task that does not exist fails at once: a closed workflow with history.
    const handle = await client.workflow.start('resetPasswordWorkflow', {
      workflowId,
      taskQueue: 'rekey-resets',
      args: [{ taskId: 'missing', userId: 'missing', serviceId: 'none', emailWaitMs: 1000, otpWaitMs: 1000, captchaWaitMs: 1000 }],
    });
    await handle.result().catch(() => undefined);
    await connection.close();

    await ctrlC(first.proc);

    const second = await start(ports);
    child = second.proc;
    console.log(`warm start: health 200 after ${(second.startedInMs / 1000).toFixed(1)} s`);
    const db2 = createDb(`file:${path.join(dataDir, 'rekey.db')}`);
    expect(await db2.user.findUnique({ where: { id: user.id } })).not.toBeNull();
    await db2.$disconnect();
    const connection2 = await Connection.connect({ address: `127.0.0.1:${ports.grpc}` });
    const described = await new Client({ connection: connection2, namespace: 'rekey' }).workflow.getHandle(workflowId).describe();
    expect(described.status.name).not.toBe('RUNNING');
    await connection2.close();

    await ctrlC(second.proc);
  }, 300_000);

  it('without Chromium and Dovecot on PATH: the rest comes up, health and a new reset say what is missing, nothing restarts in a loop', async () => {
    // Hidden, not uninstalled: the lookups only search PATH (and the sbin beside
    // each bin) and the Playwright directory, so an empty PATH hides the system
    // Chromium and Dovecot. That PATH has no apt-get either, which is what keeps
    // this root test from installing them (the provisioner says so).
    const empty = mkdtempSync(path.join(os.tmpdir(), 'rekey-bare-'));
    dataDir = path.join(inject('workDir'), 'start-bare');
    const ports = { app: await freePort(), grpc: await freePort(), ui: await freePort(), web: await freePort(), imap: await freePort() };
    const bare = await start(ports, { PATH: empty, PLAYWRIGHT_BROWSERS_PATH: empty, CHROMIUM_PATH: '' });
    child = bare.proc;
    const out = bare.output;
    expect(out()).toMatch(/Chromium: missing — not installed: apt-get is not on PATH/);
    expect(out()).toMatch(/Dovecot: missing — not installed: apt-get is not on PATH/);
    expect(out()).toContain('apt-get install -y chromium dovecot-imapd');
    expect(out()).toMatch(/sandbox: skipped, Dovecot is missing/);

    // Health: up (200), with the browser and the sandbox mailbox named once the worker polls.
    const health = async () => (await (await fetch(`http://127.0.0.1:${ports.app}/api/health`)).json()) as { status: string; worker: boolean; browser: boolean; sandbox: string; missing: { component: string }[] };
    await expect.poll(async () => (await health()).worker, { timeout: 60_000, interval: 500 }).toBe(true);
    const body = await health();
    expect(body).toMatchObject({ status: 'degraded', worker: true, browser: false, sandbox: 'down' });
    expect(body.missing.map((m) => m.component)).toEqual(['browser', 'mailbox sandbox']);

    // A new reset is refused at once with the BrowserUnavailable sentence; no task is left waiting.
    const db = createDb(`file:${path.join(dataDir, 'rekey.db')}`);
    const user = await db.user.create({ data: { email: `bare-${randomBytes(3).toString('hex')}@example.com` } });
    // A reset needs mailbox settings before anything else (409 mailbox_required); these are never used.
    await db.mailbox.create({ data: { userId: user.id, host: 'imap.example.com', port: 993, secure: true, username: user.email, passwordEnc: randomBytes(40) } });
    const token = randomBytes(32).toString('base64url');
    await db.session.create({ data: { userId: user.id, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + 3_600_000) } });
    const res = await fetch(`http://127.0.0.1:${ports.app}/api/tasks/reset`, {
      method: 'POST',
      headers: { cookie: `authjs.session-token=${token}`, origin: `http://localhost:${ports.app}`, 'content-type': 'application/json' },
      // A sandbox site at the sandbox's port: a target allowed by default that needs no DNS
      // (a public name would be resolved first, and this machine may have no DNS).
      body: JSON.stringify({ serviceUrl: `http://papercrane.localhost:${ports.web}/`, email: user.email }),
    });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: { code: 'unavailable', message: resetFailures.BrowserUnavailable.reason } });
    expect(await db.task.count({ where: { userId: user.id } })).toBe(0);
    await db.$disconnect();

    // No loop: the worker that came up is the only one there ever was, and nothing was restarted.
    const workers = workerPids(bare.proc.pid!);
    expect(workers).toHaveLength(1);
    expect(alive(workers[0]!)).toBe(true);
    expect(out()).not.toMatch(/exited .*restarting/);
    expect(descendants(bare.proc.pid!).filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('sandbox/main.ts'))).toEqual([]);

    await ctrlC(bare.proc, 4); // supervisor, temporal, worker, api
  }, 300_000);

  it('a child that dies at every start (the sandbox, its IMAP port taken) is restarted a few times, then left down; the rest serves', async () => {
    dataDir = path.join(inject('workDir'), 'start-port-taken');
    const ports = { app: await freePort(), grpc: await freePort(), ui: await freePort(), web: await freePort(), imap: await freePort() };
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(ports.imap, '127.0.0.1', resolve));
    try {
      const taken = await start(ports);
      child = taken.proc;
      await expect.poll(() => /sandbox exited .* times in a row soon after starting: not restarting it/.test(taken.output()), { timeout: 120_000, interval: 500 }).toBe(true);
      // Exactly the capped number of restarts, and no sandbox process left running.
      expect(taken.output().match(/sandbox exited \S+; restarting in/g)).toHaveLength(3);
      expect(descendants(taken.proc.pid!).filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('sandbox/main.ts'))).toEqual([]);
      const health = (await (await fetch(`http://127.0.0.1:${ports.app}/api/health`)).json()) as { sandbox: string; missing: { component: string }[] };
      expect(health.sandbox).toBe('down');
      expect(health.missing.map((m) => m.component)).toContain('mailbox sandbox');
      await ctrlC(taken.proc, 4);
    } finally {
      squatter.close();
    }
  }, 300_000);
});

