// The browser sign-in discovery uses inside the API process: one Chromium per
// policy (allowPrivateTargets), launched on the first discovery and closed
// after a few idle minutes, so an API that never discovers never starts one.
// Each discovery gets its own context (the pool's egress guard included) and
// at most MAX_CONCURRENT run at once; the rest wait their turn.
// `closeDiscoveryBrowsers()` is the shutdown hook (tests, API stop).
import { randomUUID } from 'node:crypto';
import { createBrowserPool, type BrowserPool, type BrowserSession } from '../../activities/browser/browser-pool.js';
import { findChromium } from '../../activities/browser/chromium-path.js';
import type { Logger } from '../logger.js';
import type { PrivateTargets } from '../net/target-guard.js';

export interface DiscoveryBrowserOptions {
  /** CHROMIUM_PATH; unset: the usual Debian paths. */
  chromiumPath?: string;
  /** REKEY_BROWSER_USER: who Chromium runs as when the API runs as root. */
  browserUser?: string;
  allowPrivateTargets: PrivateTargets;
  logger: Logger;
}

const MAX_CONCURRENT = 2;
const IDLE_CLOSE_MS = 5 * 60_000;

interface PoolEntry {
  pool: BrowserPool;
  busy: number;
  idleTimer?: NodeJS.Timeout;
}

const pools = new Map<string, PoolEntry>();
let running = 0;
const waiting: (() => void)[] = [];

async function acquireSlot(): Promise<void> {
  if (running < MAX_CONCURRENT) {
    running += 1;
    return;
  }
  // The slot is handed over by releaseSlot: `running` stays the same.
  await new Promise<void>((resolve) => waiting.push(resolve));
}

function releaseSlot(): void {
  const next = waiting.shift();
  if (next) next();
  else running -= 1;
}

function poolFor(options: DiscoveryBrowserOptions): PoolEntry {
  const executablePath = findChromium(options.chromiumPath);
  const key = `${executablePath}|${JSON.stringify(options.allowPrivateTargets)}|${options.browserUser ?? ''}`;
  let entry = pools.get(key);
  if (!entry) {
    entry = {
      pool: createBrowserPool({
        executablePath,
        allowPrivateTargets: options.allowPrivateTargets,
        browserUser: options.browserUser,
        logger: options.logger.child({ component: 'sign-in-discovery' }),
      }),
      busy: 0,
    };
    pools.set(key, entry);
  }
  return entry;
}

/** Runs `work` with a fresh browser session (its own context and egress guard), closed afterwards. */
export async function withDiscoveryBrowser<T>(options: DiscoveryBrowserOptions, work: (session: BrowserSession) => Promise<T>): Promise<T> {
  await acquireSlot();
  let entry: PoolEntry | undefined;
  const id = `discovery-${randomUUID()}`;
  try {
    entry = poolFor(options);
    clearTimeout(entry.idleTimer);
    entry.busy += 1;
    const session = await entry.pool.open(id);
    return await work(session);
  } finally {
    if (entry) {
      await entry.pool.close(id).catch(() => {});
      entry.busy -= 1;
      if (entry.busy === 0) {
        const idle = entry;
        idle.idleTimer = setTimeout(() => {
          if (idle.busy === 0) void idle.pool.closeAll();
        }, IDLE_CLOSE_MS);
        idle.idleTimer.unref();
      }
    }
    releaseSlot();
  }
}

/** Closes every discovery browser. A later discovery launches a new one. */
export async function closeDiscoveryBrowsers(): Promise<void> {
  const entries = [...pools.values()];
  pools.clear();
  for (const entry of entries) clearTimeout(entry.idleTimer);
  await Promise.all(entries.map((entry) => entry.pool.closeAll()));
}
