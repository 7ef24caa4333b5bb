// GET /api/services: the catalog of known services, for pickers and for
// "Reset my Netflix password". `?q=` goes through the same resolver the chat
// uses (names, aliases, misspellings, domains and URLs); pages are cut from the
// catalog's stable order with an opaque offset cursor.
import { createRoute, z } from '@hono/zod-openapi';
import type { Service } from '../../catalog/index.js';
import { AppError } from '../../lib/errors.js';
import { createApi } from '../create-api.js';
import { requireUser } from '../middleware/auth.js';
import { errorResponse, signedIn } from './auth.js';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

const ServiceSchema = z
  .object({
    id: z.string().openapi({ example: 'netflix' }),
    name: z.string().openapi({ example: 'Netflix' }),
    domains: z.array(z.string()).openapi({ example: ['netflix.com'] }),
    resetUrl: z.string().nullable().openapi({ description: 'The forgot-password page a reset starts from', example: 'https://www.netflix.com/LoginHelp' }),
    supported: z.boolean().openapi({ description: 'Whether Rekey can run a reset for it' }),
  })
  .openapi('Service');

const ServicePage = z
  .object({
    items: z.array(ServiceSchema),
    nextCursor: z.string().nullable(),
    domainGuess: z.string().optional().openapi({ description: 'With `q`: the domain the text named when no known service matched it' }),
  })
  .openapi('ServicePage');

const ServiceQuery = z.object({
  q: z.string().trim().max(200).optional().openapi({
    param: { name: 'q', in: 'query', description: 'What a person typed: a name, an alias, a domain or a URL (empty: everything)' },
    example: 'netflx',
  }),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).optional().openapi({
    param: { name: 'limit', in: 'query', description: `Page size (default ${DEFAULT_LIMIT})` },
    example: DEFAULT_LIMIT,
  }),
  cursor: z.string().max(100).optional().openapi({ param: { name: 'cursor', in: 'query', description: '`nextCursor` of the previous page' } }),
});

const listRoute = createRoute({
  method: 'get',
  path: '/api/services',
  tags: ['Services'],
  summary: 'Known services, or the ones matching `q`',
  description:
    'Without `q`: the whole catalog in a stable order. With `q`: what the text names — one service for a clear match (a name, an alias, ' +
    'a domain or URL, a small misspelling), a short list when several are close, none otherwise.',
  security: signedIn,
  middleware: [requireUser()] as const,
  request: { query: ServiceQuery },
  responses: {
    200: { description: 'A page of services', content: { 'application/json': { schema: ServicePage } } },
    400: errorResponse('Bad query'),
    401: errorResponse('Not signed in'),
  },
});

const serviceJson = (s: Service) => ({ id: s.id, name: s.name, domains: [...s.domains], resetUrl: s.resetUrl ?? null, supported: s.supported });

const encodeCursor = (offset: number) => Buffer.from(`o:${offset}`, 'utf8').toString('base64url');
function decodeCursor(cursor: string): number {
  const m = /^o:(\d{1,7})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new AppError('validation_failed', 'cursor: not a cursor this API returned', { field: 'cursor' });
  return Number(m[1]);
}

export const serviceRoutes = createApi().openapi(listRoute, (c) => {
  const { catalog } = c.get('deps');
  const { q, limit = DEFAULT_LIMIT, cursor } = c.req.valid('query');
  let matches: readonly Service[] = catalog.all();
  let domainGuess: string | undefined;
  if (q) {
    const found = catalog.resolve(q);
    if ('match' in found) matches = [found.match];
    else if ('candidates' in found) matches = found.candidates;
    else {
      matches = [];
      domainGuess = found.domainGuess;
    }
  }
  const offset = cursor ? decodeCursor(cursor) : 0;
  const items = matches.slice(offset, offset + limit).map(serviceJson);
  const next = offset + limit < matches.length ? encodeCursor(offset + limit) : null;
  return c.json({ items, nextCursor: next, ...(domainGuess ? { domainGuess } : {}) }, 200);
});
