import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import type { Sandbox } from './index.js';
import { UserExistsError } from './user-store.js';

const createUserBody = z.object({
  email: z.string().email(),
  password: z.string().min(1),
  totpSecret: z.string().regex(/^[A-Z2-7=\s]+$/i, 'base32').optional(),
  phone: z.string().min(4).optional(),
  displayName: z.string().optional(),
  onConflict: z.enum(['error', 'keep', 'replace']).optional(),
});
const checkPasswordBody = z.object({ password: z.string() });
const advanceClockBody = z.object({ ms: z.number().int().nonnegative() });
const quirksBody = z.object({ stallPathPrefix: z.string().startsWith('/').optional(), readonlyNewPasswordUntilFocus: z.boolean().optional() }).strict();

function fail(status: 400 | 404 | 409, code: string, message: string): never {
  throw new HTTPException(status, { res: Response.json({ error: { code, message } }, { status }) });
}

async function parse<T>(schema: z.ZodType<T>, request: Request): Promise<T> {
  const json: unknown = await request.json().catch(() => fail(400, 'invalid_json', 'body must be JSON'));
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    fail(400, 'invalid_body', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

/**
 * The sandbox's controls as JSON, for the dev demo and for tests whose
 * worker runs in another process. Served at `http://control.localhost:<port>/`
 * and at `http://127.0.0.1:<port>/_sandbox/`.
 */
export function createControlApp(sandbox: Sandbox): Hono {
  const app = new Hono();
  const siteOr404 = (slug: string) => sandbox.sites.find((s) => s.slug === slug) ?? fail(404, 'unknown_site', `no site ${slug}`);

  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    console.error('[sandbox:control]', error);
    return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
  });
  app.notFound((c) => c.json({ error: { code: 'not_found', message: 'no such control route' } }, 404));

  return app
    .get('/health', (c) => c.json({ status: 'ok', port: sandbox.port, now: new Date(sandbox.now()).toISOString() }))
    .get('/sites', (c) => c.json({ items: sandbox.sites }))
    .get('/sites/:slug', (c) => c.json(siteOr404(c.req.param('slug'))))
    .post('/sites/:slug/users', async (c) => {
      const { slug } = siteOr404(c.req.param('slug'));
      const { onConflict, ...input } = await parse(createUserBody, c.req.raw);
      try {
        return c.json(sandbox.createUser(slug, input, { onConflict }), 201);
      } catch (error) {
        if (error instanceof UserExistsError) fail(409, error.code, error.message);
        throw error;
      }
    })
    .put('/sites/:slug/quirks', async (c) => {
      const { slug } = siteOr404(c.req.param('slug'));
      const quirks = await parse(quirksBody, c.req.raw);
      sandbox.setQuirks(slug, quirks);
      return c.json(quirks);
    })
    .get('/sites/:slug/users/:email', (c) => {
      const { slug } = siteOr404(c.req.param('slug'));
      const user = sandbox.getUser(slug, c.req.param('email'));
      return user ? c.json(user) : fail(404, 'unknown_user', 'no such user');
    })
    .post('/sites/:slug/users/:email/check-password', async (c) => {
      const { slug } = siteOr404(c.req.param('slug'));
      const { password } = await parse(checkPasswordBody, c.req.raw);
      return c.json({ ok: sandbox.checkPassword(slug, c.req.param('email'), password) });
    })
    .get('/sites/:slug/users/:email/sms', (c) => {
      const { slug } = siteOr404(c.req.param('slug'));
      const code = sandbox.lastSmsCode(slug, c.req.param('email'));
      return code ? c.json({ code }) : fail(404, 'no_sms', 'no code has been texted to this user');
    })
    .get('/sites/:slug/captcha', (c) => {
      const { slug } = siteOr404(c.req.param('slug'));
      const solution = sandbox.captchaSolution(slug);
      return solution ? c.json({ solution }) : fail(404, 'no_challenge', 'no open CAPTCHA challenge');
    })
    .get('/requests', (c) => {
      const host = c.req.query('host');
      return host ? c.json({ items: sandbox.requestLog(host) }) : fail(400, 'invalid_query', 'host is required (a slug or a hostname)');
    })
    .delete('/requests', (c) => {
      sandbox.clearRequestLog(c.req.query('host'));
      return c.body(null, 204);
    })
    .post('/clock/advance', async (c) => {
      const { ms } = await parse(advanceClockBody, c.req.raw);
      sandbox.advanceClock(ms);
      return c.json({ now: new Date(sandbox.now()).toISOString() });
    });
}
