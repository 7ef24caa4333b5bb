// The remote codec the Temporal Web UI calls to show Rekey's encrypted
// payloads (https://docs.temporal.io/production-deployment/data-encryption).
// Payloads carry ids and non-secret facts only, so decoding them reveals no
// secret; still, only staff may call it: a staff user's API key as Bearer
// (the UI forwards it when configured to), or — only with the explicit
// development setting REKEY_CODEC_DEV_BYPASS, which `npm start` turns on for
// the dev server it runs — a browser on this machine using that local UI.
import { createRoute, z } from '@hono/zod-openapi';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { Payload } from '@temporalio/common';
import { findApiKeyByHash } from '../../lib/accounts/find-credential.js';
import { hashToken } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { EncryptionCodec } from '../../lib/temporal/codec.js';
import type { AppEnv } from '../context.js';
import { createApi } from '../create-api.js';

const WirePayload = z.object({
  metadata: z.record(z.string(), z.string()).optional(),
  data: z.string().optional(),
});
const WirePayloads = z.object({ payloads: z.array(WirePayload).max(1000) }).openapi('CodecPayloads');

const fromWire = (p: z.infer<typeof WirePayload>): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: p.data === undefined ? undefined : Buffer.from(p.data, 'base64'),
});
const toWire = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
  data: p.data ? Buffer.from(p.data).toString('base64') : undefined,
});

/** A direct call from this machine: a loopback socket and no proxy header (a proxy here would make every caller loopback). */
function isFromThisMachine(c: Context<AppEnv>): boolean {
  if (['x-forwarded-for', 'forwarded', 'x-real-ip'].some((h) => c.req.header(h) !== undefined)) return false;
  try {
    const address = getConnInfo(c).remote.address ?? '';
    return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
  } catch {
    return false; // not served by @hono/node-server
  }
}

function requireCodecAccess(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { db, config } = c.get('deps');
    const bearer = /^bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim();
    if (bearer) {
      const key = await findApiKeyByHash(db, hashToken(bearer));
      const usable = key && !key.revokedAt && (!key.expiresAt || key.expiresAt > new Date());
      if (!usable) throw new AppError('unauthorized', 'Invalid API key');
      if (key.role !== 'staff') throw new AppError('forbidden', 'The codec is for staff');
      return next();
    }
    // The config refuses the bypass in production and behind a proxy.
    if (config.codecDevBypass && isFromThisMachine(c) && c.req.header('origin') === config.temporal.uiOrigin) return next();
    throw new AppError('unauthorized', 'A staff API key is required (Authorization: Bearer …)');
  };
}

const route = (path: '/codec/decode' | '/codec/encode', summary: string) =>
  createRoute({
    method: 'post',
    path,
    tags: ['Operations'],
    summary,
    security: [{ apiKey: [] }], // a staff user's key
    request: { body: { content: { 'application/json': { schema: WirePayloads } }, required: true } },
    responses: {
      200: { description: 'The payloads', content: { 'application/json': { schema: WirePayloads } } },
      401: { description: 'No staff credential' },
      403: { description: 'Not staff' },
    },
  });

const codecFor = (c: Context<AppEnv>) => new EncryptionCodec(c.get('deps').keyring.purpose('temporal-codec'));

export function codecRoutes(uiOrigin: string) {
  const app = createApi();
  app.use(
    '/codec/*',
    cors({ origin: uiOrigin, allowMethods: ['POST', 'OPTIONS'], allowHeaders: ['Content-Type', 'Authorization', 'X-Namespace'], credentials: true, maxAge: 600 }),
  );
  app.use('/codec/*', requireCodecAccess());
  return app
    .openapi(route('/codec/decode', 'Decode payloads for the Temporal Web UI'), async (c) => {
      const { payloads } = c.req.valid('json');
      const decoded = await codecFor(c).decode(payloads.map(fromWire));
      return c.json({ payloads: decoded.map(toWire) }, 200);
    })
    .openapi(route('/codec/encode', 'Encode payloads for the Temporal Web UI'), async (c) => {
      const { payloads } = c.req.valid('json');
      const encoded = await codecFor(c).encode(payloads.map(fromWire));
      return c.json({ payloads: encoded.map(toWire) }, 200);
    });
}
