// Who is calling: a session cookie (browser) or an API key (Bearer). Both are
// looked up by the SHA-256 of the token; the raw token is never stored.
// Sessions slide: each use (at most once a minute) pushes the expiry out, in
// the database and in the cookie. Time comes from AppDeps.now (tests move it).
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AccountDeps, RequestMeta } from '../../lib/accounts/deps.js';
import { SESSION_TOUCH_EVERY_MS, SESSION_TTL_MS, SUDO_TTL_MS } from '../../lib/accounts/policy.js';
import { findApiKeyByHash, findSessionByTokenHash } from '../../lib/accounts/find-credential.js';
import { argon2Hasher } from '../../lib/accounts/password-hash.js';
import { hashToken, safeEqual } from '../../lib/crypto.js';
import { resolveMailer } from '../../lib/email/mailer.js';
import { AppError } from '../../lib/errors.js';
import { nowOf, type AppEnv, type Principal } from '../context.js';
import { clientIp } from './rate-limit.js';

export { SESSION_TTL_MS, SUDO_TTL_MS };
const TOUCH_EVERY_MS = SESSION_TOUCH_EVERY_MS;

export function sessionCookieName(secure: boolean): string {
  return secure ? '__Secure-authjs.session-token' : 'authjs.session-token';
}
export function sudoCookieName(secure: boolean): string {
  return secure ? '__Secure-rekey.sudo' : 'rekey.sudo';
}
export const isHttps = (c: Context<AppEnv>) => c.get('deps').config.appOrigin.startsWith('https:');

/** Routes that authenticate a Bearer token of their own (CRON_SECRET), not an API key. */
const OWN_BEARER_PATHS = ['/api/cron/'];

/**
 * Resolves the principal if there is one. A Bearer token that is not a live
 * API key is refused (401) rather than ignored, so a script with a revoked
 * key fails loudly; a stale or revoked session cookie is simply anonymous.
 */
export function resolvePrincipal(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const deps = c.get('deps');
    const { db } = deps;
    if (OWN_BEARER_PATHS.some((p) => c.req.path.startsWith(p))) return next();
    const bearer = /^bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim();
    if (bearer) {
      const key = await findApiKeyByHash(db, hashToken(bearer));
      const now = nowOf(deps);
      if (!key || key.revokedAt || (key.expiresAt && key.expiresAt < now)) {
        throw new AppError('unauthorized', 'Invalid API key');
      }
      if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
        await db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: now } });
      }
      c.set('principal', { userId: key.userId, role: key.role as Principal['role'], via: 'api_key', apiKeyId: key.id });
      return next();
    }
    const token = getCookie(c, sessionCookieName(isHttps(c)));
    if (token) {
      const session = await findSessionByTokenHash(db, hashToken(token));
      const now = nowOf(deps);
      if (session && !session.revokedAt && session.expiresAt > now) {
        if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
          const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
          // Conditional: a revocation that lands meanwhile is not undone.
          await db.session.updateMany({ where: { id: session.id, revokedAt: null }, data: { lastSeenAt: now, expiresAt } });
          setSessionCookie(c, token);
        }
        c.set('principal', { userId: session.userId, role: session.role as Principal['role'], via: 'session', sessionId: session.id });
      }
    }
    return next();
  };
}

/** 401 unless signed in (cookie) or using an API key. */
export function requireUser(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!c.get('principal')) throw new AppError('unauthorized', 'Sign in or use an API key');
    return next();
  };
}

export function requireStaff(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const p = c.get('principal');
    if (!p) throw new AppError('unauthorized', 'Sign in or use an API key');
    if (p.role !== 'staff') throw new AppError('forbidden', 'Staff only');
    return next();
  };
}

/** The caller, in a handler behind requireUser(). */
export function principalOf(c: Context<AppEnv>): Principal {
  const p = c.get('principal');
  if (!p) throw new AppError('unauthorized', 'Sign in or use an API key');
  return p;
}

/**
 * A sudo grant younger than 5 minutes: the sudo cookie (SameSite=Strict) whose
 * hash is stored on the caller's session. API keys cannot hold sudo.
 */
export function requireSudo(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const p = principalOf(c);
    const token = getCookie(c, sudoCookieName(isHttps(c)));
    if (p.via !== 'session' || !p.sessionId || !token) throw new AppError('sudo_required', 'Confirm your password first (POST /api/auth/sudo)');
    const deps = c.get('deps');
    const session = await deps.db.session.findUnique({ where: { id: p.sessionId } });
    if (
      !session?.sudoHash ||
      session.revokedAt ||
      !safeEqual(session.sudoHash, hashToken(token)) ||
      !session.sudoUntil ||
      session.sudoUntil <= nowOf(deps)
    ) {
      throw new AppError('sudo_required', 'Confirm your password first (POST /api/auth/sudo)');
    }
    return next();
  };
}

/** 403 unless the caller is a browser session (sudo and sign-out need one; API keys cannot). */
export function requireSession(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const p = principalOf(c);
    if (p.via !== 'session' || !p.sessionId) throw new AppError('forbidden', 'This needs a signed-in browser session, not an API key');
    return next();
  };
}

const cookieBase = (c: Context<AppEnv>) => ({ path: '/', httpOnly: true, secure: isHttps(c) });

/** The session cookie: httpOnly, SameSite=Lax, Path=/, Secure over HTTPS; lives as long as the session. */
export function setSessionCookie(c: Context<AppEnv>, token: string): void {
  setCookie(c, sessionCookieName(isHttps(c)), token, { ...cookieBase(c), sameSite: 'Lax', maxAge: Math.floor(SESSION_TTL_MS / 1000) });
}

/** The sudo cookie: SameSite=Strict (never rides a cross-site navigation), 5 minutes. */
export function setSudoCookie(c: Context<AppEnv>, token: string): void {
  setCookie(c, sudoCookieName(isHttps(c)), token, { ...cookieBase(c), sameSite: 'Strict', maxAge: Math.floor(SUDO_TTL_MS / 1000) });
}

export function clearAuthCookies(c: Context<AppEnv>): void {
  const https = isHttps(c);
  deleteCookie(c, sessionCookieName(https), { ...cookieBase(c), sameSite: 'Lax' });
  deleteCookie(c, sudoCookieName(https), { ...cookieBase(c), sameSite: 'Strict' });
}

/** What account business functions need, from the app's services. */
export function accountDepsOf(c: Context<AppEnv>): AccountDeps {
  const deps = c.get('deps');
  return {
    db: deps.db,
    config: deps.config,
    keyring: deps.keyring,
    logger: c.get('log') ?? deps.logger,
    mailer: resolveMailer(deps),
    now: () => nowOf(deps),
    passwordHasher: deps.passwordHasher ?? argon2Hasher,
  };
}

/** Client address (see clientIp) and User-Agent, for sessions, throttles and the audit log. */
export function requestMetaOf(c: Context<AppEnv>): RequestMeta {
  return { ip: clientIp(c), userAgent: c.req.header('user-agent')?.slice(0, 512) };
}
