// CSRF as in programmatic-surface.txt: an unsafe request whose Origin is not
// the app's own (config.appOrigins: APP_ORIGIN, and in development its
// loopback twin) is refused with 403 before anything else runs. No Origin
// passes (server-to-server). Bearer-authenticated requests are exempt (a
// browser never attaches that header on its own), and so are inbound webhook
// receivers, which are HMAC-verified. /codec/* answers the Temporal Web UI.
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../../lib/errors.js';
import type { AppEnv } from '../context.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function csrfProtection(opts: { appOrigins: readonly string[]; temporalUiOrigin: string }): MiddlewareHandler<AppEnv> {
  const own = new Set(opts.appOrigins);
  return async (c, next) => {
    if (SAFE.has(c.req.method)) return next();
    const origin = c.req.header('origin');
    if (!origin || own.has(origin)) return next();
    if (/^bearer\s/i.test(c.req.header('authorization') ?? '')) return next();
    const path = c.req.path;
    if (path.startsWith('/api/hooks/in/')) return next();
    if (path.startsWith('/codec/') && origin === opts.temporalUiOrigin) return next();
    throw new AppError('csrf_rejected', 'Cross-origin request refused');
  };
}
