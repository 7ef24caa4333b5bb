// The "Try the sandbox" button (dev only): when the sandbox process runs
// (REKEY_SANDBOX, never in production), POST /api/sandbox/provision asks it
// (POST /provision on loopback, sandbox/provision.ts) for a demo mailbox on
// its Dovecot and an account on every sandbox site, then stores the mailbox
// settings and one vault entry per site for the caller — so a newcomer can
// run a reset with no real account.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { AppError } from '../../lib/errors.js';
import { createMailboxStore } from '../../lib/mailbox/mailbox-store.js';
import { createVaultStore } from '../../lib/vault/vault-store.js';
import type { SandboxProvision } from '../../sandbox/provision.js';
import { readSandboxInfo, type SandboxInfo } from '../../sandbox/sandbox-info.js';
import type { AppEnv } from '../context.js';
import { createApi } from '../create-api.js';
import { principalOf, requireUser } from '../middleware/auth.js';
import { byUser, rateLimit } from '../middleware/rate-limit.js';
import { errorResponse, rateLimitedResponse, signedIn } from './auth.js';

const SandboxStatus = z
  .object({
    available: z.boolean().openapi({ description: 'The sandbox runs here (development only)' }),
    sites: z.array(z.object({ slug: z.string(), name: z.string() })),
  })
  .openapi('SandboxStatus');

const Provisioned = z
  .object({
    mailbox: z.object({ host: z.string(), port: z.number().int(), user: z.string() }),
    accounts: z.array(z.object({ slug: z.string(), name: z.string(), url: z.string(), entryId: z.string() })),
  })
  .openapi('SandboxProvisioned');

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

const statusRoute = createRoute({
  method: 'get',
  path: '/api/sandbox',
  tags: ['Sandbox'],
  summary: 'Whether the local sandbox runs (dev only)',
  security: signedIn,
  middleware: requireUser(),
  responses: { 200: json(SandboxStatus, 'Sandbox status'), 401: errorResponse('Not signed in') },
});

const provisionRoute = createRoute({
  method: 'post',
  path: '/api/sandbox/provision',
  tags: ['Sandbox'],
  summary: 'Give me a demo mailbox and accounts on every sandbox site (dev only)',
  description:
    'Replaces your mailbox settings with a new sandbox mailbox and adds one vault entry per sandbox site. 5 per hour per person. ' +
    '404 when the sandbox does not run (always in production).',
  security: signedIn,
  middleware: [requireUser(), rateLimit({ rule: { name: 'sandbox-provision-user', limit: 5, windowMs: 60 * 60_000 }, subject: byUser })] as const,
  responses: {
    200: json(Provisioned, 'Provisioned'),
    401: errorResponse('Not signed in'),
    404: errorResponse('No sandbox here'),
    429: rateLimitedResponse,
    502: errorResponse('The sandbox process did not answer'),
  },
});

/** The running sandbox, or null (production, REKEY_SANDBOX off, or not started). */
function sandboxOf(c: Context<AppEnv>): SandboxInfo | null {
  const { config } = c.get('deps');
  if (config.production || !config.sandbox) return null;
  const info = readSandboxInfo(config);
  return info?.provisionUrl ? info : null;
}

/** Only ever the sandbox's own loopback control server. */
function loopbackUrl(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]') ? url.href : null;
  } catch {
    return null;
  }
}

export const sandboxRoutes = createApi()
  .openapi(statusRoute, (c) => {
    const info = sandboxOf(c);
    return c.json({ available: !!info, sites: (info?.sites ?? []).map((s) => ({ slug: s.slug, name: s.name })) }, 200);
  })
  .openapi(provisionRoute, async (c) => {
    const info = sandboxOf(c);
    const url = info ? loopbackUrl(info.provisionUrl) : null;
    if (!info || !url) throw new AppError('not_found', 'The sandbox does not run here');
    const { db, keyring } = c.get('deps');
    const userId = principalOf(c).userId;
    const user = await db.user.findUnique({ where: { id: userId }, select: { email: true, name: true } });
    let demo: SandboxProvision;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ label: user?.name || user?.email.split('@')[0] || 'demo' }),
        signal: AbortSignal.timeout(15_000),
      });
      if (!res.ok) throw new Error(`status ${res.status}`);
      demo = (await res.json()) as SandboxProvision;
    } catch (err) {
      c.get('log').warn({ err }, 'sandbox provisioning failed');
      return c.json({ error: { code: 'bad_gateway', message: 'The sandbox did not answer. Is `npm start` running it?' } }, 502);
    }
    await createMailboxStore({ db, keyring }).put(userId, demo.mailbox);
    const vault = createVaultStore({ db, keyring });
    const accounts = [];
    for (const a of demo.accounts) {
      const entry = await vault.createEntry(userId, {
        url: a.url,
        username: a.email,
        email: a.email,
        password: a.password,
        totpSecret: a.totpSecret ?? null,
        serviceId: a.slug,
        label: `${a.name} (sandbox)`,
      });
      accounts.push({ slug: a.slug, name: a.name, url: a.url, entryId: entry.id });
    }
    c.get('log').info({ sites: accounts.length }, 'sandbox demo provisioned');
    return c.json({ mailbox: { host: demo.mailbox.host, port: demo.mailbox.port, user: demo.mailbox.user }, accounts }, 200);
  });
