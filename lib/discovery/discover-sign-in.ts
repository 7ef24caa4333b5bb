// POST /api/sign-in-discovery: how a site lets people sign in, where its
// password reset starts, and where to sign up. A real browser visits the page
// (the target guard first, then the egress guard on every request), finds the
// sign-in page (the page itself, a "Sign in" link, or the catalog's login
// URL) and reads it. The reset URL comes from, in order:
//   1. /.well-known/change-password, when the W3C reliability probe passes;
//   2. the catalog;
//   3. the page's "Forgot password?" link.
// Results are cached per origin; concurrent requests for one origin share a visit.
import type { BrowserSession } from '../../activities/browser/browser-pool.js';
import { followSignInLink } from '../../activities/browser/navigator/find-reset-entry.js';
import { createNavContext, type NavContext, type NavigatorTimeouts } from '../../activities/browser/navigator/options.js';
import { dismissOverlays } from '../../activities/browser/navigator/dismiss-overlays.js';
import { settle } from '../../activities/browser/navigator/settle.js';
import type { Catalog } from '../../catalog/index.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../logger.js';
import { assertAllowedTarget, TargetNotAllowedError, type PrivateTargets } from '../net/target-guard.js';
import { findChangePasswordUrl } from './change-password-url.js';
import { detectSignInMethods, findForgotPasswordUrl, findSignUpUrl, isSignInPage, type ExaminedPage, type SiteScope } from './classify-sign-in.js';
import { DISCOVERY_CACHE_TTL_MS, readCachedDiscovery, writeCachedDiscovery, type SignInDiscovery } from './discovery-cache.js';
import { withDiscoveryBrowser } from './discovery-browser.js';
import { readPageSignals, type PageSignals } from './page-signals.js';

export type { SignInDiscovery } from './discovery-cache.js';

export interface DiscoverSignInDeps {
  db: Db;
  catalog: Catalog;
  logger: Logger;
  /** REKEY_ALLOW_PRIVATE_TARGETS. */
  allowPrivateTargets: PrivateTargets;
  /** CHROMIUM_PATH. */
  chromiumPath?: string;
  /** REKEY_BROWSER_USER: who Chromium runs as when the API runs as root. */
  browserUser?: string;
  now?: () => Date;
  cacheTtlMs?: number;
  timeouts?: Partial<NavigatorTimeouts>;
}

/** The site could not be loaded at all (DNS, refused, timeout, TLS). */
export class SiteUnreachableError extends Error {
  override name = 'SiteUnreachableError';
}

// Tighter than a reset's: discovery reads pages, it never waits for a form to react.
const DISCOVERY_TIMEOUTS: Partial<NavigatorTimeouts> = {
  navigation: 15_000,
  element: 2_000,
  settle: 5_000,
  networkIdle: 1_500,
  probe: 5_000,
};

const inflight = new Map<string, Promise<SignInDiscovery>>();

/** "example.com" → "https://example.com"; anything with a scheme is left to the target guard. */
export function toDiscoveryUrl(input: string): string {
  const trimmed = input.trim();
  return /^[a-z][a-z0-9+.-]*:/i.test(trimmed) && !/^[^:/]+:\d+(?:[/?#]|$)/.test(trimmed) ? trimmed : `https://${trimmed}`;
}

export async function discoverSignIn(deps: DiscoverSignInDeps, input: { url: string }): Promise<SignInDiscovery> {
  const { url } = await assertAllowedTarget(toDiscoveryUrl(input.url), { allowPrivate: deps.allowPrivateTargets });
  const now = deps.now?.() ?? new Date();
  const cached = await readCachedDiscovery(deps.db, url.origin, now);
  if (cached) return cached;

  const key = `${JSON.stringify(deps.allowPrivateTargets)}|${url.origin}`;
  let running = inflight.get(key);
  if (!running) {
    running = explore(deps, url)
      .then(async (result) => {
        const expiresAt = new Date((deps.now?.() ?? new Date()).getTime() + (deps.cacheTtlMs ?? DISCOVERY_CACHE_TTL_MS));
        await writeCachedDiscovery(deps.db, url.origin, result, expiresAt);
        return result;
      })
      .finally(() => inflight.delete(key));
    inflight.set(key, running);
  }
  return running;
}

async function explore(deps: DiscoverSignInDeps, url: URL): Promise<SignInDiscovery> {
  const service = deps.catalog.byDomain(url.hostname);
  const scope: SiteScope = { url: url.href, domains: service?.domains };
  const browser = { chromiumPath: deps.chromiumPath, allowPrivateTargets: deps.allowPrivateTargets, browserUser: deps.browserUser, logger: deps.logger };

  return withDiscoveryBrowser(browser, async (session) => {
    const ctx = createNavContext({ logger: deps.logger, timeouts: { ...DISCOVERY_TIMEOUTS, ...deps.timeouts } });
    await load(session, url.href, ctx, { required: true });
    const landing = await readPageSignals(session.page);

    let signIn: PageSignals | null = isSignInPage(landing) ? landing : null;
    if (!signIn) {
      const landed = await followSignInLink(session.page, ctx).catch(() => null);
      if (landed && /^https?:/.test(landed.page.url())) signIn = await readPageSignals(landed.page);
    }
    if (!signIn && service?.loginUrl && (await load(session, service.loginUrl, ctx, { required: false }))) {
      signIn = await readPageSignals(session.page);
    }

    const pages: ExaminedPage[] = [{ signals: landing, signInPage: signIn === landing }];
    if (signIn && signIn !== landing) pages.unshift({ signals: signIn, signInPage: true });
    const methods = detectSignInMethods(pages, scope);
    const read = pages.map((p) => p.signals);
    const signupUrl = findSignUpUrl(read, scope);
    const forgotUrl = findForgotPasswordUrl(read, scope);
    const loginUrl = signIn?.url ?? null;

    const wellKnown = await findChangePasswordUrl(session.page, url.origin, { timeoutMs: ctx.timeouts.probe });
    // Change-password pages are for people who are signed in: one that lands on the sign-in page is no reset entry.
    const wellKnownUrl = wellKnown.status === 'found' && !(forgotUrl && samePage(wellKnown.url, loginUrl)) ? wellKnown.url : null;
    ctx.log.debug({ origin: url.origin, methods, wellKnown: wellKnown.status, signInFound: !!signIn }, 'sign-in discovery done');

    return {
      methods,
      resetUrl: wellKnownUrl ?? service?.resetUrl ?? forgotUrl,
      signupUrl,
      loginUrl,
    };
  });
}

/** Opens `url` and lets it settle. A required page that does not load is an error; an optional one answers false. */
async function load(session: BrowserSession, url: string, ctx: NavContext, options: { required: boolean }): Promise<boolean> {
  const page = session.page;
  const blockedBefore = session.blockedRequests.length;
  try {
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: ctx.timeouts.navigation });
  } catch (err) {
    if (!options.required) return false;
    const blocked = session.blockedRequests.slice(blockedBefore).find((b) => b.navigation !== false);
    if (blocked) {
      throw new TargetNotAllowedError('blocked_address', `${hostOf(blocked.origin)} is not an allowed address (the site or a redirect leads to a private or local network).`);
    }
    const reason = (err as Error).message.split('\n')[0]?.replace(/^page\.goto:\s*/, '').replace(/ at https?:\S+/, '') ?? 'navigation failed';
    throw new SiteUnreachableError(`Could not load ${new URL(url).host}: ${reason}`);
  }
  await settle(page, ctx);
  await dismissOverlays(page, ctx);
  return true;
}

function hostOf(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return 'the site';
  }
}

function samePage(a: string, b: string | null): boolean {
  if (!b) return false;
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.origin === y.origin && x.pathname.replace(/\/$/, '') === y.pathname.replace(/\/$/, '');
  } catch {
    return false;
  }
}
