// The target rule, applied to one browser context. Three layers, each covering
// what the one before cannot see:
//   1. `context.route` judges every request Playwright lets it see and aborts
//      refused ones with `blockedbyclient`, so a refused navigation fails
//      clearly (net::ERR_BLOCKED_BY_CLIENT);
//   2. the egress proxy (egress-proxy.ts) judges every connection Chromium
//      opens: redirect hops, WebSockets, and DNS pinned to what was checked;
//   3. a CDP Fetch hook on each page pauses main-frame document requests so
//      that, while `restrictTo` is set, a redirect hop to a foreign host (which
//      route never sees) fails: a reset link cannot bounce the browser away.
//      It is attached when the page opens, so `restrictTo` takes effect at
//      once, even when the caller does not await anything before navigating.
// Decisions are cached per host and port for the context's life (a private
// address may be allowed on one port only, the sandbox's): one lookup per
// host and port, and the proxy connects to the addresses that were judged.
import type { BrowserContext, CDPSession, Page, Request } from 'playwright-core';
import type { Logger } from '../../lib/logger.js';
import { hostBelongsTo } from '../../lib/domains.js';
import { assertAllowedHost, targetPort, TargetNotAllowedError, type CheckedHost, type HostPolicy } from '../../lib/net/target-guard.js';

export type BlockReason = 'target_not_allowed' | 'restricted_host';

export interface BlockedRequest {
  /** scheme://host[:port] only: a full URL may carry a reset token. */
  origin: string;
  reason: BlockReason;
  /** A main-frame navigation (or a redirect hop of one); absent when the proxy refused it and cannot tell. */
  navigation?: boolean;
  at: string;
}

// A hostile page can fire requests in a loop; keep what explains a failure, not all of it.
const MAX_RECORDS = 100;
// Schemes that never leave the browser.
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:']);

export interface EgressGuard {
  readonly blockedRequests: readonly BlockedRequest[];
  /** Hosts main-frame navigations may go to (and their subdomains); null: anywhere allowed. */
  readonly allowedHosts: readonly string[] | null;
  /** Resolves and judges `host` for a connection to `port`; cached. */
  checkHost(host: string, port: number): Promise<CheckedHost>;
  recordBlocked(url: string, reason: BlockReason, navigation?: boolean): void;
  /** Installs the route layer on `context` and the redirect-hop hook on every page it opens. */
  install(context: BrowserContext): Promise<void>;
  /** Resolves once `page` has its redirect-hop hook (at once for pages that are gone). */
  hooked(page: Page): Promise<void>;
  /** Synchronous on purpose: in effect for the very next navigation. */
  restrictTo(hosts: readonly string[] | null): void;
}

export function createEgressGuard(options: { policy: HostPolicy; logger: Logger; taskId: string }): EgressGuard {
  const { policy, logger, taskId } = options;
  const decisions = new Map<string, Promise<CheckedHost>>();
  const blockedRequests: BlockedRequest[] = [];
  const hooks = new WeakMap<Page, Promise<void>>();
  let allowedHosts: string[] | null = null;

  function checkHost(host: string, port: number): Promise<CheckedHost> {
    const key = `${host}|${port}`;
    let decision = decisions.get(key);
    if (!decision) {
      decision = assertAllowedHost(host, policy, port);
      decisions.set(key, decision);
      // A name that does not resolve now may resolve later: forget that answer.
      decision.catch((err: unknown) => {
        if (err instanceof TargetNotAllowedError && err.retryable) decisions.delete(key);
      });
    }
    return decision;
  }

  function recordBlocked(url: string, reason: BlockReason, navigation?: boolean): void {
    const origin = originOf(url);
    logger.warn({ taskId, origin, reason, navigation }, 'browser request blocked');
    if (blockedRequests.length < MAX_RECORDS) {
      blockedRequests.push({ origin, reason, ...(navigation === undefined ? {} : { navigation }), at: new Date().toISOString() });
    }
  }

  function isForeign(url: string): boolean {
    if (!allowedHosts) return false;
    const { hostname } = new URL(url);
    return !hostBelongsTo(hostname, allowedHosts);
  }

  /** Layer 1: what Playwright routes. Null when the request may go ahead. */
  async function judge(request: Request): Promise<BlockReason | null> {
    const url = new URL(request.url());
    if (LOCAL_SCHEMES.has(url.protocol)) return null;
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'target_not_allowed';
    try {
      await checkHost(url.hostname, targetPort(url)!);
    } catch {
      return 'target_not_allowed';
    }
    if (allowedHosts && isMainFrameNavigation(request) && isForeign(url.href)) return 'restricted_host';
    return null;
  }

  /** Layer 3: pauses each document request of `page`; fails main-frame redirect hops to foreign hosts. */
  async function hook(target: BrowserContext, page: Page): Promise<void> {
    try {
      const cdp: CDPSession = await target.newCDPSession(page);
      const { frameTree } = await cdp.send('Page.getFrameTree');
      const mainFrameId = frameTree.frame.id;
      cdp.on('Fetch.requestPaused', (event) => {
        // First requests were judged by route already; only hops are left to judge here.
        const foreignHop = Boolean(event.redirectedRequestId) && event.frameId === mainFrameId && isForeign(event.request.url);
        if (foreignHop) recordBlocked(event.request.url, 'restricted_host', true);
        const reply = foreignHop
          ? cdp.send('Fetch.failRequest', { requestId: event.requestId, errorReason: 'BlockedByClient' })
          : cdp.send('Fetch.continueRequest', { requestId: event.requestId });
        reply.catch(() => {}); // the page may be gone already
      });
      await cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*', resourceType: 'Document', requestStage: 'Request' }] });
    } catch {
      // The page closed while we attached: nothing left to guard.
    }
  }

  return {
    get blockedRequests() {
      return blockedRequests;
    },
    get allowedHosts() {
      return allowedHosts;
    },
    checkHost,
    recordBlocked,

    async install(target) {
      await target.route('**/*', async (route, request) => {
        try {
          const reason = await judge(request);
          if (reason) {
            recordBlocked(request.url(), reason, isMainFrameNavigation(request));
            await route.abort('blockedbyclient');
          } else {
            // fallback(), not continue(): handlers added later by activities still run.
            await route.fallback();
          }
        } catch {
          // The page or context closed while we decided: nothing to answer any more.
        }
      });
      target.on('page', (page) => hooks.set(page, hook(target, page)));
    },

    hooked(page) {
      return hooks.get(page) ?? Promise.resolve();
    },

    restrictTo(hosts) {
      allowedHosts = hosts ? [...hosts] : null;
    },
  };
}

function isMainFrameNavigation(request: Request): boolean {
  if (!request.isNavigationRequest()) return false;
  try {
    return request.frame().parentFrame() === null;
  } catch {
    return true; // a popup's first navigation comes before its frame exists
  }
}

function originOf(url: string): string {
  try {
    const { origin, protocol } = new URL(url);
    return origin === 'null' ? protocol : origin;
  } catch {
    return '(invalid URL)';
  }
}
