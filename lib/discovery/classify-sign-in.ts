// Pure: from what pages show to the ways a person signs in, and to the
// sign-up and forgot-password links. Evidence, strongest first:
//   - where a control leads: Google, Apple, Microsoft and GitHub sign-in
//     endpoints, or a same-site auth path that names the provider
//     (`/auth/google`, `?provider=github`); `/sso`, `/passkey`, `/magic-link`;
//   - what a control is called: "Continue with Google", "Sign in with a
//     passkey", "Email me a sign-in link", "Single sign-on (SSO)";
//   - fields: a password field, `autocomplete="… webauthn"`;
//   - on the sign-in page only, the same phrases in plain text.
// A sign-in page that asks for an email or username alone (the first step of
// a two-step sign-in) and offers no link by email counts as email + password.
import { classifyPage } from '../../activities/browser/navigator/detect-page-state.js';
import { classifyFields, isAccountField } from '../../activities/browser/navigator/locate-fields.js';
import type { ScannedAction } from '../../activities/browser/navigator/page-agent.js';
import { FORGOT_PASSWORD } from '../../activities/browser/navigator/vocabulary.js';
import { hostBelongsTo, registrableDomain } from '../domains.js';
import type { PageSignals } from './page-signals.js';
import {
  AUTH_PATH_SEGMENT,
  FORGOT_HREF,
  MAGIC_LINK,
  MAGIC_LINK_HREF,
  NOT_A_SIGN_IN_PRODUCT,
  NOT_SIGN_UP,
  PASSKEY,
  PASSKEY_HREF,
  PASSWORD_OPTION,
  PROVIDER_PARAMS,
  providerAlone,
  providerPhrase,
  providers,
  SIGN_UP,
  SIGN_UP_HREF,
  signInMethods,
  SSO,
  SSO_HREF,
  type Provider,
  type SignInMethod,
} from './sign-in-vocabulary.js';

/** The site being looked at: its URL, and the catalog's domains for it when known (sign-up may live on another one). */
export interface SiteScope {
  url: string;
  domains?: readonly string[];
}

export interface ExaminedPage {
  signals: PageSignals;
  /** The page people sign in on (plain-text phrases count there, and a lone email field means a two-step sign-in). */
  signInPage: boolean;
}

const compiled = providers.map((p) => ({ ...p, phrase: providerPhrase(p.word), alone: providerAlone(p.word) }));
const PASSWORD_WORD = /pass\s?word|mot\s+de\s+passe|passwort|kennwort|contrase[ñn]a|senha|palavra-passe|wachtwoord/i;
const MAX_TEXT_LINE = 160;

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

function httpUrl(href: string): URL | null {
  if (!href) return null;
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

export function isSameSite(url: URL, scope: SiteScope): boolean {
  const own = registrableDomain(scope.url);
  return (own !== null && registrableDomain(url.hostname) === own) || hostBelongsTo(url.hostname, scope.domains ?? []);
}

/** A provider's own sign-in endpoint (accounts.google.com, appleid.apple.com/auth/…). */
function providerAt(url: URL): Provider['method'] | null {
  const hostPath = `${url.hostname}${url.pathname}`;
  return compiled.find((p) => p.endpoint.test(hostPath))?.method ?? null;
}

/** A same-site auth route that names its provider: `/auth/google`, `/users/auth/github`, `/login?provider=apple`. */
function providerInAuthPath(url: URL, scope: SiteScope): Provider['method'] | null {
  if (!isSameSite(url, scope)) return null;
  const segments = url.pathname.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  const named = (value: string) => compiled.find((p) => p.slug.test(value))?.method ?? null;
  if (segments.some((s) => AUTH_PATH_SEGMENT.test(s))) {
    for (const segment of segments) {
      const method = named(segment);
      if (method) return method;
    }
  }
  for (const param of PROVIDER_PARAMS) {
    const value = url.searchParams.get(param);
    const method = value ? named(value) : null;
    if (method) return method;
  }
  return null;
}

function methodsOfAction(action: ScannedAction, scope: SiteScope, found: Set<SignInMethod>): void {
  const name = oneLine(action.name);
  const target = httpUrl(action.href);
  const sameSite = !!target && isSameSite(target, scope);
  const leadsTo = target ? (providerAt(target) ?? providerInAuthPath(target, scope)) : null;
  if (leadsTo) found.add(leadsTo);
  if (name && !NOT_A_SIGN_IN_PRODUCT.test(name)) {
    for (const p of compiled) {
      // A bare "Google" is a sign-in button, or a link into a sign-in route; a bare "GitHub" link is usually the repository.
      if (p.phrase.test(name) || (p.alone.test(name) && (action.kind === 'button' || leadsTo === p.method))) found.add(p.method);
    }
  }
  const path = target ? `${target.pathname}${target.search}` : '';
  if (PASSKEY.test(name) || (sameSite && PASSKEY_HREF.test(path))) found.add('passkey');
  if (MAGIC_LINK.test(name) || (sameSite && MAGIC_LINK_HREF.test(path))) found.add('magic_link');
  if (SSO.test(name) || (sameSite && SSO_HREF.test(path))) found.add('sso');
  if (PASSWORD_OPTION.test(name) || (FORGOT_PASSWORD.test(name) && PASSWORD_WORD.test(name))) found.add('email_password');
}

function methodsOfText(text: string, found: Set<SignInMethod>): void {
  for (const raw of text.split('\n')) {
    const line = oneLine(raw);
    if (!line || line.length > MAX_TEXT_LINE) continue;
    if (!NOT_A_SIGN_IN_PRODUCT.test(line)) for (const p of compiled) if (p.phrase.test(line)) found.add(p.method);
    if (PASSKEY.test(line)) found.add('passkey');
    if (MAGIC_LINK.test(line)) found.add('magic_link');
    if (SSO.test(line)) found.add('sso');
  }
}

/** Whether the page is a sign-in page (a password field, or an account field in a sign-in context). */
export function isSignInPage(signals: PageSignals): boolean {
  return classifyPage(signals.frames).kind === 'login_form';
}

/** The sign-in methods the pages offer, in the order of `signInMethods`. */
export function detectSignInMethods(pages: readonly ExaminedPage[], scope: SiteScope): SignInMethod[] {
  const found = new Set<SignInMethod>();
  for (const { signals, signInPage } of pages) {
    for (const frame of signals.frames) {
      for (const action of frame.actions) methodsOfAction(action, scope, found);
      for (const field of frame.fields) {
        if (field.type === 'password') found.add('email_password');
        if (/(?:^|\s)webauthn(?:\s|$)/.test(field.autocomplete)) found.add('passkey');
      }
      if (signInPage) methodsOfText(frame.text, found);
    }
    for (const address of [...signals.formActions, ...signals.frameUrls, ...signals.scriptSrcs]) {
      const url = httpUrl(address);
      const method = url ? (providerAt(url) ?? providerInAuthPath(url, scope)) : null;
      if (method) found.add(method);
    }
  }
  const twoStep = pages.some(
    ({ signals, signInPage }) => signInPage && isSignInPage(signals) && classifyFields(signals.frames).some((f) => isAccountField(f.kind)),
  );
  if (twoStep && !found.has('magic_link')) found.add('email_password');
  return signInMethods.filter((m) => found.has(m));
}

/**
 * The best same-site link: named like one (2 points), pointing at a path like one
 * (1 point); pages in the order given, then document order, break ties.
 */
function pickLink(
  pages: readonly PageSignals[],
  scope: SiteScope,
  named: (name: string) => boolean,
  href: RegExp,
  excluded: (name: string, path: string) => boolean = () => false,
): string | null {
  let best: { url: string; score: number } | null = null;
  for (const page of pages) {
    for (const action of page.frames.flatMap((f) => f.actions)) {
      const target = httpUrl(action.href);
      if (!target || !isSameSite(target, scope)) continue;
      const name = oneLine(action.name);
      const path = `${target.pathname}${target.search}${target.hash}`;
      if (excluded(name, path)) continue;
      const score = (named(name) ? 2 : 0) + (href.test(path) ? 1 : 0);
      if (score > (best?.score ?? 0)) best = { url: target.href, score };
    }
  }
  return best?.url ?? null;
}

/** "Sign up", "Create account", "Register", "S'inscrire", "Registrieren", "新規登録"… — not newsletter sign-ups. */
export function findSignUpUrl(pages: readonly PageSignals[], scope: SiteScope): string | null {
  return pickLink(pages, scope, (name) => SIGN_UP.test(name), SIGN_UP_HREF, (name, path) => NOT_SIGN_UP.test(name) || NOT_SIGN_UP.test(path));
}

/** "Forgot password?" and its translations, or a link to a recovery path. */
export function findForgotPasswordUrl(pages: readonly PageSignals[], scope: SiteScope): string | null {
  return pickLink(pages, scope, (name) => FORGOT_PASSWORD.test(name), FORGOT_HREF);
}
