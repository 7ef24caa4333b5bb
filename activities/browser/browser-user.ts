// Who Chromium runs as, and with what environment. Chromium's sandbox
// (namespaces plus a seccomp filter per renderer) is what keeps a hostile page
// that exploits the renderer inside it, and Chromium refuses that sandbox when
// it runs as root. So a worker running as root starts Chromium as an
// unprivileged user (REKEY_BROWSER_USER, `rekey-browser` by default; `npm
// start` and `npm test` create it on Debian) through chromium-as-user.sh, and
// any other worker starts it as itself. Either way the sandbox is on: there
// is no --no-sandbox. Chromium never inherits the worker's environment, which
// holds REKEY_MASTER_KEY and DATABASE_URL.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface BrowserUser {
  name: string;
  uid: number;
  gid: number;
}

/** Chromium cannot be started with its sandbox on here; the message says what to do. */
export class BrowserUserError extends Error {
  override name = 'BrowserUserError';
}

/** What Chromium gets for an environment: enough to find its own helpers, nothing of the worker's. */
export const BROWSER_ENV: Readonly<Record<string, string>> = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' };

const AS_USER_SCRIPT = fileURLToPath(new URL('./chromium-as-user.sh', import.meta.url));

/** The account `name` from the system's user database (getent: /etc/passwd, LDAP…), or null. */
export function findSystemUser(name: string): BrowserUser | null {
  let line: string;
  try {
    line = execFileSync('getent', ['passwd', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null; // exit 2: no such user
  }
  const [user, , uid, gid] = line.split(':');
  if (!user || uid === undefined || gid === undefined) return null;
  return { name: user, uid: Number(uid), gid: Number(gid) };
}

export const createBrowserUserCommand = (name: string) => `useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin ${name}`;

export interface BrowserLaunch {
  /** What Playwright starts: Chromium itself, or the script that drops to the browser user first. */
  executablePath: string;
  env: Record<string, string>;
  /** The user Chromium runs as when it is not this process's own. */
  user?: BrowserUser;
}

/**
 * How to start `executablePath` with its sandbox on. As root: as `userName`,
 * which must exist, must not be root and must be able to run the browser;
 * otherwise a BrowserUserError says why and what to do.
 */
export function browserLaunch(opts: { executablePath: string; userName: string; runningAsRoot?: boolean }): BrowserLaunch {
  const root = opts.runningAsRoot ?? process.getuid?.() === 0;
  if (!root) return { executablePath: opts.executablePath, env: { ...BROWSER_ENV } };

  const user = findSystemUser(opts.userName);
  const why = 'Chromium refuses its sandbox as root, so a worker running as root starts it as an unprivileged user';
  if (!user) {
    throw new BrowserUserError(
      `${why}, and the user "${opts.userName}" (REKEY_BROWSER_USER) does not exist. Create it (\`${createBrowserUserCommand(opts.userName)}\`; ` +
        '`npm start` does on Debian), or run the worker as a user other than root.',
    );
  }
  if (user.uid === 0 || user.gid === 0) {
    throw new BrowserUserError(`${why}; REKEY_BROWSER_USER "${opts.userName}" is root itself (uid ${user.uid}, gid ${user.gid}): name an unprivileged user.`);
  }
  // A browser under /root (Playwright's download) is out of that user's reach.
  const reach = spawnSync('setpriv', [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--', 'test', '-x', opts.executablePath], { stdio: 'ignore' });
  if (reach.error) throw new BrowserUserError(`${why}, with setpriv (util-linux), which is not installed here.`);
  if (reach.status !== 0) {
    throw new BrowserUserError(
      `${why}, "${opts.userName}", and that user cannot run ${opts.executablePath}. Install Chromium system-wide (on Debian: apt-get install chromium) or set CHROMIUM_PATH to a browser that user can read.`,
    );
  }
  return {
    executablePath: AS_USER_SCRIPT,
    env: { ...BROWSER_ENV, REKEY_BROWSER_UID: String(user.uid), REKEY_BROWSER_GID: String(user.gid), REKEY_CHROMIUM: opts.executablePath },
    user,
  };
}
