import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { Secret, TOTP } from 'otpauth';
import { html, logoPng, logoSvg, type Html } from './layout.js';
import type { Brand, Clock, OutgoingMail, SiteContext } from './types.js';
import type { UserRecord } from './user-store.js';

// ---------------------------------------------------------------------------
// Sessions and short-lived flow state
// ---------------------------------------------------------------------------

interface Session {
  userId: string;
  email: string;
  createdAt: number;
}

/** Signed-in sessions of one site, keyed by an opaque cookie. */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    readonly cookieName: string,
    private readonly clock: Clock,
  ) {}

  start(c: Context, user: UserRecord): void {
    const id = randomBytes(18).toString('base64url');
    this.sessions.set(id, { userId: user.id, email: user.email, createdAt: this.clock.now() });
    setCookie(c, this.cookieName, id, { path: '/', httpOnly: true, sameSite: 'Lax' });
  }

  current(c: Context): Session | undefined {
    const id = getCookie(c, this.cookieName);
    return id ? this.sessions.get(id) : undefined;
  }

  end(c: Context): void {
    const id = getCookie(c, this.cookieName);
    if (id) this.sessions.delete(id);
    deleteCookie(c, this.cookieName, { path: '/' });
  }

  /** A password change signs the user out everywhere, as real sites do. */
  revokeUser(userId: string): void {
    for (const [id, session] of this.sessions) if (session.userId === userId) this.sessions.delete(id);
  }
}

/** In-memory state for multi-request flows (pending 2FA sign-in, request ids). */
export class FlowStore<T> {
  private readonly entries = new Map<string, { data: T; expiresAt: number }>();

  constructor(private readonly clock: Clock) {}

  create(data: T, ttlMs: number): string {
    const id = randomBytes(15).toString('base64url');
    this.entries.set(id, { data, expiresAt: this.clock.now() + ttlMs });
    return id;
  }

  get(id: string | undefined): T | undefined {
    if (!id) return undefined;
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (this.clock.now() >= entry.expiresAt) {
      this.entries.delete(id);
      return undefined;
    }
    return entry.data;
  }

  delete(id: string | undefined): void {
    if (id) this.entries.delete(id);
  }
}

// ---------------------------------------------------------------------------
// Forms, CSRF, TOTP
// ---------------------------------------------------------------------------

export type FormBody = Record<string, string | File | (string | File)[]>;

export async function readForm(c: Context): Promise<FormBody> {
  return (await c.req.parseBody({ all: true })) as FormBody;
}

export function field(body: FormBody, name: string): string {
  const value = body[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

/** Double-submit CSRF token: a cookie and a hidden field that must match. */
export function csrfToken(c: Context, cookieName: string): string {
  const existing = getCookie(c, cookieName);
  if (existing) return existing;
  const token = randomBytes(20).toString('base64url');
  setCookie(c, cookieName, token, { path: '/', httpOnly: true, sameSite: 'Lax' });
  return token;
}

export function csrfValid(c: Context, cookieName: string, submitted: string): boolean {
  const expected = getCookie(c, cookieName);
  if (!expected || !submitted || expected.length !== submitted.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(submitted));
}

/** otpauth TOTP (SHA1, 6 digits, 30 s), one step of drift either way. Wall clock, not the sandbox clock. */
export function totpValid(secret: string, code: string): boolean {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return false;
  const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
  return totp.validate({ token, window: 1 }) !== null;
}

// ---------------------------------------------------------------------------
// Reset helpers shared by the sites
// ---------------------------------------------------------------------------

/**
 * Issues a reset-link token for `email` (voiding earlier ones) and mails it.
 * Returns the user, or undefined when no account has that email (nothing sent).
 */
export async function sendResetLink(
  ctx: SiteContext,
  email: string,
  options: { url: (secret: string, user: UserRecord) => string; mail: (user: UserRecord, url: string) => Omit<OutgoingMail, 'to'> },
): Promise<UserRecord | undefined> {
  const user = ctx.users.findByEmail(email);
  if (!user) return undefined;
  const { secret } = ctx.users.issueToken({ userId: user.id, purpose: 'reset-link', ttlMs: ctx.tokenTtlMs });
  const url = options.url(secret, user);
  await ctx.sendMail({ to: user.email, ...options.mail(user, url) });
  return user;
}

/** Sets the new password, uses up the given tokens and signs the user out everywhere. */
export function completeReset(ctx: SiteContext, user: UserRecord, password: string, tokenIds: string[]): void {
  for (const id of tokenIds) ctx.users.consumeToken(id);
  ctx.users.setPassword(user.id, password);
  ctx.sessions.revokeUser(user.id);
}

// ---------------------------------------------------------------------------
// The base app of every site
// ---------------------------------------------------------------------------

export type Shell = (c: Context, title: string, body: Html) => Html;

const commonText = {
  en: {
    notFoundTitle: 'Page not found',
    notFound: "Sorry, we couldn't find that page.",
    home: 'Go to the home page',
    errorTitle: 'Something went wrong',
    error: 'Something went wrong on our side. Please try again in a moment.',
    privacyTitle: 'Privacy policy',
    privacy: 'We only keep the data we need to run your account. We never sell it.',
    termsTitle: 'Terms of service',
    terms: 'By using this service you agree to use it lawfully and kindly.',
    helpTitle: 'Help centre',
    help: 'Browse our guides or write to our support team; we usually answer within a day.',
    unsubscribeTitle: 'Unsubscribed',
    unsubscribe: 'You will no longer receive product news by email. Security emails are still sent.',
  },
  fr: {
    notFoundTitle: 'Page introuvable',
    notFound: 'Désolé, cette page n’existe pas.',
    home: 'Retour à l’accueil',
    errorTitle: 'Une erreur est survenue',
    error: 'Une erreur est survenue de notre côté. Veuillez réessayer dans un instant.',
    privacyTitle: 'Politique de confidentialité',
    privacy: 'Nous ne conservons que les données nécessaires à votre compte. Nous ne les vendons jamais.',
    termsTitle: 'Conditions générales',
    terms: 'En utilisant ce service, vous acceptez de l’utiliser de manière loyale.',
    helpTitle: 'Aide',
    help: 'Consultez nos guides ou écrivez à notre service client ; nous répondons sous 24 h.',
    unsubscribeTitle: 'Désinscription confirmée',
    unsubscribe: 'Vous ne recevrez plus nos actualités par e-mail. Les e-mails de sécurité restent envoyés.',
  },
};

function textFor(language: string): (typeof commonText)['en'] {
  return language.startsWith('fr') ? commonText.fr : commonText.en;
}

/**
 * A site's Hono app with what every site has: logo and favicon, legal and
 * help pages, the email footer targets, robots.txt, an optional
 * `/.well-known/change-password` redirect, and a real 404 for everything else.
 */
export function createSiteApp(
  ctx: SiteContext,
  options: { brand: Brand; shell: Shell; changePasswordPath?: string },
): Hono {
  const app = new Hono();
  const t = textFor(ctx.language);
  const svg = logoSvg(options.brand);
  const png = logoPng(options.brand);
  const simple = (c: Context, title: string, text: string, status: 200 | 404 | 500 = 200) =>
    c.html(options.shell(c, title, html`<section class="static-page"><h1>${title}</h1><p>${text}</p><p><a href="/">${t.home}</a></p></section>`), status);

  app.use('*', async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    if (!c.res.headers.has('X-Frame-Options')) c.header('X-Frame-Options', 'DENY');
  });

  app.get('/static/logo.svg', (c) => c.body(svg, 200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'max-age=3600' }));
  app.get('/static/email-logo.png', (c) => c.body(new Uint8Array(png), 200, { 'Content-Type': 'image/png', 'Cache-Control': 'max-age=3600' }));
  app.get('/favicon.ico', (c) => c.body(new Uint8Array(png), 200, { 'Content-Type': 'image/png', 'Cache-Control': 'max-age=3600' }));
  app.get('/robots.txt', (c) => c.text('User-agent: *\nDisallow: /account\n'));
  app.get('/privacy', (c) => simple(c, t.privacyTitle, t.privacy));
  app.get('/terms', (c) => simple(c, t.termsTitle, t.terms));
  app.get('/help', (c) => simple(c, t.helpTitle, t.help));
  app.get('/email/unsubscribe', (c) => simple(c, t.unsubscribeTitle, t.unsubscribe));
  if (options.changePasswordPath) {
    const target = options.changePasswordPath;
    app.get('/.well-known/change-password', (c) => c.redirect(target, 302));
  }

  app.notFound((c) => simple(c, t.notFoundTitle, t.notFound, 404));
  app.onError((error, c) => {
    console.error(`[sandbox:${ctx.slug}]`, error);
    return simple(c, t.errorTitle, t.error, 500);
  });
  return app;
}
