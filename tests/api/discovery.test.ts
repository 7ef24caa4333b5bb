// POST /api/sign-in-discovery against the sandbox sites with the real browser:
// every method detected on a page that shows it, the reset URL from
// /.well-known/change-password where a site has one (and only when the W3C
// reliability probe passes), from the catalog, or from the forgot link;
// sign-up links; the cache; and the target guard.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalog } from '../../catalog/index.js';
import { sandboxServices } from '../../lib/catalog-for-config.js';
import { closeDiscoveryBrowsers } from '../../lib/discovery/discovery-browser.js';
import { freePort } from '../../lib/free-port.js';
import { startSandbox, type Sandbox } from '../../sandbox/sites/index.js';
import { createTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-config.js';
import { forEachDatabase } from '../support/test-db.js';
import { signedIn } from '../support/signed-in.js';

interface Discovery {
  methods: string[];
  resetUrl: string | null;
  signupUrl: string | null;
  loginUrl: string | null;
}

let sandbox: Sandbox;
/** A site that answers 200 to everything (a catch-all SPA): its /.well-known answers mean nothing. */
let softSite: Server;
let softOrigin: string;

beforeAll(async () => {
  sandbox = await startSandbox({ deliver: async () => {} });
  softSite = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/.well-known/change-password') {
      res.writeHead(302, { location: '/settings/password' }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><html><head><title>Soft</title></head><body><h1>Sign in to Soft</h1>
<form method="post" action="/session"><label for="e">Email</label><input id="e" type="email" name="email" autocomplete="username">
<label for="p">Password</label><input id="p" type="password" name="password" autocomplete="current-password"><button type="submit">Sign in</button></form>
<p><a href="/recover-access">Forgot your password?</a> · <a href="/newsletter/signup">Sign up for our newsletter</a> · <a href="/join">Create an account</a></p></body></html>`);
  });
  await new Promise<void>((resolve) => softSite.listen(0, '127.0.0.1', resolve));
  softOrigin = `http://127.0.0.1:${(softSite.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await closeDiscoveryBrowsers();
  await sandbox?.stop();
  softSite?.closeAllConnections();
  await new Promise((resolve) => softSite?.close(resolve));
});

forEachDatabase('POST /api/sign-in-discovery', (get) => {
  /** The built-in catalog only: sandbox sites are unknown to it, so their reset URLs come from the pages. */
  let t: ReturnType<typeof createTestApp>;
  /** The catalog a dev deployment has: the built-in services plus the sandbox sites. */
  let withSandbox: ReturnType<typeof createTestApp>;
  /** REKEY_ALLOW_PRIVATE_TARGETS=false. */
  let strict: ReturnType<typeof createTestApp>;
  let person: { cookie: string };
  /** Errors count against the hourly limit too: a second person keeps the happy paths clear of it. */
  let other: { cookie: string };

  beforeAll(async () => {
    const { db, url } = get();
    t = createTestApp({ config: testConfig({ DATABASE_URL: url }), db });
    withSandbox = createTestApp({ config: testConfig({ DATABASE_URL: url }), db, catalog: createCatalog({ extra: sandboxServices(sandbox.sites) }) });
    strict = createTestApp({ config: testConfig({ DATABASE_URL: url, REKEY_ALLOW_PRIVATE_TARGETS: 'false' }), db });
    person = await signedIn(db);
    other = await signedIn(db);
  });
  afterAll(async () => {
    await Promise.all([t?.close(), withSandbox?.close(), strict?.close()]);
  });

  function post(body: unknown, opts: { via?: typeof t; cookie?: string | null; headers?: Record<string, string> } = {}) {
    const cookie = opts.cookie === undefined ? person.cookie : opts.cookie;
    return postAs(cookie, body, opts);
  }

  function postAs(cookie: string | null, body: unknown, opts: { via?: typeof t; headers?: Record<string, string> } = {}) {
    return (opts.via ?? t).app.request('/api/sign-in-discovery', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}), ...opts.headers },
      body: JSON.stringify(body),
    });
  }

  async function discover(url: string, via = t): Promise<Discovery> {
    // Each test starts from a cold cache, so it sees the site, not an earlier answer.
    await get().db.discoveryCache.deleteMany({ where: { origin: new URL(url).origin } });
    const res = await post({ url }, { via });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as Discovery;
  }

  const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string; field?: string } }).error;

  describe('methods', () => {
    it('larkspur: Google, Apple, Microsoft and GitHub buttons, a passkey, and email with password', async () => {
      const origin = sandbox.origin('larkspur');
      const found = await discover(sandbox.site('larkspur').homeUrl);
      expect(found).toEqual({
        methods: ['email_password', 'google_oauth', 'apple_oauth', 'microsoft_oauth', 'github_oauth', 'passkey'],
        resetUrl: `${origin}/forgot-password`,
        signupUrl: `${origin}/signup`,
        loginUrl: `${origin}/login`,
      });
    });

    it('beacon: an emailed sign-in link, single sign-on, and a password as the fallback', async () => {
      const origin = sandbox.origin('beacon');
      const found = await discover(sandbox.site('beacon').homeUrl);
      expect(found.methods).toEqual(['email_password', 'magic_link', 'sso']);
      expect(found.signupUrl).toBe(`${origin}/register`);
      expect(found.loginUrl).toBe(`${origin}/signin`);
      // The forgot link is one step further (on the password form): without a catalog entry there is none to report.
      expect(found.resetUrl).toBeNull();
    });

    it('a plain site: email and password only (papercrane), and a two-step sign-in counts as one (ledgerly)', async () => {
      expect((await discover(sandbox.site('papercrane').homeUrl)).methods).toEqual(['email_password']);
      const ledgerly = await discover(sandbox.site('ledgerly').homeUrl);
      expect(ledgerly.methods).toEqual(['email_password']);
      expect(ledgerly.loginUrl).toBe(sandbox.site('ledgerly').loginUrl);
    });

    it('starting from the sign-in page itself works too', async () => {
      const found = await discover(sandbox.site('larkspur').loginUrl);
      expect(found.methods).toContain('passkey');
      expect(found.loginUrl).toBe(sandbox.site('larkspur').loginUrl);
    });
  });

  describe('reset URL', () => {
    it('from /.well-known/change-password when the site has one: even a page linked from nowhere (tidepool)', async () => {
      const found = await discover(sandbox.site('tidepool').homeUrl);
      expect(found.resetUrl).toBe(`${sandbox.origin('tidepool')}/settings/security/password-recovery`);
      expect(found.methods).toEqual(['email_password']);
      const log = sandbox.requestLog('tidepool').map((r) => `${r.path} ${r.status}`);
      expect(log).toContain('/.well-known/resource-that-should-not-exist-whose-status-code-should-not-be-200 404');
      expect(log).toContain('/.well-known/change-password 302');
    });

    it('from /.well-known/change-password on papercrane (its redirect target)', async () => {
      expect((await discover(sandbox.site('papercrane').homeUrl)).resetUrl).toBe(`${sandbox.origin('papercrane')}/password/forgot`);
    });

    it('not from /.well-known when the site answers 200 to anything: the forgot link instead', async () => {
      const found = await discover(`${softOrigin}/`);
      expect(found.resetUrl).toBe(`${softOrigin}/recover-access`);
      expect(found.signupUrl).toBe(`${softOrigin}/join`);
      expect(found.methods).toEqual(['email_password']);
    });

    it('from the catalog when the page does not link one (beacon with the sandbox catalog)', async () => {
      const found = await discover(sandbox.site('beacon').homeUrl, withSandbox);
      expect(found.resetUrl).toBe(sandbox.site('beacon').resetUrl);
    });
  });

  describe('cache', () => {
    it('answers an origin from the cache for an hour, without visiting the site again', async () => {
      const { db } = get();
      const url = sandbox.site('larkspur').homeUrl;
      const first = await discover(url);
      const row = await db.discoveryCache.findUnique({ where: { origin: sandbox.origin('larkspur') } });
      expect(row).not.toBeNull();
      expect(row!.expiresAt.getTime() - Date.now()).toBeGreaterThan(59 * 60_000);
      expect(row!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(60 * 60_000);

      sandbox.clearRequestLog('larkspur');
      const again = await post({ url: `${sandbox.origin('larkspur')}/login` });
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual(first);
      expect(sandbox.requestLog('larkspur')).toEqual([]);
    });
  });

  describe('errors and security', () => {
    it('refuses private and local targets when they are not allowed, before any visit: 400 target_not_allowed on url', async () => {
      sandbox.clearRequestLog();
      for (const url of [sandbox.site('larkspur').homeUrl, 'http://127.0.0.1/', 'http://10.0.0.8/login', 'http://[::1]/', 'http://2130706433/', 'http://localhost:1/']) {
        const res = await postAs(other.cookie, { url }, { via: strict });
        expect(res.status, url).toBe(400);
        expect(await errorOf(res), url).toMatchObject({ code: 'target_not_allowed', field: 'url' });
      }
      expect(sandbox.requestLog('larkspur')).toEqual([]);
    });

    it('refuses cloud metadata addresses even when private targets are allowed', async () => {
      const res = await postAs(other.cookie, { url: 'http://169.254.169.254/latest/meta-data/' });
      expect(res.status).toBe(400);
      expect((await errorOf(res)).code).toBe('target_not_allowed');
    });

    it('400 for something that is not an http(s) URL, or no URL at all', async () => {
      for (const url of ['ftp://example.com/', 'javascript:alert(1)', 'https://user:pw@example.com/']) {
        const res = await postAs(other.cookie, { url });
        expect(res.status, url).toBe(400);
        expect(await errorOf(res)).toMatchObject({ code: 'target_not_allowed', field: 'url' });
      }
      for (const body of [{}, { url: '' }, { url: 42 }]) {
        const res = await postAs(other.cookie, body);
        expect(res.status).toBe(400);
        expect(await errorOf(res)).toMatchObject({ code: 'validation_failed', field: 'url' });
      }
    });

    it('502 site_unreachable when nothing answers', async () => {
      const res = await postAs(other.cookie, { url: `http://127.0.0.1:${await freePort()}/` });
      expect(res.status).toBe(502);
      const error = await errorOf(res);
      expect(error.code).toBe('site_unreachable');
      expect(error.message).toMatch(/Could not load 127\.0\.0\.1:\d+/);
    });

    it('401 without credentials; 403 for a cookie from another origin', async () => {
      expect((await post({ url: sandbox.site('larkspur').homeUrl }, { cookie: null })).status).toBe(401);
      const evil = await postAs(other.cookie, { url: sandbox.site('larkspur').homeUrl }, { headers: { origin: 'https://evil.example' } });
      expect(evil.status).toBe(403);
      expect((await errorOf(evil)).code).toBe('csrf_rejected');
    });
  });
});
