// Long-lived API keys for scripts: shown once at creation (which needs sudo),
// stored hashed, listed by prefix, revoked by id.
import { createRoute, z } from '@hono/zod-openapi';
import { createApiKey } from '../../lib/accounts/create-api-key.js';
import { listApiKeys } from '../../lib/accounts/list-api-keys.js';
import { revokeApiKey } from '../../lib/accounts/revoke-api-key.js';
import { createApi } from '../create-api.js';
import { accountDepsOf, principalOf, requestMetaOf, requireSudo, requireUser } from '../middleware/auth.js';
import { browserSession, errorResponse, signedIn } from './auth.js';
import { PageQuery } from './sessions.js';

const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().openapi({ example: 'rk_3fQ9a1Zc', description: 'The first characters of the key, to tell keys apart' }),
    createdAt: z.string().openapi({ format: 'date-time' }),
    lastUsedAt: z.string().nullable().openapi({ format: 'date-time' }),
    expiresAt: z.string().nullable().openapi({ format: 'date-time' }),
  })
  .openapi('ApiKey');

const ApiKeyList = z.object({ items: z.array(ApiKeySchema), nextCursor: z.string().nullable() }).openapi('ApiKeyList');

const CreateApiKeyBody = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ example: 'backup script' }),
    expiresAt: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Optional; the key stops working then' }),
  })
  .openapi('CreateApiKeyRequest');

const CreatedApiKey = z
  .object({ apiKey: ApiKeySchema, key: z.string().openapi({ description: 'The key itself (`rk_…`). Shown this once; store it now.' }) })
  .openapi('CreatedApiKey');

const IdParam = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }) });

const listRoute = createRoute({
  method: 'get',
  path: '/api/api-keys',
  tags: ['API keys'],
  summary: "The person's API keys (not revoked), newest first",
  security: signedIn,
  middleware: [requireUser()] as const,
  request: { query: PageQuery },
  responses: {
    200: { description: 'Keys, without the secret part', content: { 'application/json': { schema: ApiKeyList } } },
    401: errorResponse('Not signed in'),
  },
});

const createKeyRoute = createRoute({
  method: 'post',
  path: '/api/api-keys',
  tags: ['API keys'],
  summary: 'Create an API key (needs sudo)',
  description: 'Use it as `Authorization: Bearer rk_…`. Needs a sudo grant (POST /api/auth/sudo) less than 5 minutes old, so only a browser session can create keys.',
  security: browserSession,
  middleware: [requireUser(), requireSudo()] as const,
  request: { body: { required: true, content: { 'application/json': { schema: CreateApiKeyBody } } } },
  responses: {
    201: { description: 'Created; `key` is shown only now', content: { 'application/json': { schema: CreatedApiKey } } },
    400: errorResponse('Invalid body'),
    401: errorResponse('Not signed in'),
    403: errorResponse('`sudo_required`'),
  },
});

const revokeRoute = createRoute({
  method: 'delete',
  path: '/api/api-keys/{id}',
  tags: ['API keys'],
  summary: 'Revoke an API key',
  description: "The next request with the key is refused. Another person's key id answers 404.",
  security: signedIn,
  middleware: [requireUser()] as const,
  request: { params: IdParam },
  responses: {
    204: { description: 'Revoked' },
    401: errorResponse('Not signed in'),
    404: errorResponse('No such key of yours'),
  },
});

export const apiKeyRoutes = createApi()
  .openapi(listRoute, async (c) => {
    const { limit, cursor } = c.req.valid('query');
    return c.json(await listApiKeys(accountDepsOf(c), { userId: principalOf(c).userId, limit, cursor }), 200);
  })
  .openapi(createKeyRoute, async (c) => {
    const { name, expiresAt } = c.req.valid('json');
    const created = await createApiKey(accountDepsOf(c), {
      userId: principalOf(c).userId,
      name,
      expiresAt: expiresAt ? new Date(expiresAt) : null,
      meta: requestMetaOf(c),
    });
    return c.json(created, 201);
  })
  .openapi(revokeRoute, async (c) => {
    await revokeApiKey(accountDepsOf(c), { userId: principalOf(c).userId, apiKeyId: c.req.valid('param').id, meta: requestMetaOf(c) });
    return c.body(null, 204);
  });
