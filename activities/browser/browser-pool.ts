// One Chromium per worker process, one BrowserContext per reset task. The page
// state between browser steps lives in the context, so activities of one reset
// find it here with `get(taskId)`; on another worker (or after a crash) they
// `open` a new context from the storage state saved after the last step.
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core';
import { DEFAULT_BROWSER_USER } from '../../lib/config.js';
import type { Logger } from '../../lib/logger.js';
import type { HostResolver, PrivateTargets } from '../../lib/net/target-guard.js';
import { createBrowserSession, type BrowserSession } from './browser-session.js';
import { browserLaunch } from './browser-user.js';
import { createEgressGuard } from './egress-guard.js';
import { startEgressProxy } from './egress-proxy.js';

export type { BrowserSession } from './browser-session.js';
export type { BlockedRequest } from './egress-guard.js';

// Playwright adds --headless itself when `headless` is true. No --no-sandbox:
// Chromium's sandbox stays on (browser-user.ts says how, as root too).
export const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-dev-shm-usage',
  '--disable-sync',
  '--disable-quic', // QUIC would not go through the egress proxy
  '--force-webrtc-ip-handling-policy=disable_non_proxied_udp', // nor would WebRTC's UDP
  // Chromium's own calls home on password forms (autofill crowdsourcing) and pages
  // (translation, optimisation hints): nothing of a reset may leave for a third party.
  '--disable-features=AutofillServerCommunication,Translate,OptimizationHints,MediaRouter,InterestFeedContentSuggestions',
  '--password-store=basic',
];

export const VIEWPORT = { width: 1280, height: 900 } as const;

export interface BrowserPoolOptions {
  executablePath: string;
  /** REKEY_ALLOW_PRIVATE_TARGETS: the browser may reach loopback and private networks (never metadata). */
  allowPrivateTargets: PrivateTargets;
  logger: Logger;
  /** REKEY_BROWSER_USER: who Chromium runs as when this process is root; default rekey-browser. */
  browserUser?: string;
  headless?: boolean;
  /** Name resolution for the egress guard (default: dns.lookup). Tests inject one. */
  resolver?: HostResolver;
  /** Bound on a page load that sets none of its own (a reset link, a restored page); default 30 s. */
  navigationTimeoutMs?: number;
}

export interface OpenSessionOptions {
  /** JSON from `exportStorageState()` of an earlier session, maybe on another worker. */
  storageState?: string;
  userAgent?: string;
  /** Default en-US. */
  locale?: string;
}

export interface BrowserPoolStats {
  running: boolean;
  pid: number | null;
  version: string | null;
  sessions: number;
  launches: number;
  crashes: number;
}

export interface BrowserPool {
  /** A fresh context for `taskId`, replacing any it had. Launches Chromium if it is not running. */
  open(taskId: string, options?: OpenSessionOptions): Promise<BrowserSession>;
  /** The live session of `taskId` on this worker, if any. */
  get(taskId: string): BrowserSession | undefined;
  /** Ids of the live sessions (the session reaper walks them). */
  taskIds(): string[];
  close(taskId: string): Promise<void>;
  /** Closes every context and the browser (worker shutdown). A later `open` launches again. */
  closeAll(): Promise<void>;
  stats(): BrowserPoolStats;
}

interface RunningBrowser {
  browser: Browser;
  pid: number | null;
  version: string;
  userAgent: string;
  closing: boolean;
}

type StorageState = Exclude<BrowserContextOptions['storageState'], string | undefined>;

export function createBrowserPool(options: BrowserPoolOptions): BrowserPool {
  const logger = options.logger.child({ component: 'browser-pool' });
  const sessions = new Map<string, BrowserSession>();
  const counters = { launches: 0, crashes: 0 };
  let current: Promise<RunningBrowser> | undefined;
  let running: RunningBrowser | undefined;

  function browser(): Promise<RunningBrowser> {
    current ??= launch().catch((err: unknown) => {
      current = undefined; // let the next open try again
      throw err;
    });
    return current;
  }

  async function launch(): Promise<RunningBrowser> {
    const as = browserLaunch({ executablePath: options.executablePath, userName: options.browserUser ?? DEFAULT_BROWSER_USER });
    const instance = await chromium.launch({
      executablePath: as.executablePath,
      env: as.env,
      chromiumSandbox: true,
      headless: options.headless ?? true,
      args: CHROMIUM_ARGS,
      timeout: 30_000,
    });
    const version = instance.version();
    const launched: RunningBrowser = {
      browser: instance,
      pid: await browserPid(instance),
      version,
      userAgent: userAgentFor(version),
      closing: false,
    };
    instance.on('disconnected', () => onDisconnected(launched));
    counters.launches += 1;
    running = launched;
    logger.info({ pid: launched.pid, version, user: as.user?.name ?? null }, 'chromium launched');
    return launched;
  }

  function onDisconnected(gone: RunningBrowser): void {
    if (running === gone) {
      running = undefined;
      current = undefined; // the next open launches a new browser
    }
    // Their contexts died with the browser; activities restore them from saved storage state.
    const lost = [...sessions.values()].filter((s) => s.context.browser() === gone.browser);
    for (const session of lost) void session.close();
    if (!gone.closing) {
      counters.crashes += 1;
      logger.warn({ pid: gone.pid, lostSessions: lost.length }, 'chromium exited unexpectedly; relaunching on next open');
    }
  }

  async function open(taskId: string, openOptions: OpenSessionOptions = {}): Promise<BrowserSession> {
    const storageState = openOptions.storageState === undefined ? undefined : parseStorageState(openOptions.storageState);
    await sessions.get(taskId)?.close();
    const { browser: instance, userAgent } = await browser();

    const guard = createEgressGuard({
      policy: { allowPrivate: options.allowPrivateTargets, resolver: options.resolver },
      logger,
      taskId,
    });
    const proxy = await startEgressProxy({
      checkHost: guard.checkHost,
      onRefused: (origin) => guard.recordBlocked(origin, 'target_not_allowed'),
    });
    let context: BrowserContext | undefined;
    try {
      context = await instance.newContext({
        viewport: VIEWPORT,
        acceptDownloads: false,
        serviceWorkers: 'block', // their fetches would bypass route
        bypassCSP: false,
        userAgent: openOptions.userAgent ?? userAgent,
        locale: openOptions.locale ?? 'en-US',
        storageState,
        // Explicit <-loopback>: loopback and *.localhost go through the proxy as well,
        // whatever PLAYWRIGHT_DISABLE_FORCED_CHROMIUM_PROXIED_LOOPBACK says.
        proxy: { server: proxy.url, bypass: '<-loopback>' },
      });
      if (options.navigationTimeoutMs !== undefined) context.setDefaultNavigationTimeout(options.navigationTimeoutMs);
      await guard.install(context);
      const session = createBrowserSession({
        taskId,
        context,
        guard,
        onClose: async () => {
          if (sessions.get(taskId) === session) sessions.delete(taskId);
          await proxy.close();
        },
      });
      const page = await context.newPage();
      await guard.hooked(page);

      // Two concurrent opens of one task: the last one wins, the other is closed.
      const previous = sessions.get(taskId);
      sessions.set(taskId, session);
      if (previous) await previous.close();
      logger.debug({ taskId, restored: Boolean(storageState) }, 'browser session opened');
      return session;
    } catch (err) {
      await context?.close().catch(() => {});
      await proxy.close();
      throw err;
    }
  }

  async function closeAll(): Promise<void> {
    const launched = await current?.catch(() => undefined);
    await Promise.all([...sessions.values()].map((s) => s.close()));
    if (launched) {
      launched.closing = true;
      await launched.browser.close().catch(() => {});
    }
    current = undefined;
    running = undefined;
  }

  return {
    open,
    get: (taskId) => sessions.get(taskId),
    taskIds: () => [...sessions.keys()],
    close: async (taskId) => {
      await sessions.get(taskId)?.close();
    },
    closeAll,
    stats: () => ({
      running: Boolean(running),
      pid: running?.pid ?? null,
      version: running?.version ?? null,
      sessions: sessions.size,
      ...counters,
    }),
  };
}

/**
 * Chromium's own user agent without "HeadlessChrome", which sites block. Chrome
 * sends only the major version ("reduced" user agent), so we do the same.
 */
export function userAgentFor(version: string): string {
  const major = version.split('.')[0];
  return `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36`;
}

/** The browser process id (Playwright's launch() does not expose it); for stats and crash tests. */
async function browserPid(instance: Browser): Promise<number | null> {
  try {
    const cdp = await instance.newBrowserCDPSession();
    const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
    await cdp.detach();
    return processInfo.find((p) => p.type === 'browser')?.id ?? null;
  } catch {
    return null;
  }
}

function parseStorageState(json: string): StorageState {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error('storageState is not valid JSON');
  }
  const state = value as Partial<StorageState> | null;
  if (!state || typeof state !== 'object' || !Array.isArray(state.cookies) || !Array.isArray(state.origins)) {
    throw new Error('storageState is not a Playwright storage state ({cookies, origins})');
  }
  return state as StorageState;
}
