// One reset task's view of the browser: its context, the page the site is on
// now, and what the egress guard refused.
import type { BrowserContext, Page } from 'playwright-core';
import type { BlockedRequest, EgressGuard } from './egress-guard.js';

export interface BrowserSession {
  readonly taskId: string;
  readonly context: BrowserContext;
  /**
   * The current page: the newest open one, so a popup or new tab the site opens
   * takes over, and closing it hands back to the page before.
   */
  readonly page: Page;
  /** Requests the guard refused, origin only (never a full URL: it may hold a token). */
  readonly blockedRequests: readonly BlockedRequest[];
  /** Cookies, local storage and IndexedDB as JSON. It holds session cookies: encrypt before storing. */
  exportStorageState(): Promise<string>;
  /** JPEG of the current page's viewport (1280×900), not the full page: keeps it small. */
  screenshot(): Promise<Buffer>;
  /** The current page's URL, or the last one it showed if it closed. May hold a token: never log it. */
  lastUrl(): string;
  /**
   * Main-frame navigations, redirect hops included, may only go to these hosts or
   * their subdomains (null lifts it). Subresources (CDNs) stay allowed. Takes effect
   * for the very next request; no need to await anything.
   *
   * A refused navigation rejects `goto` with net::ERR_BLOCKED_BY_CLIENT and leaves
   * Chromium's error page (chrome-error://chromewebdata/), which for a redirect hop
   * commits just after `goto` rejects: before navigating again, wait for the
   * `framenavigated` event to `chrome-error:` (listen before the goto).
   * `blockedRequests` says why (`restricted_host`).
   */
  restrictTo(hosts: readonly string[] | null): void;
  close(): Promise<void>;
}

export function createBrowserSession(options: {
  taskId: string;
  context: BrowserContext;
  guard: EgressGuard;
  onClose: () => Promise<void>;
}): BrowserSession {
  const { taskId, context, guard } = options;
  const open: Page[] = [];
  let newest: Page | undefined;
  let lastSeenUrl = 'about:blank';
  let closing: Promise<void> | undefined;

  context.on('page', (page) => {
    open.push(page);
    newest = page;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) lastSeenUrl = frame.url();
    });
    page.once('close', () => {
      open.splice(open.indexOf(page), 1);
    });
  });
  context.once('close', () => void session.close());

  const current = (): Page => {
    const page = open.at(-1) ?? newest;
    if (!page) throw new Error(`browser session ${taskId} has no page`);
    return page;
  };

  const session: BrowserSession = {
    taskId,
    context,
    get page() {
      return current();
    },
    get blockedRequests() {
      return guard.blockedRequests;
    },
    async exportStorageState() {
      return JSON.stringify(await context.storageState({ indexedDB: true }));
    },
    async screenshot() {
      // JPEG: a fifth of a PNG's size and far cheaper to encode, plenty for a live view.
      return current().screenshot({ type: 'jpeg', quality: 70, fullPage: false, animations: 'disabled', caret: 'hide', timeout: 15_000 });
    },
    lastUrl() {
      const page = open.at(-1);
      return page ? page.url() : lastSeenUrl;
    },
    restrictTo(hosts) {
      guard.restrictTo(hosts);
    },
    close() {
      closing ??= (async () => {
        await context.close().catch(() => {}); // already gone when the browser crashed
        await options.onClose();
      })();
      return closing;
    },
  };
  return session;
}
