// Chat-based reset (reset-api.txt "Chat-based reset"): the person types what
// they want; the answer is an event stream of markdown sections (header,
// progress, gmail, captcha, password, result). Same workflow, same shared
// poller as the task API. Decisions that can fail (unknown ids, limits) are
// made before the stream starts, so they answer with the usual JSON errors;
// questions back (which service? which entry?) are `result` sections.
//
// A stream that follows a reset names its task in the `X-Rekey-Task-Id`
// header, so a page that reloads mid-reset can pick the same reset up again
// with GET /api/chat/reset/{id}: the narration from the start, then live.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { escapeMarkdown, type ChatSection } from '../../lib/chat/markdown.js';
import { planChatReset } from '../../lib/chat/plan-chat-reset.js';
import { nowOf, type AppEnv } from '../context.js';
import { AppError } from '../../lib/errors.js';
import { assertWithinLimits, consumeRateLimit } from '../../lib/rate-limit/rate-limit-store.js';
import { rateLimits } from '../../lib/rate-limit/rules.js';
import { answerTaskOtp } from '../../lib/tasks/answer-task-otp.js';
import { hasMailbox, startResetTask } from '../../lib/tasks/start-reset-task.js';
import { findOwnTask } from '../../lib/tasks/find-own-task.js';
import { createTaskSecrets } from '../../lib/tasks/task-secrets.js';
import { temporalClient } from '../../lib/tasks/temporal-client.js';
import type { Config } from '../../lib/config.js';
import { readSandboxInfo } from '../../sandbox/sandbox-info.js';
import { createApi } from '../create-api.js';
import { principalOf, requireUser } from '../middleware/auth.js';
import { respondWithSse } from '../sse/sse.js';
import { streamChatReset, writeSections } from '../sse/stream-chat.js';
import { taskStreamsOf } from '../sse/task-progress-hub.js';
import { errorResponse, rateLimitedResponse, signedIn } from './auth.js';

const ChatResetBody = z
  .object({
    message: z.string().trim().min(1).max(2000).openapi({ example: 'Reset my Netflix password' }),
    serviceId: z.string().min(1).max(100).optional().openapi({ description: 'A catalog service id (GET /api/services), when the UI already knows it' }),
    passwordId: z.string().min(1).max(100).optional().openapi({ description: 'The vault entry to reset (one of yours)' }),
  })
  .openapi('ChatResetRequest');

const TaskIdParam = z.object({
  id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' }, description: 'The task id (the `X-Rekey-Task-Id` header of the chat stream)' }),
});

const taskIdHeader = { 'X-Rekey-Task-Id': { description: 'The reset this stream follows', schema: { type: 'string' as const } } };

const chatDescription = [
  'Server-Sent Events of markdown sections. Each section chunk is one message: its first `data:` line is `<!-- section:NAME -->`,',
  'its next `data:` lines are the markdown. Sections: `header` (`## Resetting <Service> password`), `progress` (the first starts with',
  '`### Agent`; a line per step as it starts and ends), `gmail` (waiting for the reset email), `captcha` (escalation with a screenshot',
  'reference), `password` (“New password saved to vault.” with the entry id — never the password), `result` (success, or the failure and',
  'what to do next; also questions back: which service, which vault entry, which URL). A message that is only a code (4–8 digits) while',
  'your latest reset waits for one is given to it. Without mailbox settings no reset starts: the answer is a `result` section saying how to',
  'set one up (or to try the sandbox, where it runs). Starting a reset counts toward the task-creation limit (5 per 5 minutes).',
].join(' ');

const chatRoute = createRoute({
  method: 'post',
  path: '/api/chat/reset',
  tags: ['Reset'],
  summary: 'Reset a password by chat (SSE of markdown sections)',
  security: signedIn,
  middleware: requireUser(),
  request: { body: { required: true, content: { 'application/json': { schema: ChatResetBody } } } },
  responses: {
    200: { description: chatDescription, headers: taskIdHeader, content: { 'text/event-stream': { schema: z.string() } } },
    400: errorResponse('Invalid body (the field is named)'),
    401: errorResponse('Not signed in'),
    403: errorResponse('Cross-origin request with a session cookie (`csrf_rejected`)'),
    404: errorResponse('`serviceId` or `passwordId` unknown (or not yours)'),
    429: rateLimitedResponse,
    503: errorResponse('Temporal is unreachable'),
  },
});

const followRoute = createRoute({
  method: 'get',
  path: '/api/chat/reset/{id}',
  tags: ['Reset'],
  summary: 'Follow a reset in the chat’s sections again (after a reload)',
  description:
    'The same event stream as `POST /api/chat/reset` for one of your resets: the header, the narration of every step so far, then the live ' +
    'changes until the result. A finished reset answers its whole story at once. Starts nothing and counts toward no limit.',
  security: signedIn,
  middleware: requireUser(),
  request: { params: TaskIdParam },
  responses: {
    200: { description: 'Markdown sections, as for POST /api/chat/reset', headers: taskIdHeader, content: { 'text/event-stream': { schema: z.string() } } },
    401: errorResponse('Not signed in'),
    404: errorResponse('No such task (or not yours)'),
  },
});

/** The chat's answer to a reset asked for before any mailbox is set up. */
function mailboxFirst(serviceName: string, sandbox: boolean): string[] {
  return [
    `Before I can reset your ${escapeMarkdown(serviceName)} password, I need your mailbox: the site sends the reset email there, and no mailbox is set up yet.`,
    sandbox
      ? 'To see Rekey work without a real account, press **Try the sandbox** above: it gives you a demo mailbox and accounts on the sandbox sites. Or add your own mailbox on the [Mailbox page](/mailbox), then ask me again.'
      : 'Add it on the [Mailbox page](/mailbox) (your provider’s IMAP server and an app password), then ask me again.',
  ];
}

/** Whether "Try the sandbox" can answer here (development, with the sandbox process running). */
const sandboxRuns = (config: Config) => !config.production && !!readSandboxInfo(config)?.provisionUrl;

/** The chat stream of one reset, named in a header for the page to reattach after a reload. */
function followInChat(c: Context<AppEnv>, task: { id: string; workflowId: string }, serviceName: string) {
  const hub = taskStreamsOf(c.get('deps'));
  c.header('X-Rekey-Task-Id', task.id);
  return respondWithSse(c, { keepAliveMs: hub.options.keepAliveMs }, (sink) => streamChatReset({ hub, sink, task, serviceName }));
}

export const chatRoutes = createApi()
  .openapi(followRoute, async (c) => {
    const { userId } = principalOf(c);
    const task = await findOwnTask(c.get('deps').db, { userId, taskId: c.req.valid('param').id });
    return followInChat(c, task, task.serviceName);
  })
  .openapi(chatRoute, async (c) => {
    const deps = c.get('deps');
    const { userId } = principalOf(c);
    const body = c.req.valid('json');
    const { keepAliveMs } = taskStreamsOf(deps).options;
    const reply = (sections: ChatSection[]) => respondWithSse(c, { keepAliveMs }, (sink) => writeSections(sink, sections));

    const plan = await planChatReset({ db: deps.db, catalog: deps.catalog, config: deps.config }, { userId, ...body });

    if (plan.kind === 'reply') return reply(plan.sections);

    const temporal = await temporalClient(deps.temporal);

    if (plan.kind === 'otp') {
      const service = escapeMarkdown(plan.serviceName);
      try {
        await answerTaskOtp({ db: deps.db, temporal, secrets: createTaskSecrets(deps) }, { taskId: plan.taskId, userId, code: plan.code });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        if (err.code === 'not_waiting') return reply([{ name: 'result', lines: [`Your ${service} reset is not waiting for a code right now, so I kept the code to myself.`] }]);
        if (err.code === 'rate_limited') return reply([{ name: 'result', lines: [`${service} has had too many codes for this prompt. Wait for the reset to ask again, or retry it.`] }]);
        if (err.code === 'validation_failed') return reply([{ name: 'result', lines: ['That does not look like a code the site would send.'] }]);
        throw err;
      }
      return reply([{ name: 'progress', lines: [`Code received. Entering it on ${service}...`] }]);
    }

    // No mailbox, no reset email: say how to get one before anything starts or counts
    // (startResetTask refuses too, with mailbox_required; the chat answers in words).
    if (!(await hasMailbox(deps.db, userId))) return reply([{ name: 'result', lines: mailboxFirst(plan.service.name, sandboxRuns(deps.config)) }]);

    // A new reset: counts toward "task creation 5 per 5 minutes per user".
    const limited = await consumeRateLimit(deps.db, { rule: rateLimits.taskCreationUser, subject: userId, now: nowOf(deps) });
    assertWithinLimits([limited], 'Too many resets started. Try again later.');

    let task: { id: string; workflowId: string };
    try {
      const started = await startResetTask(
        { db: deps.db, temporal, config: deps.config, catalog: deps.catalog },
        {
          userId,
          email: plan.email,
          ...(plan.serviceUrl ? { serviceUrl: plan.serviceUrl } : { serviceId: plan.service.id }),
          vaultEntryId: plan.vaultEntryId,
        },
      );
      task = { id: started.taskId, workflowId: started.workflowId };
      c.get('log').info({ taskId: task.id }, 'reset started from chat');
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'conflict') throw err;
      // The account's reset is already running: follow it if it is this person's.
      const holderId = typeof err.details?.taskId === 'string' ? err.details.taskId : undefined;
      const holder = holderId ? await findOwnTask(deps.db, { userId, taskId: holderId }).catch(() => null) : null;
      if (!holder) {
        return reply([{ name: 'result', lines: [`A reset of this ${escapeMarkdown(plan.service.name)} account is already running. Try again when it has finished.`] }]);
      }
      task = { id: holder.id, workflowId: holder.workflowId };
    }
    return followInChat(c, task, plan.service.name);
  });
