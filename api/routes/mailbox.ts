// The person's IMAP mailbox, where reset emails arrive. The password is
// write-only: stored encrypted, never returned. A stored password is only ever
// sent back to the server it was given for: changing the host, port or user,
// or turning TLS off, needs the password again, so a stolen session cannot
// point the mailbox at another server and read the password off the wire.
// The host passes the target guard (REKEY_ALLOW_PRIVATE_TARGETS for local servers).
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { MailboxAuthError, MailboxNotAllowedError, MailboxUnreachableError } from '../../activities/mail/errors.js';
import type { MailboxConnection } from '../../activities/mail/imap-connection.js';
import { testMailboxConnection } from '../../activities/mail/test-mailbox-connection.js';
import { AppError } from '../../lib/errors.js';
import { createMailboxStore, type MailboxSettings } from '../../lib/mailbox/mailbox-store.js';
import { assertAllowedHost, TargetNotAllowedError } from '../../lib/net/target-guard.js';
import type { RateLimitRule } from '../../lib/rate-limit/rules.js';
import type { AppEnv } from '../context.js';
import { createApi } from '../create-api.js';
import { principalOf, requireUser } from '../middleware/auth.js';
import { byUser, rateLimit } from '../middleware/rate-limit.js';
import { errorResponse, rateLimitedResponse, signedIn } from './auth.js';

/** A test opens a connection to a host the caller names: 10 per 10 minutes per person. */
export const mailboxTestRateLimit: RateLimitRule = { name: 'mailbox-test-user', limit: 10, windowMs: 10 * 60_000 };
const TEST_TIMEOUT_MS = 8_000;

// ---- schemas ------------------------------------------------------------------

const MailboxBody = z
  .strictObject({
    host: z.string().trim().min(1).max(253).openapi({ description: 'IMAP server host name or address (no port)', example: 'imap.gmail.com' }),
    port: z.number().int().min(1).max(65535).openapi({ example: 993 }),
    secure: z.boolean().openapi({ description: 'TLS from the start (usually port 993); false: plain, upgraded with STARTTLS when offered', example: true }),
    user: z.string().trim().min(1).max(320).openapi({ example: 'ada@example.com' }),
    password: z.string().min(1).max(1024).optional().openapi({
      description: 'Write-only. Optional when the host, port and user stay the same (and TLS stays on): the stored one is kept',
    }),
    folder: z.string().trim().min(1).max(200).optional().openapi({ description: 'Default INBOX', example: 'INBOX' }),
  })
  .openapi('MailboxSettings');

const MailboxView = z
  .object({
    host: z.string(),
    port: z.number().int(),
    secure: z.boolean(),
    user: z.string(),
    folder: z.string(),
    hasPassword: z.boolean(),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Mailbox');

const MailboxTestResult = z
  .object({
    ok: z.literal(true),
    messages: z.number().int().openapi({ description: 'Messages in the folder' }),
    uidNext: z.number().int(),
  })
  .openapi('MailboxTestResult');

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const common = { tags: ['Mailbox'], security: signedIn, middleware: requireUser() };
const unauthorized = { 401: errorResponse('Not signed in') };

// ---- routes -----------------------------------------------------------------

const getRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/mailbox',
  summary: 'Your mailbox settings (never the password)',
  responses: { 200: json(MailboxView, 'The settings'), ...unauthorized, 404: errorResponse('No mailbox configured') },
});

const putRoute = createRoute({
  ...common,
  method: 'put',
  path: '/api/mailbox',
  summary: 'Set or replace your mailbox settings',
  request: { body: { required: true, content: { 'application/json': { schema: MailboxBody } } } },
  responses: {
    200: json(MailboxView, 'Saved'),
    400: errorResponse('Invalid body (the field is named); `target_not_allowed` for a private or local host; `password` needed for a new or moved mailbox'),
    ...unauthorized,
  },
});

const deleteRoute = createRoute({
  ...common,
  method: 'delete',
  path: '/api/mailbox',
  summary: 'Forget your mailbox settings',
  responses: { 204: { description: 'Removed (or there was none)' }, ...unauthorized },
});

const testRoute = createRoute({
  ...common,
  method: 'post',
  path: '/api/mailbox/test',
  summary: 'Log in to the mailbox and open the folder',
  description:
    'Tests the settings in the body, or the stored ones when the body is empty. Connects for real, with an 8-second timeout. ' +
    '10 tests per 10 minutes per person.',
  middleware: [requireUser(), rateLimit({ rule: mailboxTestRateLimit, subject: byUser, message: 'Too many mailbox tests. Try again later.' })] as const,
  request: { body: { required: false, content: { 'application/json': { schema: MailboxBody } } } },
  responses: {
    200: json(MailboxTestResult, 'Logged in and the folder is there'),
    400: errorResponse('Invalid body, or `target_not_allowed` for the host'),
    ...unauthorized,
    404: errorResponse('Empty body and no mailbox configured'),
    422: errorResponse('`mailbox_auth_failed`: the server refused the user name or password; `mailbox_folder_not_found`'),
    429: rateLimitedResponse,
    502: errorResponse('`mailbox_unreachable`: no answer, refused, TLS failure or timeout'),
  },
});

// ---- helpers -------------------------------------------------------------------

const storeOf = (c: Context<AppEnv>) => {
  const { db, keyring } = c.get('deps');
  return createMailboxStore({ db, keyring });
};

type MailboxBodyInput = z.infer<typeof MailboxBody>;

/** The target guard on the host (and port: a private address passes only as an allowed listener), named as the field; answers the canonical host. */
async function checkedHost(c: Context<AppEnv>, host: string, port: number): Promise<string> {
  try {
    return (await assertAllowedHost(host, { allowPrivate: c.get('deps').config.allowPrivateTargets }, port)).host;
  } catch (err) {
    if (err instanceof TargetNotAllowedError && err.details) err.details.field = 'host';
    throw err;
  }
}

/** The stored password may be reused only for the server it was given for, and never with TLS newly off. */
function mayReusePassword(stored: MailboxConnection, next: { host: string; port: number; secure: boolean; user: string }): boolean {
  return stored.host === next.host && stored.port === next.port && stored.user === next.user && (next.secure || !stored.secure);
}

const passwordNeeded = () =>
  new AppError('validation_failed', 'password: required for a new mailbox, or when the host, port or user changes or TLS is turned off', { field: 'password' });

/** Full settings from a body: its password, or the stored one where that is allowed. */
async function settingsFrom(c: Context<AppEnv>, body: MailboxBodyInput): Promise<MailboxSettings & { password: string }> {
  const host = await checkedHost(c, body.host, body.port);
  const next = { host, port: body.port, secure: body.secure, user: body.user, folder: body.folder ?? 'INBOX' };
  if (body.password) return { ...next, password: body.password };
  const stored = await storeOf(c).connection(principalOf(c).userId);
  if (!stored || !mayReusePassword(stored, next)) throw passwordNeeded();
  return { ...next, password: stored.password };
}

const viewJson = (v: NonNullable<Awaited<ReturnType<ReturnType<typeof createMailboxStore>['get']>>>) => ({
  ...v,
  updatedAt: v.updatedAt.toISOString(),
});

// ---- handlers -----------------------------------------------------------------

export const mailboxRoutes = createApi()
  .openapi(getRoute, async (c) => {
    const view = await storeOf(c).get(principalOf(c).userId);
    if (!view) throw new AppError('not_found', 'No mailbox configured');
    return c.json(viewJson(view), 200);
  })
  .openapi(putRoute, async (c) => {
    const userId = principalOf(c).userId;
    const store = storeOf(c);
    await store.put(userId, await settingsFrom(c, c.req.valid('json')));
    return c.json(viewJson((await store.get(userId))!), 200);
  })
  .openapi(deleteRoute, async (c) => {
    await storeOf(c).remove(principalOf(c).userId);
    return c.body(null, 204);
  })
  .openapi(testRoute, async (c) => {
    // Optional body: no JSON body (or `{}`) tests the stored settings.
    const body: Partial<MailboxBodyInput> | undefined = c.req.valid('json');
    let connection: MailboxConnection | null;
    if (body?.host !== undefined) {
      connection = await settingsFrom(c, body as MailboxBodyInput);
    } else {
      connection = await storeOf(c).connection(principalOf(c).userId);
      if (!connection) throw new AppError('not_found', 'No mailbox configured: send the settings to test, or save them first');
      connection = { ...connection, host: await checkedHost(c, connection.host, connection.port) };
    }
    try {
      const result = await testMailboxConnection(connection, {
        hostPolicy: { allowPrivate: c.get('deps').config.allowPrivateTargets },
        timeoutMs: TEST_TIMEOUT_MS,
      });
      return c.json({ ok: true as const, messages: result.messages, uidNext: result.uidNext }, 200);
    } catch (err) {
      if (err instanceof MailboxAuthError) {
        return c.json({ error: { code: 'mailbox_auth_failed', message: `${err.message}. Check them; some providers need an app password.` } }, 422);
      }
      if (err instanceof MailboxNotAllowedError) {
        // The name passed the check above, then resolved elsewhere at connect time.
        return c.json({ error: { code: 'target_not_allowed', message: err.message, field: 'host' } }, 400);
      }
      if (err instanceof MailboxUnreachableError) {
        if (!err.retryable) {
          const folder = connection.folder ?? 'INBOX';
          return c.json({ error: { code: 'mailbox_folder_not_found', message: `Logged in, but there is no folder "${folder}"` } }, 422);
        }
        return c.json({ error: { code: 'mailbox_unreachable', message: `${err.message}. Check the host, port and TLS setting.` } }, 502);
      }
      throw err;
    }
  });
