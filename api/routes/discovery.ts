// POST /api/sign-in-discovery: how a site lets people sign in, where its
// password reset starts and where to sign up, read by a real browser (see
// lib/discovery/discover-sign-in.ts). The URL passes the target guard first.
import { createRoute, z } from '@hono/zod-openapi';
import { BrowserUserError } from '../../activities/browser/browser-user.js';
import { ChromiumNotFoundError } from '../../activities/browser/chromium-path.js';
import { discoverSignIn, SiteUnreachableError } from '../../lib/discovery/discover-sign-in.js';
import { signInMethods } from '../../lib/discovery/sign-in-vocabulary.js';
import { AppError } from '../../lib/errors.js';
import { TargetNotAllowedError } from '../../lib/net/target-guard.js';
import type { RateLimitRule } from '../../lib/rate-limit/rules.js';
import { createApi } from '../create-api.js';
import { requireUser } from '../middleware/auth.js';
import { byUser, rateLimit } from '../middleware/rate-limit.js';
import { errorResponse, rateLimitedResponse, signedIn } from './auth.js';

/** Each uncached discovery runs a browser: 30 an hour per person is plenty for a UI and stops a loop. */
export const discoveryRateLimit: RateLimitRule = { name: 'sign-in-discovery-user', limit: 30, windowMs: 60 * 60_000 };

const SignInMethod = z.enum(signInMethods).openapi('SignInMethod', {
  description:
    '`email_password` (a password field, a two-step email-then-password sign-in, or a forgot-password link), ' +
    '`google_oauth`, `apple_oauth`, `microsoft_oauth`, `github_oauth` (a "Continue with …" control or a link to the provider), ' +
    '`passkey` (WebAuthn), `magic_link` (a sign-in link or code sent by email), `sso` (single sign-on / SAML)',
});

const DiscoveryBody = z
  .strictObject({
    url: z.string().trim().min(1).max(2048).openapi({
      description: 'The site, as a URL or a bare domain (https is assumed). http or https only; must resolve to public addresses unless the deployment allows private targets.',
      example: 'https://example.com',
    }),
  })
  .openapi('SignInDiscoveryRequest');

const Discovery = z
  .object({
    methods: z.array(SignInMethod),
    resetUrl: z.string().nullable().openapi({
      description: 'Where a password reset starts: /.well-known/change-password (when the site passes the W3C reliability probe), else the catalog, else the forgot-password link',
      example: 'https://example.com/forgot-password',
    }),
    signupUrl: z.string().nullable().openapi({ example: 'https://example.com/signup' }),
    loginUrl: z.string().nullable().openapi({ description: 'The sign-in page that was read', example: 'https://example.com/login' }),
  })
  .openapi('SignInDiscovery');

const discoveryRoute = createRoute({
  method: 'post',
  path: '/api/sign-in-discovery',
  tags: ['Reset'],
  summary: 'Discover how a site lets people sign in',
  description:
    'A real browser loads the page, finds the sign-in page and reads it. Results are cached per origin for an hour. ' +
    '30 requests an hour per person (cached answers count too).',
  security: signedIn,
  middleware: [requireUser(), rateLimit({ rule: discoveryRateLimit, subject: byUser, message: 'Too many discoveries. Try again later.' })] as const,
  request: { body: { required: true, content: { 'application/json': { schema: DiscoveryBody } } } },
  responses: {
    200: { description: 'What the site offers', content: { 'application/json': { schema: Discovery } } },
    400: errorResponse('Invalid body, or `target_not_allowed`: not http(s), credentials in the URL, or a private/local address'),
    401: errorResponse('Not signed in'),
    429: rateLimitedResponse,
    502: errorResponse('`site_unreachable`: the page did not load'),
    503: errorResponse('`unavailable`: no Chromium on this server'),
  },
});

export const discoveryRoutes = createApi().openapi(discoveryRoute, async (c) => {
  const { db, catalog, config, logger } = c.get('deps');
  try {
    const result = await discoverSignIn(
      // The app's logger, not the request's: the browser it launches outlives this request.
      { db, catalog, logger, allowPrivateTargets: config.allowPrivateTargets, chromiumPath: config.chromiumPath, browserUser: config.browserUser },
      c.req.valid('json'),
    );
    return c.json(result, 200);
  } catch (err) {
    if (err instanceof TargetNotAllowedError && err.details) err.details.field = 'url';
    if (err instanceof SiteUnreachableError) return c.json({ error: { code: 'site_unreachable', message: err.message } }, 502);
    if (err instanceof ChromiumNotFoundError) throw new AppError('unavailable', `Sign-in discovery needs Chromium on the server. ${err.message}`);
    if (err instanceof BrowserUserError) throw new AppError('unavailable', `Sign-in discovery needs Chromium with its sandbox on. ${err.message}`);
    throw err;
  }
});
