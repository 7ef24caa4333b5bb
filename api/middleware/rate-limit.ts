// Throttling for routes: `rateLimit({ rule, subject })` counts every request
// that reaches it in a DB-backed fixed window (lib/rate-limit) shared by all
// API processes, and answers 429 with Retry-After once the rule's limit is
// used up. Subjects are hashed before they are stored.
//
//   createRoute({ ..., middleware: [requireUser(), rateLimit({ rule: rateLimits.taskCreationUser, subject: byUser })] })
//
// Failure-only throttles (sign-in) call lib/rate-limit directly instead.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { ipThrottleSubject, resolveClientIp } from '../../lib/rate-limit/client-ip.js';
import { assertWithinLimits, consumeRateLimit } from '../../lib/rate-limit/rate-limit-store.js';
import type { RateLimitRule } from '../../lib/rate-limit/rules.js';
import { nowOf, type AppEnv } from '../context.js';

/**
 * The client's address: the socket's, or — only when REKEY_TRUST_PROXY says
 * how many proxies sit in front — the X-Forwarded-For entry the outermost
 * trusted proxy wrote. Undefined when unknown (e.g. `app.request` in tests
 * without a socket).
 */
export function clientIp(c: Context<AppEnv>): string | undefined {
  let socketAddress: string | undefined;
  try {
    socketAddress = getConnInfo(c).remote.address;
  } catch {
    socketAddress = undefined; // not served by @hono/node-server
  }
  return resolveClientIp({
    socketAddress,
    forwardedFor: c.req.header('x-forwarded-for'),
    trustProxyHops: c.get('deps').config.trustProxyHops,
  });
}

/** Subject: the client address (IPv6 by /64). */
export const byClientIp = (c: Context<AppEnv>): string => ipThrottleSubject(clientIp(c));

/** Subject: the authenticated user (put the middleware after requireUser()). */
export const byUser = (c: Context<AppEnv>): string => c.get('principal')?.userId ?? `anonymous:${ipThrottleSubject(clientIp(c))}`;

export function rateLimit(opts: {
  rule: RateLimitRule;
  subject: (c: Context<AppEnv>) => string | Promise<string>;
  message?: string;
}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const deps = c.get('deps');
    const result = await consumeRateLimit(deps.db, { rule: opts.rule, subject: await opts.subject(c), now: nowOf(deps) });
    assertWithinLimits([result], opts.message ?? 'Too many requests. Try again later.');
    return next();
  };
}
