import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { chmod, chown, lstat, mkdir, mkdtemp, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { passwdLine, pickAccounts, renderDovecotConfig, type DovecotLayout } from './dovecot-config.js';

export interface StartDovecotOptions {
  /** The `dovecot` binary (e.g. findDovecotBinary(config.tools.searchDirs)); found in the usual places when absent. */
  binary?: string;
  /** Kept after stop() when given; a fresh temp dir (removed on stop) otherwise. */
  baseDir?: string;
  /** A free loopback port is picked when absent. */
  port?: number;
  /** Appended to dovecot.conf, e.g. `imap_capability = IMAP4rev1` to hide IDLE. */
  extraConfig?: string;
  startTimeoutMs?: number;
}

export interface DovecotServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly baseDir: string;
  readonly logPath: string;
  /** Adds a user, or changes its password; the running server sees it at the next login. */
  addUser(user: string, password: string): Promise<void>;
  /** How a site "sends" mail: IMAP APPEND into the user's folder. Resolves to the new UID. */
  deliver(user: string, raw: string | Buffer, options?: { internalDate?: Date; folder?: string }): Promise<number>;
  /** Drops the user's open sessions server-side, as a flaky provider would. */
  kick(user: string): Promise<void>;
  /** Forces a new UIDVALIDITY, as a mailbox rebuilt by the provider would have. */
  setUidValidity(user: string, uidValidity: number, folder?: string): Promise<void>;
  /** Stops and starts again on the same port, keeping the mail. */
  restart(): Promise<void>;
  /** Stops; `removeMail` deletes a given base dir and its mail as well (a temp one always goes). */
  stop(options?: { removeMail?: boolean }): Promise<void>;
}

const INSTALL_HINT =
  'Dovecot is needed for the sandbox mailbox. Install it with `apt-get install -y dovecot-imapd` ' +
  '(Debian/Ubuntu, as root), `dnf install dovecot` (Fedora) or `brew install dovecot` (macOS).';
const USER_NAME = /^[A-Za-z0-9_@+-][A-Za-z0-9._@+-]{0,63}$/;
const MASTER_USER = 'rekey-sandbox';
const MAX_RUN_DIR_LENGTH = 70;
/** In the base dir, as root: the link to the mail store (see openRootMailStore). */
const STORE_LINK = 'mail-store';
// Where distributions and Homebrew put Dovecot (sbin on Debian, bin for doveadm).
const SEARCH_DIRS = ['/usr/sbin', '/usr/local/sbin', '/opt/homebrew/sbin', '/sbin', '/usr/bin', '/usr/local/bin', '/opt/homebrew/bin'];
const execFileAsync = promisify(execFile);

/**
 * Absolute path of the `dovecot` binary, or an error that says how to install it.
 * `dirs`: where to look; `npm start` passes config.tools.searchDirs (PATH and its sbins).
 */
export function findDovecotBinary(dirs: readonly string[] = SEARCH_DIRS): string {
  const found = findExecutable('dovecot', dirs);
  if (!found) throw new Error(`Dovecot binary not found. ${INSTALL_HINT}`);
  return found;
}

function findDoveadmBinary(dovecotPath: string): string {
  const found = findExecutable('doveadm', [dirname(dovecotPath), ...SEARCH_DIRS]);
  if (!found) throw new Error(`doveadm not found next to ${dovecotPath}. ${INSTALL_HINT}`);
  return found;
}

function findExecutable(name: string, dirs: readonly string[]): string | null {
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** Starts a private Dovecot on 127.0.0.1 and resolves once it greets IMAP clients. */
export async function startDovecot(options: StartDovecotOptions = {}): Promise<DovecotServer> {
  const dovecot = options.binary ?? findDovecotBinary();
  const doveadm = findDoveadmBinary(dovecot);
  const ownsBaseDir = !options.baseDir;
  const baseDir = options.baseDir ?? (await mkdtemp(join(tmpdir(), 'rekey-dovecot-')));
  const accounts = pickAccounts();
  const store = accounts.asRoot ? await openRootMailStore(baseDir) : null;
  const layout = await prepareLayout(baseDir, store);
  const masterPassword = randomBytes(18).toString('base64url');
  await writeFile(layout.mastersPath, passwdLine(MASTER_USER, masterPassword), { mode: 0o600 });
  if (accounts.asRoot) await chown(layout.mailDir, accounts.mailUid, accounts.mailGid);

  let port = options.port ?? (await findFreePort());
  let child: ChildProcess | null = null;
  const launch = async () => {
    await writeFile(layout.configPath, renderDovecotConfig(layout, accounts, port, options.extraConfig));
    child = await launchDovecot(dovecot, layout, port, options.startTimeoutMs ?? 15_000);
  };
  const removeFiles = async (all = ownsBaseDir) => {
    if (all) await rm(baseDir, { recursive: true, force: true });
    // A given base dir keeps its mail, in its store too; a temp one takes everything with it.
    if (store && all) await rm(store, { recursive: true, force: true });
    if (!store && layout.runDir !== join(baseDir, 'run')) await rm(dirname(layout.runDir), { recursive: true, force: true });
  };
  for (let attempt = 1; ; attempt++) {
    try {
      await launch();
      break;
    } catch (err) {
      // Another process may have taken the port we picked between probe and bind.
      if (options.port || attempt >= 3 || !String(err).includes('in use')) {
        await removeFiles();
        throw err;
      }
      port = await findFreePort();
    }
  }

  const doveadmRun = (args: string[]) => execFileAsync(doveadm, ['-c', layout.configPath, ...args]);
  const server: DovecotServer = {
    host: '127.0.0.1',
    get port() {
      return port;
    },
    baseDir,
    logPath: layout.logPath,
    async addUser(user, password) {
      if (!USER_NAME.test(user)) throw new Error(`Unsupported sandbox user name: ${JSON.stringify(user)}`);
      const path = join(layout.usersDir, user);
      const existed = existsSync(path);
      // Rename, so Dovecot never reads half a file.
      await writeFile(`${path}.tmp`, passwdLine(user, password), { mode: 0o600 });
      await rename(`${path}.tmp`, path);
      // A changed file may go unnoticed for the rest of the second Dovecot last read it in.
      if (existed) await sleep(1_100);
    },
    async deliver(user, raw, deliverOptions = {}) {
      const client = new ImapFlow({
        host: '127.0.0.1',
        port,
        secure: false,
        auth: { user: `${user}*${MASTER_USER}`, pass: masterPassword },
        logger: false,
        disableAutoIdle: true,
      });
      client.on('error', () => undefined);
      await client.connect();
      try {
        const appended = await client.append(deliverOptions.folder ?? 'INBOX', raw, [], deliverOptions.internalDate);
        if (!appended || appended.uid === undefined) throw new Error('APPEND did not report a UID');
        return appended.uid;
      } finally {
        await client.logout().catch(() => client.close());
      }
    },
    async kick(user) {
      await doveadmRun(['kick', user]);
    },
    async setUidValidity(user, uidValidity, folder = 'INBOX') {
      await doveadmRun(['mailbox', 'update', '-u', user, '--uid-validity', String(uidValidity), folder]);
    },
    async restart() {
      if (child) await stopDovecotProcess(child, layout);
      child = null;
      await launch();
    },
    async stop(stopOptions = {}) {
      if (child) await stopDovecotProcess(child, layout);
      child = null;
      await removeFiles(ownsBaseDir || stopOptions.removeMail === true);
    },
  };
  return server;
}

/**
 * As root, Dovecot's mail processes run as `nobody` (Dovecot refuses uid 0
 * for mail access, and a process parsing IMAP input had better not be root),
 * and `nobody` must be able to walk every directory down to a mail home. A
 * checkout in root's home or in a `mktemp -d` folder sits below a 0700
 * directory it cannot walk. Widening that directory (chmod, an ACL) would
 * open whatever else it holds, so instead the mail homes and Dovecot's
 * sockets live in a store of their own: a root-owned 0711 directory under
 * /var/tmp (kept across reboots, unlike /tmp), whose `mail` is nobody's and
 * 0700. Dovecot's processes can walk to it; other users can list neither.
 * It holds the sandbox's mail only (made-up accounts, served on loopback).
 * The base dir keeps a link to it (`mail-store`) so the next start serves
 * the same mail; a link that no longer leads to a root-owned 0711 directory
 * (cleaned up, or replaced by someone else) gets a new store.
 */
async function openRootMailStore(baseDir: string): Promise<string> {
  await mkdir(baseDir, { recursive: true });
  const link = join(baseDir, STORE_LINK);
  const known = await readlink(link).catch(() => null);
  if (known && (await isRootStore(known))) return known;
  const parent = ['/var/tmp', '/tmp'].find((dir) => existsSync(dir)) ?? tmpdir();
  const store = await mkdtemp(join(parent, 'rekey-mail-'));
  await chmod(store, 0o711);
  await rm(link, { force: true });
  await symlink(store, link);
  return store;
}

async function isRootStore(dir: string): Promise<boolean> {
  try {
    const stat = await lstat(dir);
    return stat.isDirectory() && stat.uid === 0 && (stat.mode & 0o777) === 0o711;
  } catch {
    return false;
  }
}

async function prepareLayout(baseDir: string, store: string | null): Promise<DovecotLayout> {
  let runDir = join(store ?? baseDir, 'run');
  if (runDir.length > MAX_RUN_DIR_LENGTH) runDir = join(await mkdtemp(join(tmpdir(), 'rekey-dc-')), 'run');
  const layout: DovecotLayout = {
    baseDir,
    runDir,
    stateDir: join(baseDir, 'state'),
    mailDir: join(store ?? baseDir, 'mail'),
    configPath: join(baseDir, 'dovecot.conf'),
    usersDir: join(baseDir, 'users'),
    mastersPath: join(baseDir, 'master-users'),
    logPath: join(baseDir, 'dovecot.log'),
  };
  for (const dir of [layout.runDir, layout.stateDir, layout.usersDir]) await mkdir(dir, { recursive: true });
  await mkdir(layout.mailDir, { recursive: true, mode: 0o700 });
  return layout;
}

async function launchDovecot(binary: string, layout: DovecotLayout, port: number, timeoutMs: number): Promise<ChildProcess> {
  await removeStalePidFile(layout);
  // Own process group, so stop() can signal the master and every child it forked at once.
  const child = spawn(binary, ['-F', '-c', layout.configPath], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const killOnExit = () => killGroup(child.pid, 'SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));

  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => {
      reject(new Error(`Dovecot exited during startup (${signal ?? code}): ${output.trim()} ${logTail(layout)}`));
    });
    child.once('error', reject);
  });
  try {
    await Promise.race([waitForGreeting(port, timeoutMs), exited]);
  } catch (err) {
    await stopDovecotProcess(child, layout);
    throw err;
  }
  exited.catch(() => undefined);
  return child;
}

async function stopDovecotProcess(child: ChildProcess, layout: DovecotLayout): Promise<void> {
  const pid = child.pid;
  if (pid !== undefined && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    killGroup(pid, 'SIGTERM');
    const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  // Stragglers (an imap process mid-command) share the group: make sure none survive.
  killGroup(pid, 'SIGKILL');
  for (let i = 0; i < 50 && groupAlive(pid); i++) await sleep(50);
  await rm(join(layout.runDir, 'master.pid'), { force: true });
}

async function removeStalePidFile(layout: DovecotLayout): Promise<void> {
  const pidFile = join(layout.runDir, 'master.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (pid > 0 && processAlive(pid)) throw new Error(`Dovecot already runs in ${layout.baseDir} (pid ${pid})`);
  await rm(pidFile, { force: true });
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

function groupAlive(pid: number | undefined): boolean {
  return pid !== undefined && processAlive(-pid);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Resolves when the port answers with an IMAP greeting, not merely accepts a connection. */
async function waitForGreeting(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await greets(port)) return;
    await sleep(50);
  }
  throw new Error(`Dovecot did not answer on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => finish(false));
    socket.once('data', (data) => finish(data.toString().startsWith('* OK')));
    socket.once('error', () => finish(false));
  });
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function logTail(layout: DovecotLayout): string {
  try {
    return readFileSync(layout.logPath, 'utf8').split('\n').slice(-8).join('\n');
  } catch {
    return '';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
