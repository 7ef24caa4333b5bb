// Liveness, readiness and the health summary of programmatic-surface.txt.
import { createRoute, z } from '@hono/zod-openapi';
import { pingDb } from '../../lib/db/index.js';
import { createApi } from '../create-api.js';

const Health = z
  .object({
    status: z.enum(['ok', 'degraded']),
    db: z.boolean(),
    temporal: z.boolean(),
    email: z.boolean(),
    version: z.string(),
  })
  .openapi('Health');

const healthRoute = createRoute({
  method: 'get',
  path: '/api/health',
  tags: ['Operations'],
  summary: 'Health of the database, Temporal and email',
  responses: {
    200: { description: 'Everything reachable', content: { 'application/json': { schema: Health } } },
    503: { description: 'Database or Temporal unreachable', content: { 'application/json': { schema: Health } } },
  },
});

const liveRoute = createRoute({
  method: 'get',
  path: '/health/live',
  tags: ['Operations'],
  summary: 'The process is up',
  responses: { 200: { description: 'Alive', content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } } } },
});

const Ready = z.object({ status: z.enum(['ready', 'not_ready']), db: z.boolean(), temporal: z.boolean() });
const readyRoute = createRoute({
  method: 'get',
  path: '/health/ready',
  tags: ['Operations'],
  summary: 'Ready to serve: database and Temporal reachable',
  responses: {
    200: { description: 'Ready', content: { 'application/json': { schema: Ready } } },
    503: { description: 'Not ready', content: { 'application/json': { schema: Ready } } },
  },
});

export const healthRoutes = createApi()
  .openapi(healthRoute, async (c) => {
    const { db, temporal, config, version } = c.get('deps');
    const [dbOk, temporalOk] = await Promise.all([pingDb(db), temporal.ping()]);
    const ok = dbOk && temporalOk;
    const body = { status: ok ? ('ok' as const) : ('degraded' as const), db: dbOk, temporal: temporalOk, email: Boolean(config.smtp.url), version };
    return ok ? c.json(body, 200) : c.json(body, 503);
  })
  .openapi(liveRoute, (c) => c.json({ status: 'ok' as const }, 200))
  .openapi(readyRoute, async (c) => {
    const { db, temporal } = c.get('deps');
    const [dbOk, temporalOk] = await Promise.all([pingDb(db), temporal.ping()]);
    const body = { status: dbOk && temporalOk ? ('ready' as const) : ('not_ready' as const), db: dbOk, temporal: temporalOk };
    return dbOk && temporalOk ? c.json(body, 200) : c.json(body, 503);
  });
