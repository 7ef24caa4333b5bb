// Liveness, readiness and the health summary of programmatic-surface.txt.
// The HTTP status follows what the API itself needs (database, Temporal); the
// body also names every part a reset needs that is missing — a worker, a
// browser, the sandbox mailbox — so a start without Chromium or Dovecot is
// visible here rather than in a reset that never moves.
import { createRoute, z } from '@hono/zod-openapi';
import { existsSync } from 'node:fs';
import { pingDb } from '../../lib/db/index.js';
import { describeResetWorkers } from '../../lib/temporal/reset-workers.js';
import { sandboxInfoFile } from '../../sandbox/sandbox-info.js';
import type { AppDeps } from '../context.js';
import { createApi } from '../create-api.js';

const Component = z.enum(['database', 'temporal', 'worker', 'browser', 'mailbox sandbox']);
const Components = {
  worker: z.boolean().openapi({ description: 'A worker polls the reset queues' }),
  browser: z.boolean().openapi({ description: 'A worker with a browser polls them: resets can run' }),
  sandbox: z.enum(['up', 'down', 'off']).openapi({ description: 'The sandbox sites and mailbox (off: REKEY_SANDBOX is off)' }),
  missing: z
    .array(z.object({ component: Component, message: z.string() }))
    .openapi({ description: 'What is missing and what to do about it, for people' }),
};

const Health = z
  .object({
    status: z.enum(['ok', 'degraded']),
    db: z.boolean(),
    temporal: z.boolean(),
    email: z.boolean(),
    ...Components,
    version: z.string(),
  })
  .openapi('Health');

const healthRoute = createRoute({
  method: 'get',
  path: '/api/health',
  tags: ['Operations'],
  summary: 'Health of the database, Temporal, the workers, the browser, the sandbox and email',
  description: '`status` is `degraded` when anything in `missing` is; the HTTP status is 503 only when the database or Temporal is unreachable.',
  responses: {
    200: { description: 'The API can serve (see `missing` for parts that are not there)', content: { 'application/json': { schema: Health } } },
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

const Ready = z.object({ status: z.enum(['ready', 'not_ready']), db: z.boolean(), temporal: z.boolean(), ...Components });
const readyRoute = createRoute({
  method: 'get',
  path: '/health/ready',
  tags: ['Operations'],
  summary: 'Ready to serve: database and Temporal reachable (the other parts are reported, not required)',
  responses: {
    200: { description: 'Ready', content: { 'application/json': { schema: Ready } } },
    503: { description: 'Not ready', content: { 'application/json': { schema: Ready } } },
  },
});

const messages: Record<z.infer<typeof Component>, string> = {
  database: 'The database cannot be reached.',
  temporal: 'Temporal cannot be reached, so no reset can start or make progress.',
  worker: 'No worker is running, so resets cannot run. Start the worker (npm start runs one).',
  browser:
    'No worker has a browser, so resets cannot run. Install Chromium on the worker machine (on Debian: apt-get install chromium) and restart the worker.',
  'mailbox sandbox':
    'The sandbox mailbox is not running, so the sandbox sites cannot send reset emails. Install Dovecot (on Debian: apt-get install dovecot-imapd) and restart Rekey.',
};

async function checkAll(deps: AppDeps) {
  const { db, temporal, config } = deps;
  const [dbOk, temporalOk] = await Promise.all([pingDb(db), temporal.ping()]);
  const workers = temporalOk
    ? await temporal
        .client()
        .then((client) => describeResetWorkers(client, config.temporal.taskQueue))
        .catch(() => ({ worker: false, browser: false }))
    : { worker: false, browser: false };
  const sandbox = !config.sandbox ? ('off' as const) : existsSync(sandboxInfoFile(config)) ? ('up' as const) : ('down' as const);
  const missing = [
    ...(dbOk ? [] : (['database'] as const)),
    ...(temporalOk ? [] : (['temporal'] as const)),
    // Without Temporal nothing can be said about the workers; its own entry says enough.
    ...(temporalOk && !workers.worker ? (['worker'] as const) : []),
    ...(workers.worker && !workers.browser ? (['browser'] as const) : []),
    ...(sandbox === 'down' ? (['mailbox sandbox'] as const) : []),
  ].map((component) => ({ component, message: messages[component] }));
  return { dbOk, temporalOk, components: { ...workers, sandbox, missing } };
}

export const healthRoutes = createApi()
  .openapi(healthRoute, async (c) => {
    const { config, version } = c.get('deps');
    const { dbOk, temporalOk, components } = await checkAll(c.get('deps'));
    const body = {
      status: components.missing.length === 0 ? ('ok' as const) : ('degraded' as const),
      db: dbOk,
      temporal: temporalOk,
      // Account emails are deliverable: by SMTP, or (development) to the local outbox.
      email: Boolean(config.smtp.url || config.devOutbox),
      ...components,
      version,
    };
    return dbOk && temporalOk ? c.json(body, 200) : c.json(body, 503);
  })
  .openapi(liveRoute, (c) => c.json({ status: 'ok' as const }, 200))
  .openapi(readyRoute, async (c) => {
    const { dbOk, temporalOk, components } = await checkAll(c.get('deps'));
    const body = { status: dbOk && temporalOk ? ('ready' as const) : ('not_ready' as const), db: dbOk, temporal: temporalOk, ...components };
    return dbOk && temporalOk ? c.json(body, 200) : c.json(body, 503);
  });
