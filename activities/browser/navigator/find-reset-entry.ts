// From a service to the page that asks for the account email, trying in turn:
//   1. the catalog's reset URL;
//   2. /.well-known/change-password — only when the site passes the W3C
//      reliability probe (a resource that cannot exist must not answer 2xx);
//   3. the service URL itself, and a "Forgot password?" link there;
//   4. the sign-in page (catalog login URL, or a "Sign in" link), then its
//      "Forgot password?" link or button;
//   5. on an identifier-first sign-in (the email alone, then the password),
//      the account's email and "Continue", then the password step's link.
// Links are found by accessible name first, then by visible text, then by
// href. A link that opens a popup or new tab hands over to it.
import type { Frame, Locator, Page } from 'playwright-core';
import { registrableDomain } from '../../../lib/domains.js';
import { clickAndFollow, fillField } from './click.js';
import { detectPageState } from './detect-page-state.js';
import { dismissOverlays } from './dismiss-overlays.js';
import { countOf, visibleFrames } from './frames.js';
import { pickLoginFields, toTarget, waitForFields } from './locate-fields.js';
import type { PageState, ResetEntryHints } from './navigator.js';
import { originOf, rememberTyped, safeError, withTimeout, type NavContext } from './options.js';
import { settle } from './settle.js';
import { stateAfterSubmit, submitFrom } from './submit.js';
import { ACCOUNT_ACTION, FORGOT_PASSWORD, IDENTIFIER_STEP_ACTION, NOT_PASSWORD_SIGN_IN, SIGN_IN_ACTION } from './vocabulary.js';

export interface Landed {
  page: Page;
  state: PageState;
}

const PROBE_PATH = '/.well-known/resource-that-should-not-exist-whose-status-code-should-not-be-200';
const CHANGE_PASSWORD_PATH = '/.well-known/change-password';
const FORGOT_HREF = /forgot|reset|recover|lost[-_]?pass|passwor[dt][-_/]?(?:reset|forgot|recovery|vergessen)|mot-de-passe|motdepasse|kennwort|contrasena|senha|wachtwoord/i;
const SIGN_IN_HREF = /(?:^|[/#?=_-])(?:log-?in|sign-?in|signin|logon|connexion|anmelden|session\/new|auth|account)(?:$|[/#?._-])/i;

const isEntry = (s: PageState) => s.kind === 'email_form' || s.kind === 'captcha';

/** Opens `url` and reports what it shows, overlays dismissed. Never throws. */
export async function visit(page: Page, url: string, ctx: NavContext): Promise<PageState> {
  try {
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: ctx.timeouts.navigation });
  } catch (err) {
    ctx.log.debug({ origin: originOf(url), err: safeError(err) }, 'page did not load');
    return { kind: 'unknown' };
  }
  return lookAround(page, ctx);
}

/** Settles, dismisses consent overlays, and reports the state without waiting for a recognisable one. */
async function lookAround(page: Page, ctx: NavContext): Promise<PageState> {
  await settle(page, ctx);
  const dismissed = await dismissOverlays(page, ctx);
  return detectPageState(page, ctx, { settled: dismissed === 0, patient: false });
}

interface Control {
  locator?: Locator;
  /** A link that exists but is hidden (a collapsed menu): open its address. */
  href?: string;
}

/** A link or button by accessible name, then by visible text, then a link by its address. Main frame first. */
async function findControl(page: Page, name: RegExp, href: RegExp, exclude?: RegExp): Promise<Control | null> {
  const frames = await visibleFrames(page);
  const usable = (l: Locator) => {
    const shown = l.filter({ visible: true });
    return exclude ? shown.filter({ hasNotText: exclude }) : shown;
  };
  const tries: ((f: Frame) => Locator)[] = [
    (f) => f.getByRole('link', { name }),
    (f) => f.getByRole('button', { name }),
    (f) => f.getByText(name),
  ];
  for (const make of tries) {
    for (const frame of frames) {
      const candidate = usable(make(frame)).first();
      if ((await countOf(candidate)) > 0) return { locator: candidate };
    }
  }
  for (const frame of frames) {
    const links = frame.locator('a[href]');
    const hrefs = await withTimeout(
      links.evaluateAll((els) => els.map((e) => (e as HTMLAnchorElement).href)),
      3_000,
    ).catch(() => [] as string[]);
    const total = Math.min(hrefs.length, 300);
    let hidden: string | undefined;
    for (let i = 0; i < total; i++) {
      const url = hrefs[i] ?? '';
      let path = '';
      try {
        path = new URL(url).pathname + new URL(url).hash;
      } catch {
        continue;
      }
      if (!href.test(path)) continue;
      const link = links.nth(i);
      if (exclude && exclude.test((await link.textContent({ timeout: 2_000 }).catch(() => '')) ?? '')) continue;
      if (await link.isVisible().catch(() => false)) return { locator: link };
      hidden ??= url;
    }
    if (hidden && sameSite(hidden, page.url())) return { href: hidden };
  }
  return null;
}

function sameSite(a: string, b: string): boolean {
  try {
    const ha = new URL(a).hostname;
    const hb = new URL(b).hostname;
    return ha === hb || (registrableDomain(ha) ?? ha) === (registrableDomain(hb) ?? hb);
  } catch {
    return false;
  }
}

/** Activates a control and reports where it led (maybe a popup). */
async function follow(page: Page, control: Control, ctx: NavContext): Promise<Landed> {
  if (control.href) return { page, state: await visit(page, control.href, ctx) };
  const next = await clickAndFollow(page, control.locator as Locator, ctx);
  return { page: next, state: await lookAround(next, ctx) };
}

/** Follows a "Forgot password?"-style link or button on the current page, if there is one. */
export async function followForgotLink(page: Page, ctx: NavContext): Promise<Landed | null> {
  const control = await findControl(page, FORGOT_PASSWORD, FORGOT_HREF);
  if (!control) return null;
  ctx.log.debug('following a forgot-password link');
  return follow(page, control, ctx);
}

/** Follows a "Sign in"-style link (or an account link, which leads there when signed out). */
export async function followSignInLink(page: Page, ctx: NavContext): Promise<Landed | null> {
  const control =
    (await findControl(page, SIGN_IN_ACTION, SIGN_IN_HREF, NOT_PASSWORD_SIGN_IN)) ?? (await findControl(page, ACCOUNT_ACTION, /^$/, NOT_PASSWORD_SIGN_IN));
  if (!control) return null;
  ctx.log.debug('following a sign-in link');
  return follow(page, control, ctx);
}

/**
 * The first step of an identifier-first sign-in: the account's email, then
 * the step's "Continue" (or "Next", "Sign in"). Only such a button is pressed
 * — never Enter, never one that would email a sign-in link or a code — so a
 * sign-in page that would send something instead is left alone. Null when
 * the page is not such a step or nothing happened.
 */
async function passIdentifierStep(page: Page, accountEmail: string, ctx: NavContext): Promise<Landed | null> {
  const { found, entries } = await waitForFields(page, ctx, (fields) => pickLoginFields(fields), 0);
  if (!found?.username || found.password) return null;
  const username = toTarget(entries, found.username);
  rememberTyped(page, accountEmail);
  await fillField(username.locator, accountEmail, ctx);
  const submitted = await submitFrom(page, username, ctx, { only: IDENTIFIER_STEP_ACTION });
  if (!submitted.reacted) return null;
  ctx.log.debug('identifier-first sign-in: passed the email step');
  return { page: submitted.page, state: await stateAfterSubmit(submitted.page, ctx, submitted.before, 'login') };
}

/**
 * The W3C reliability probe: a resource that cannot exist must not answer 2xx
 * (after redirects), or the site answers 2xx for anything and its
 * /.well-known/change-password means nothing. Asked with the page's request
 * context (cookies and proxy of the browser context); when that cannot reach
 * the site (its Node-side name resolution differs from the browser's), the
 * page itself opens the probe URL.
 */
async function probeReliability(page: Page, origin: string, ctx: NavContext): Promise<boolean> {
  const url = `${origin}${PROBE_PATH}`;
  try {
    const probe = await page.request.get(url, { timeout: ctx.timeouts.probe, failOnStatusCode: false, maxRedirects: 10 });
    const status = probe.status();
    await probe.dispose();
    ctx.log.debug({ origin, status }, 'well-known reliability probe');
    return status < 200 || status > 299;
  } catch (err) {
    ctx.log.debug({ origin, err: safeError(err) }, 'probe request failed; probing with the page');
  }
  try {
    const response = await page.goto(url, { waitUntil: 'domcontentloaded', timeout: ctx.timeouts.probe });
    const status = response?.status() ?? 0;
    ctx.log.debug({ origin, status }, 'well-known reliability probe (page)');
    return status >= 300 || (status > 0 && status < 200);
  } catch {
    return false;
  }
}

/** /.well-known/change-password, when the site's answers can be trusted. Null when not usable. */
async function viaWellKnown(page: Page, serviceUrl: string, ctx: NavContext): Promise<PageState | null> {
  const origin = originOf(serviceUrl);
  if (!/^https?:/.test(origin)) return null;
  const reliable = await probeReliability(page, origin, ctx);
  if (!reliable) return null;
  try {
    const response = await page.goto(`${origin}${CHANGE_PASSWORD_PATH}`, { waitUntil: 'domcontentloaded', timeout: ctx.timeouts.navigation });
    if (!response || response.status() >= 400) return null;
  } catch {
    return null;
  }
  ctx.log.debug({ origin }, 'followed /.well-known/change-password');
  return lookAround(page, ctx);
}

export async function openResetEntry(page: Page, hints: ResetEntryHints, ctx: NavContext): Promise<Landed> {
  let current = page;
  let last: PageState = { kind: 'unknown' };
  /** On a sign-in page (or any page) the forgot link is the way on. */
  const tryForgot = async (): Promise<boolean> => {
    const landed = await followForgotLink(current, ctx);
    if (!landed) return false;
    current = landed.page;
    last = landed.state;
    return isEntry(last);
  };

  if (hints.resetUrl) {
    last = await visit(current, hints.resetUrl, ctx);
    if (isEntry(last) || (await tryForgot())) return { page: current, state: last };
  }

  const wellKnown = await viaWellKnown(current, hints.serviceUrl, ctx);
  if (wellKnown) {
    last = wellKnown;
    if (isEntry(last) || (await tryForgot())) return { page: current, state: last };
  }

  last = await visit(current, hints.serviceUrl, ctx);
  if (isEntry(last) || (await tryForgot())) return { page: current, state: last };

  if (hints.loginUrl) {
    last = await visit(current, hints.loginUrl, ctx);
  } else {
    const landed = await followSignInLink(current, ctx);
    if (landed) {
      current = landed.page;
      last = landed.state;
    }
  }
  if (isEntry(last) || (await tryForgot())) return { page: current, state: last };

  if (hints.accountEmail && last.kind === 'login_form') {
    const passed = await passIdentifierStep(current, hints.accountEmail, ctx);
    if (passed) {
      current = passed.page;
      last = passed.state;
      if (isEntry(last) || (await tryForgot())) return { page: current, state: last };
    }
  }
  ctx.log.info({ origin: originOf(hints.serviceUrl), state: last.kind }, 'no reset entry found');
  return { page: current, state: last };
}
