// Task-based resets (reset-api.txt "Task-based reset"): create a task, stream
// its progress as SSE, give it a code, and fetch its screenshots. The stream
// is served by one shared poller per task (api/sse/task-progress-hub.ts).
import { createRoute, z } from '@hono/zod-openapi';
import { AppError } from '../../lib/errors.js';
import { rateLimits } from '../../lib/rate-limit/rules.js';
import { answerTaskOtp } from '../../lib/tasks/answer-task-otp.js';
import { createResetTask } from '../../lib/tasks/create-reset-task.js';
import { findOwnTask } from '../../lib/tasks/find-own-task.js';
import { createScreenshotStore } from '../../lib/tasks/screenshot-store.js';
import { createTaskSecrets } from '../../lib/tasks/task-secrets.js';
import { temporalClient } from '../../lib/tasks/temporal-client.js';
import { createApi } from '../create-api.js';
import { principalOf, requireUser } from '../middleware/auth.js';
import { byUser, rateLimit } from '../middleware/rate-limit.js';
import { respondWithSse } from '../sse/sse.js';
import { streamTask } from '../sse/stream-task.js';
import { taskStreamsOf } from '../sse/task-progress-hub.js';
import { Email, errorResponse, rateLimitedResponse, signedIn } from './auth.js';

// ---- schemas ----

const Id = z.string().min(1).max(100);
const TaskIdParam = z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' }, description: 'The task id' }) });

const CreateTaskBody = z
  .object({
    serviceUrl: z.string().trim().min(1).max(2048).openapi({
      description: 'The site whose password to reset: http or https, no credentials, public addresses only (unless the deployment allows private targets)',
      example: 'https://netflix.com',
    }),
    email: Email.openapi({ description: 'The account’s email on that site', example: 'user@example.com' }),
    passwordId: Id.optional().openapi({ description: 'The vault entry that receives the new password (one of yours)' }),
  })
  .openapi('CreateResetTask');

const CreatedTask = z
  .object({ taskId: z.string().openapi({ example: '5b0a6c1e-…' }), status: z.literal('pending') })
  .openapi('CreatedResetTask');

const OtpBody = z
  .object({ code: z.string().trim().min(1).max(32).openapi({ description: '4 to 10 digits or letters, as the site sent it', example: '123456' }) })
  .openapi('SubmitTaskOtp');
const Accepted = z.object({ accepted: z.literal(true) }).openapi('OtpAccepted');

const streamDescription = [
  'Server-Sent Events. `event: status` — `{"status":"running","step":"navigate"}`, `{"status":"waiting_for_email"}`,',
  '`{"status":"waiting_for_otp","otpUrl":"<APP_ORIGIN>/otp/<token>"}` (the phone link), `{"status":"captcha_required",…}`,',
  '`{"status":"completed","vaultEntryId":"…","confirmed":true}` (a vault reference, never the password; `confirmed:false` when the site ' +
    'could not confirm the change and the new password waits, pending, for the person to confirm it), `{"status":"failed","reason":"…","type":"…"}`,',
  '`{"status":"cancelled","reason":"…"}`. `event: screenshot` — `{"url":"data:image/png;base64,…"}` when the page screenshot changes.',
  'Every event has `id:` (the task’s sequence number): reconnect with `Last-Event-ID` to get only what changed since.',
  'A `: keep-alive` comment every 15 s. The stream ends after the final status; a finished task replays it at once.',
].join(' ');

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const unauthorized = { 401: errorResponse('Not signed in') };
const forbidden = { 403: errorResponse('Cross-origin request with a session cookie (`csrf_rejected`)') };
const notFound = { 404: errorResponse('No such task (or not yours)') };

// ---- routes ----

const createTaskRoute = createRoute({
  method: 'post',
  path: '/api/tasks/reset',
  tags: ['Reset'],
  summary: 'Start a password reset task',
  description: 'Rate limit: 5 requests per 5 minutes per user (every request counts), then 429 with Retry-After.',
  security: signedIn,
  middleware: [requireUser(), rateLimit({ rule: rateLimits.taskCreationUser, subject: byUser, message: 'Too many resets started. Try again later.' })] as const,
  request: { body: { required: true, content: { 'application/json': { schema: CreateTaskBody } } } },
  responses: {
    201: json(CreatedTask, 'The task exists and its workflow has started'),
    400: errorResponse('Invalid body (the field is named), or `target_not_allowed` for serviceUrl'),
    ...unauthorized,
    ...forbidden,
    404: errorResponse('`passwordId` is not one of your vault entries'),
    409: errorResponse('A reset of this account is already running (`conflict`), or no mailbox is set up yet to read the reset email (`mailbox_required`)'),
    429: rateLimitedResponse,
    503: errorResponse('Temporal is unreachable'),
  },
});

const streamRoute = createRoute({
  method: 'get',
  path: '/api/tasks/{id}/stream',
  tags: ['Reset'],
  summary: 'Stream a task’s progress (SSE)',
  security: signedIn,
  middleware: requireUser(),
  request: {
    params: TaskIdParam,
    headers: z.object({
      'last-event-id': z.string().max(20).optional().openapi({ description: 'Resume after this event id (the browser sends it when it reconnects)' }),
    }),
  },
  responses: {
    200: { description: streamDescription, content: { 'text/event-stream': { schema: z.string() } } },
    ...unauthorized,
    ...notFound,
  },
});

const otpRoute = createRoute({
  method: 'post',
  path: '/api/tasks/{id}/otp',
  tags: ['Reset'],
  summary: 'Give a waiting reset the one-time code the site sent',
  description: 'Accepted only while the reset waits for a code; 5 codes per prompt.',
  security: signedIn,
  middleware: requireUser(),
  request: { params: TaskIdParam, body: { required: true, content: { 'application/json': { schema: OtpBody } } } },
  responses: {
    200: json(Accepted, 'The code went to the workflow'),
    400: errorResponse('Malformed code (`field: code`)'),
    ...unauthorized,
    ...forbidden,
    ...notFound,
    409: errorResponse('The reset is not waiting for a code (`not_waiting`)'),
    429: rateLimitedResponse,
  },
});

const screenshotRoute = createRoute({
  method: 'get',
  path: '/api/tasks/{id}/screenshots/{screenshotId}',
  tags: ['Reset'],
  summary: 'A screenshot the reset took (e.g. of a CAPTCHA it escalated)',
  security: signedIn,
  middleware: requireUser(),
  request: {
    params: z.object({
      id: Id.openapi({ param: { name: 'id', in: 'path' } }),
      screenshotId: Id.openapi({ param: { name: 'screenshotId', in: 'path' } }),
    }),
  },
  responses: {
    200: { description: 'The image', content: { 'image/png': { schema: z.string().openapi({ format: 'binary' }) } } },
    ...unauthorized,
    404: errorResponse('No such screenshot (or not yours)'),
  },
});

export const taskRoutes = createApi()
  .openapi(createTaskRoute, async (c) => {
    const deps = c.get('deps');
    const { userId } = principalOf(c);
    const body = c.req.valid('json');
    const temporal = await temporalClient(deps.temporal);
    const { taskId } = await createResetTask(
      { db: deps.db, temporal, config: deps.config, catalog: deps.catalog },
      { userId, serviceUrl: body.serviceUrl, email: body.email, passwordId: body.passwordId },
    );
    c.get('log').info({ taskId }, 'reset task created');
    return c.json({ taskId, status: 'pending' as const }, 201);
  })
  .openapi(streamRoute, async (c) => {
    const deps = c.get('deps');
    const { userId } = principalOf(c);
    const { id } = c.req.valid('param');
    const task = await findOwnTask(deps.db, { userId, taskId: id });
    const hub = taskStreamsOf(deps);
    const resumeFrom = parseLastEventId(c.req.header('last-event-id'));
    return respondWithSse(c, { keepAliveMs: hub.options.keepAliveMs }, (sink) =>
      streamTask({ db: deps.db, hub, waits: { otpMs: deps.config.waits.otpMs, captchaMs: deps.config.waits.captchaMs }, task, sink, resumeFrom }),
    );
  })
  .openapi(otpRoute, async (c) => {
    const deps = c.get('deps');
    const { userId } = principalOf(c);
    const { id } = c.req.valid('param');
    const { code } = c.req.valid('json');
    const temporal = await temporalClient(deps.temporal);
    const result = await answerTaskOtp({ db: deps.db, temporal, secrets: createTaskSecrets(deps) }, { taskId: id, userId, code });
    return c.json(result, 200);
  })
  .openapi(screenshotRoute, async (c) => {
    const { db } = c.get('deps');
    const { userId } = principalOf(c);
    const { id, screenshotId } = c.req.valid('param');
    const shot = await createScreenshotStore(db).get(userId, screenshotId);
    if (!shot || shot.taskId !== id) throw new AppError('not_found', 'Screenshot not found');
    c.header('Cache-Control', 'private, max-age=3600');
    return c.body(new Uint8Array(shot.data), 200, { 'Content-Type': shot.mime });
  });

/** A Last-Event-ID we wrote (a non-negative integer), else −1: start from the current state. */
export function parseLastEventId(value: string | undefined): number {
  if (!value || !/^\d{1,15}$/.test(value.trim())) return -1;
  return Number(value.trim());
}
