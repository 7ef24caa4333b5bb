// Reset jobs (reset-api.txt "Job status"): one task's status and steps, the
// person's list, retry and cancel. Read from the database, so they answer
// while no worker runs. Another person's id is the same 404 as an unknown one.
import { createRoute, z } from '@hono/zod-openapi';
import { rateLimits } from '../../lib/rate-limit/rules.js';
import { cancelJob } from '../../lib/tasks/cancel-job.js';
import { getJob } from '../../lib/tasks/get-job.js';
import { listJobs } from '../../lib/tasks/list-jobs.js';
import { retryJob } from '../../lib/tasks/retry-job.js';
import { temporalClient } from '../../lib/tasks/temporal-client.js';
import { MAX_PAGE_SIZE } from '../../lib/accounts/paginate.js';
import { createApi } from '../create-api.js';
import { principalOf, requireUser } from '../middleware/auth.js';
import { byUser, rateLimit } from '../middleware/rate-limit.js';
import { errorResponse, rateLimitedResponse, signedIn } from './auth.js';

// ---- schemas ----

const JobStep = z
  .object({
    name: z.string().openapi({ example: 'navigate' }),
    status: z.enum(['pending', 'running', 'completed', 'failed', 'skipped']).or(z.string()),
    duration: z.number().int().nullable().openapi({ description: 'Milliseconds; null until the step ends', example: 1200 }),
  })
  .openapi('JobStep');

const Job = z
  .object({
    id: z.string(),
    status: z.string().openapi({ description: 'pending, running, waiting_for_email, waiting_for_otp, captcha_required, completed, failed or cancelled', example: 'completed' }),
    service: z.string().openapi({ example: 'Netflix' }),
    serviceId: z.string().openapi({ example: 'netflix' }),
    createdAt: z.string(),
    startedAt: z.string().nullable().openapi({ example: '2026-03-04T12:00:00Z' }),
    completedAt: z.string().nullable().openapi({ example: '2026-03-04T12:02:30Z' }),
    steps: z.array(JobStep),
    failure: z.object({ type: z.string(), reason: z.string() }).nullable().openapi({ description: 'Why it failed or was cancelled' }),
    retryOf: z.string().nullable().openapi({ description: 'The job this one retries' }),
    confirmed: z.boolean().nullable().openapi({
      description:
        'Completed jobs: true when the site or a sign-in confirmed the change; false when neither could, and the new password waits, ' +
        '`pending` in the vault, for the person to confirm it (POST /api/passwords/{id}/pending/confirm) or go back to the previous one ' +
        '(POST /api/passwords/{id}/pending/discard). null until completed.',
    }),
  })
  .openapi('Job');

const JobPage = z.object({ items: z.array(Job), nextCursor: z.string().nullable() }).openapi('JobPage');

const IdParam = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' }, description: 'The task id' }) });
const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).optional().openapi({ param: { name: 'limit', in: 'query' } }),
  cursor: z.string().max(500).optional().openapi({ param: { name: 'cursor', in: 'query' }, description: 'nextCursor of the previous page (opaque)' }),
});

const Retried = z
  .object({ taskId: z.string(), status: z.literal('pending'), retryOf: z.string() })
  .openapi('RetriedJob');
const Cancelling = z.object({ id: z.string(), status: z.literal('cancelling') }).openapi('CancellingJob');

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const common = { tags: ['Reset'], security: signedIn, middleware: requireUser() };
const unauthorized = { 401: errorResponse('Not signed in') };
const forbidden = { 403: errorResponse('Cross-origin request with a session cookie (`csrf_rejected`)') };
const notFound = { 404: errorResponse('No such job (or not yours)') };

// ---- routes ----

const listRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/jobs',
  summary: 'Your reset jobs, newest first',
  request: { query: PageQuery },
  responses: { 200: json(JobPage, 'A page of jobs'), 400: errorResponse('Bad limit or cursor'), ...unauthorized },
});

const getRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/jobs/{id}',
  summary: 'One reset job: status, service, times and steps',
  request: { params: IdParam },
  responses: { 200: json(Job, 'The job'), ...unauthorized, ...notFound },
});

const retryRoute = createRoute({
  ...common,
  middleware: [requireUser(), rateLimit({ rule: rateLimits.taskCreationUser, subject: byUser, message: 'Too many resets started. Try again later.' })] as const,
  method: 'post',
  path: '/api/jobs/{id}/retry',
  summary: 'Run a failed or cancelled reset again, as a new job',
  description: 'Counts toward the task-creation limit (5 per 5 minutes per user).',
  request: { params: IdParam },
  responses: {
    201: json(Retried, 'The new job'),
    ...unauthorized,
    ...forbidden,
    ...notFound,
    409: errorResponse('The job has not failed or been cancelled, another reset of the account is running, or no mailbox is set up yet (`mailbox_required`)'),
    429: rateLimitedResponse,
    503: errorResponse('Temporal is unreachable'),
  },
});

const cancelRoute = createRoute({
  ...common,
  method: 'post',
  path: '/api/jobs/{id}/cancel',
  summary: 'Cancel a running reset',
  description: 'The workflow stops at the next safe point (never while a new password is being submitted) and the job becomes `cancelled`.',
  request: { params: IdParam },
  responses: {
    202: json(Cancelling, 'Cancellation requested'),
    ...unauthorized,
    ...forbidden,
    ...notFound,
    409: errorResponse('The job has already finished'),
    503: errorResponse('Temporal is unreachable'),
  },
});

export const jobRoutes = createApi()
  .openapi(listRoute, async (c) => {
    const { db } = c.get('deps');
    const { userId } = principalOf(c);
    const { limit, cursor } = c.req.valid('query');
    return c.json(await listJobs(db, { userId, limit, cursor }), 200);
  })
  .openapi(getRoute, async (c) => {
    const { db } = c.get('deps');
    const { userId } = principalOf(c);
    const { id } = c.req.valid('param');
    return c.json(await getJob(db, { userId, taskId: id }), 200);
  })
  .openapi(retryRoute, async (c) => {
    const deps = c.get('deps');
    const { userId } = principalOf(c);
    const { id } = c.req.valid('param');
    const temporal = await temporalClient(deps.temporal);
    const { taskId, retryOf } = await retryJob({ db: deps.db, temporal, config: deps.config, catalog: deps.catalog }, { userId, taskId: id });
    return c.json({ taskId, status: 'pending' as const, retryOf }, 201);
  })
  .openapi(cancelRoute, async (c) => {
    const deps = c.get('deps');
    const { userId } = principalOf(c);
    const { id } = c.req.valid('param');
    const temporal = await temporalClient(deps.temporal);
    return c.json(await cancelJob({ db: deps.db, temporal }, { userId, taskId: id }), 202);
  });
