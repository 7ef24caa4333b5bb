// Who is calling: a session cookie (browser) or an API key (Bearer). Both are
// looked up by the SHA-256 of the token; the raw token is never stored.
// Sessions slide: each use (at most once a minute) pushes the expiry out.
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { hashToken } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import type { AppEnv, Principal } from '../context.js';

export const SESSION_TTL_MS = 30 * 24 * 3_600_000;
export const SUDO_TTL_MS = 5 * 60_000;
const TOUCH_EVERY_MS = 60_000;

export function sessionCookieName(secure: boolean): string {
  return secure ? '__Secure-authjs.session-token' : 'authjs.session-token';
}
export function sudoCookieName(secure: boolean): string {
  return secure ? '__Secure-rekey.sudo' : 'rekey.sudo';
}
export const isHttps = (c: Context<AppEnv>) => c.get('deps').config.appOrigin.startsWith('https:');

/** Resolves the principal if there is one; never rejects by itself. */
export function resolvePrincipal(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { db } = c.get('deps');
    const bearer = /^bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim();
    if (bearer) {
      const key = await db.apiKey.findUnique({ where: { keyHash: hashToken(bearer) }, include: { user: true } });
      const now = new Date();
      if (!key || key.revokedAt || (key.expiresAt && key.expiresAt < now)) {
        throw new AppError('unauthorized', 'Invalid API key');
      }
      if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
        await db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: now } });
      }
      c.set('principal', { userId: key.userId, role: key.user.role as Principal['role'], via: 'api_key', apiKeyId: key.id });
      return next();
    }
    const token = getCookie(c, sessionCookieName(isHttps(c)));
    if (token) {
      const session = await db.session.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
      const now = new Date();
      if (session && !session.revokedAt && session.expiresAt > now) {
        if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
          await db.session.update({
            where: { id: session.id },
            data: { lastSeenAt: now, expiresAt: new Date(now.getTime() + SESSION_TTL_MS) },
          });
        }
        c.set('principal', { userId: session.userId, role: session.user.role as Principal['role'], via: 'session', sessionId: session.id });
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
    const session = await c.get('deps').db.session.findUnique({ where: { id: p.sessionId } });
    if (!session?.sudoHash || session.sudoHash !== hashToken(token) || !session.sudoUntil || session.sudoUntil < new Date()) {
      throw new AppError('sudo_required', 'Confirm your password first (POST /api/auth/sudo)');
    }
    return next();
  };
}
