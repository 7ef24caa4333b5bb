// The person's signed-in devices: list, revoke one, revoke all the others.
// Revocation takes effect on the device's next request.
import { createRoute, z } from '@hono/zod-openapi';
import { listSessions } from '../../lib/accounts/list-sessions.js';
import { revokeOtherSessions } from '../../lib/accounts/revoke-other-sessions.js';
import { revokeSession } from '../../lib/accounts/revoke-session.js';
import { createApi } from '../create-api.js';
import { accountDepsOf, clearAuthCookies, principalOf, requestMetaOf, requireUser } from '../middleware/auth.js';
import { errorResponse, signedIn } from './auth.js';

const SessionSchema = z
  .object({
    id: z.string(),
    device: z.string().openapi({ example: 'Firefox on Linux' }),
    userAgent: z.string().nullable(),
    ip: z.string().nullable(),
    createdAt: z.string().openapi({ format: 'date-time' }),
    lastSeenAt: z.string().openapi({ format: 'date-time' }),
    expiresAt: z.string().openapi({ format: 'date-time' }),
    current: z.boolean().openapi({ description: "True for the caller's own session" }),
  })
  .openapi('Session');

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).optional().openapi({ example: 50 }),
  cursor: z.string().max(200).optional(),
});

const SessionList = z.object({ items: z.array(SessionSchema), nextCursor: z.string().nullable() }).openapi('SessionList');
const IdParam = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }) });

const listRoute = createRoute({
  method: 'get',
  path: '/api/auth/sessions',
  tags: ['Sessions'],
  summary: "The person's live sessions, newest first",
  security: signedIn,
  middleware: [requireUser()] as const,
  request: { query: PageQuery },
  responses: {
    200: { description: 'Sessions', content: { 'application/json': { schema: SessionList } } },
    401: errorResponse('Not signed in'),
  },
});

const revokeRoute = createRoute({
  method: 'delete',
  path: '/api/auth/sessions/{id}',
  tags: ['Sessions'],
  summary: 'Sign one session out',
  description: "Another person's session id answers 404, like one that does not exist. Revoking the caller's own session also clears its cookies.",
  security: signedIn,
  middleware: [requireUser()] as const,
  request: { params: IdParam },
  responses: {
    204: { description: 'Revoked' },
    401: errorResponse('Not signed in'),
    404: errorResponse('No such session of yours'),
  },
});

const revokeOthersRoute = createRoute({
  method: 'post',
  path: '/api/auth/sessions/revoke-others',
  tags: ['Sessions'],
  summary: 'Sign out every other session',
  description: "Keeps the caller's session. Called with an API key (no session of its own), it revokes every session.",
  security: signedIn,
  middleware: [requireUser()] as const,
  responses: {
    200: { description: 'How many sessions were revoked', content: { 'application/json': { schema: z.object({ revoked: z.number().int() }).openapi('RevokedCount') } } },
    401: errorResponse('Not signed in'),
  },
});

export const sessionRoutes = createApi()
  .openapi(listRoute, async (c) => {
    const p = principalOf(c);
    const { limit, cursor } = c.req.valid('query');
    return c.json(await listSessions(accountDepsOf(c), { userId: p.userId, currentSessionId: p.sessionId, limit, cursor }), 200);
  })
  .openapi(revokeRoute, async (c) => {
    const p = principalOf(c);
    const { id } = c.req.valid('param');
    await revokeSession(accountDepsOf(c), { userId: p.userId, sessionId: id, meta: requestMetaOf(c) });
    if (id === p.sessionId) clearAuthCookies(c);
    return c.body(null, 204);
  })
  .openapi(revokeOthersRoute, async (c) => {
    const p = principalOf(c);
    const revoked = await revokeOtherSessions(accountDepsOf(c), { userId: p.userId, keepSessionId: p.sessionId, meta: requestMetaOf(c) });
    return c.json({ revoked }, 200);
  });
