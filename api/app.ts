// The Hono app: request id, per-request logger, security headers, CSRF, one
// error shape for everything, then one sub-app per resource.
import { z } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { AppError, errorStatus } from '../lib/errors.js';
import type { AppDeps } from './context.js';
import { createApi } from './create-api.js';
import { csrfProtection } from './middleware/csrf.js';
import { rejectMalformedText } from './middleware/malformed-text.js';
import { resolvePrincipal } from './middleware/auth.js';
import { codecRoutes } from './routes/codec.js';
import { mountRoutes } from './routes/index.js';

export function createApp(deps: AppDeps) {
  const app = createApi();
  const https = deps.config.appOrigin.startsWith('https:');

  app.use('*', requestId());
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    c.set('log', deps.logger.child({ requestId: c.get('requestId') }));
    await next();
  });
  app.use(
    '*',
    secureHeaders({
      xFrameOptions: 'DENY',
      referrerPolicy: 'no-referrer',
      xContentTypeOptions: 'nosniff',
      strictTransportSecurity: https ? 'max-age=31536000; includeSubDomains' : false,
      crossOriginResourcePolicy: 'same-origin',
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
      },
    }),
  );
  app.use('*', csrfProtection({ appOrigins: deps.config.appOrigins, temporalUiOrigin: deps.config.temporal.uiOrigin }));
  app.use('*', rejectMalformedText());

  app.onError((err, c) => {
    if (err instanceof AppError) {
      if (err.details?.retryAfterSeconds) c.header('Retry-After', String(err.details.retryAfterSeconds));
      return c.json({ error: { code: err.code, message: err.message, ...(err.details?.field ? { field: err.details.field } : {}) } }, err.status as 400);
    }
    if (err instanceof HTTPException) {
      const status = err.status;
      const code = (Object.entries(errorStatus).find(([, s]) => s === status)?.[0] ?? 'bad_request') as string;
      return c.json({ error: { code, message: err.message || 'Request failed' } }, status);
    }
    c.get('log')?.error({ err }, 'unhandled error');
    return c.json({ error: { code: 'internal', message: 'Internal error' } }, 500);
  });
  app.notFound((c) => c.json({ error: { code: 'not_found', message: 'Not found' } }, 404));

  app.use('/api/*', resolvePrincipal());
  mountRoutes(app);
  app.route('/', codecRoutes(deps.config.temporal.uiOrigin));

  // The document lists itself too: it is part of the contract.
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/openapi.json',
    tags: ['Operations'],
    summary: 'This OpenAPI 3.1 document, generated from the route definitions',
    responses: { 200: { description: 'The OpenAPI document', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } } },
  });
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Rekey API', version: deps.version, description: 'Durable password resets.' },
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
