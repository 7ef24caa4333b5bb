// Scheduled maintenance, called by an outside scheduler (cron, CI, a
// hosting platform's cron) with `Authorization: Bearer <CRON_SECRET>`.
import { createRoute, z } from '@hono/zod-openapi';
import { runRetention } from '../../lib/audit/run-retention.js';
import { safeEqual } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { nowOf } from '../context.js';
import { createApi } from '../create-api.js';
import { errorResponse } from './auth.js';

const count = z.number().int();
const RetentionResult = z
  .object({
    cutoff: z.string().openapi({ format: 'date-time', description: 'Now minus REKEY_RETENTION_DAYS' }),
    pruned: z.object({
      auditEvents: count,
      screenshots: count,
      webhookDeliveries: count,
      taskSteps: count,
      taskSecrets: count,
      otpTokens: count,
      sessions: count,
      mfaChallenges: count,
      accountTokens: count,
      apiKeys: count,
      rateLimitBuckets: count,
      discoveryCache: count,
    }),
  })
  .openapi('RetentionResult');

const retentionRoute = createRoute({
  method: 'post',
  path: '/api/cron/retention',
  tags: ['Operations'],
  summary: 'Prune data past retention',
  description:
    'Deletes audit events, screenshots and webhook deliveries older than REKEY_RETENTION_DAYS, the steps, secrets, screenshots and ' +
    'OTP links of tasks finished before then (the task rows stay), expired or revoked sessions, expired 2FA challenges and ' +
    'rate-limit windows, and old used/expired tokens and revoked/expired API keys. Returns the rows deleted per table.',
  security: [{ cronSecret: [] }],
  responses: {
    200: { description: 'Rows deleted per table', content: { 'application/json': { schema: RetentionResult } } },
    401: errorResponse('Missing or wrong secret'),
    503: errorResponse('CRON_SECRET is not set on this deployment'),
  },
});

export const cronRoutes = createApi().openapi(retentionRoute, async (c) => {
  const deps = c.get('deps');
  const secret = deps.config.cronSecret;
  if (!secret) throw new AppError('unavailable', 'Cron is not configured (CRON_SECRET is unset)');
  const given = /^bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim() ?? '';
  if (!safeEqual(given, secret)) throw new AppError('unauthorized', 'Wrong or missing cron secret');
  const { cutoff, pruned } = await runRetention(deps.db, { now: nowOf(deps), retentionDays: deps.config.retentionDays });
  c.get('log').info({ pruned }, 'retention done');
  return c.json({ cutoff: cutoff.toISOString(), pruned }, 200);
});

cronRoutes.openAPIRegistry.registerComponent('securitySchemes', 'cronSecret', {
  type: 'http',
  scheme: 'bearer',
  description: 'CRON_SECRET',
});
