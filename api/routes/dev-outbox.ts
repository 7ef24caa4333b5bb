// The development outbox (lib/email/dev-outbox.ts): account emails written
// locally when there is no SMTP server, for the web UI's "Outbox
// (development)" page. No session is needed — the person who forgot their
// password is not signed in — so the emails (reset links included) are shown
// only to this machine: the outbox must be on (development, SMTP_URL unset;
// lib/config.ts refuses it in production), the request must come over
// loopback with no proxy header (a proxy in front means the caller may be
// anywhere), and the Host must name this machine (a DNS-rebinding page
// cannot). Anything else gets the same 404 as a path that does not exist.
import { createRoute, z } from '@hono/zod-openapi';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { createDevOutbox } from '../../lib/email/dev-outbox.js';
import { AppError } from '../../lib/errors.js';
import type { AppEnv } from '../context.js';
import { createApi } from '../create-api.js';
import { errorResponse } from './auth.js';

const DevOutboxEmail = z
  .object({
    id: z.string(),
    to: z.string(),
    subject: z.string(),
    text: z.string().openapi({ description: 'The plain-text body, links included' }),
    sentAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('DevOutboxEmail');

const DevOutboxList = z.object({ items: z.array(DevOutboxEmail).openapi({ description: 'Newest first, at most 50' }) }).openapi('DevOutbox');

const listRoute = createRoute({
  method: 'get',
  path: '/api/dev/outbox',
  tags: ['Development'],
  summary: 'Account emails kept locally (development without SMTP_URL)',
  description:
    'Only in development with SMTP_URL unset (never in production), and only to a request from this machine: loopback, no ' +
    'proxy header, a loopback Host. No session needed. 404 otherwise.',
  responses: {
    200: { description: 'The newest emails', content: { 'application/json': { schema: DevOutboxList } } },
    404: errorResponse('The outbox is off here, or the request is not from this machine'),
  },
});

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function isFromThisMachine(c: Context<AppEnv>): boolean {
  let address: string | undefined;
  try {
    address = getConnInfo(c).remote.address;
  } catch {
    return false; // not served by @hono/node-server
  }
  if (!address || !LOOPBACK_ADDRESSES.has(address)) return false;
  if (['x-forwarded-for', 'forwarded', 'x-real-ip'].some((h) => c.req.header(h) !== undefined)) return false;
  const host = c.req.header('host');
  if (!host) return false;
  try {
    return LOOPBACK_HOSTS.has(new URL(`http://${host}`).hostname);
  } catch {
    return false;
  }
}

export const devOutboxRoutes = createApi().openapi(listRoute, async (c) => {
  const { devOutbox } = c.get('deps').config;
  if (!devOutbox || !isFromThisMachine(c)) throw new AppError('not_found', 'Not found');
  const items = await createDevOutbox(devOutbox.dir).list({ limit: 50 });
  c.header('Cache-Control', 'no-store');
  return c.json({ items }, 200);
});
