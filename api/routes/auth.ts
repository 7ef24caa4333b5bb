// Sign-up, sign-in (password, then 2FA when on), sign-out, the caller, sudo.
// Shared OpenAPI pieces for the account routes (error body, user, security
// schemes) live here too; sessions.ts, api-keys.ts and account.ts import them.
import { createRoute, z } from '@hono/zod-openapi';
import { completeMfaSignIn } from '../../lib/accounts/complete-mfa-sign-in.js';
import { getUser } from '../../lib/accounts/get-user.js';
import { grantSudo } from '../../lib/accounts/grant-sudo.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../lib/accounts/password-rules.js';
import { signIn } from '../../lib/accounts/sign-in.js';
import { signOut } from '../../lib/accounts/sign-out.js';
import { signUp } from '../../lib/accounts/sign-up.js';
import { rateLimits } from '../../lib/rate-limit/rules.js';
import { createApi } from '../create-api.js';
import {
  accountDepsOf,
  clearAuthCookies,
  principalOf,
  requestMetaOf,
  requireSession,
  requireUser,
  setSessionCookie,
  setSudoCookie,
} from '../middleware/auth.js';
import { byClientIp, rateLimit } from '../middleware/rate-limit.js';

// ---- shared OpenAPI pieces --------------------------------------------------

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'validation_failed' }),
      message: z.string(),
      field: z.string().optional(),
    }),
  })
  .openapi('Error');

export const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ErrorBody } } });

export const rateLimitedResponse = {
  description: 'Too many attempts: wait for the number of seconds in Retry-After',
  headers: z.object({ 'Retry-After': z.string().openapi({ description: 'Seconds until the window ends', example: '900' }) }),
  content: { 'application/json': { schema: ErrorBody } },
};

export const OkBody = z.object({ ok: z.literal(true) }).openapi('Ok');

export const UserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    role: z.enum(['user', 'staff']),
    emailVerified: z.boolean(),
    twoFactorEnabled: z.boolean(),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('User');

export const UserBody = z.object({ user: UserSchema }).openapi('UserResponse');

/** Either credential works: the browser's session cookie or an API key. */
type SecurityRequirement = Record<string, string[]>;
export const signedIn: SecurityRequirement[] = [{ sessionCookie: [] }, { apiKey: [] }];
/** Only a browser session (plus, where stated, a sudo grant). */
export const browserSession: SecurityRequirement[] = [{ sessionCookie: [] }];

export const Email = z.string().trim().min(3).max(254).email().openapi({ example: 'ada@example.com' });
export const NewPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH)
  .max(PASSWORD_MAX_LENGTH)
  .openapi({ description: `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters, not your email address` });
/** A password being checked, not set: any length up to the maximum (argon2 input stays bounded). */
export const AnyPassword = z.string().min(1).max(PASSWORD_MAX_LENGTH);

// ---- schemas ----------------------------------------------------------------

const SignUpBody = z
  .object({ email: Email, password: NewPassword, name: z.string().trim().max(100).optional() })
  .openapi('SignUpRequest');

const SignInBody = z.object({ email: z.string().trim().min(1).max(254), password: AnyPassword }).openapi('SignInRequest');

const MfaRequired = z
  .object({
    mfaRequired: z.literal(true),
    challengeToken: z.string().openapi({ description: 'Send it with a code to POST /api/auth/signin/mfa within 10 minutes; 5 codes at most' }),
  })
  .openapi('MfaRequired');

const SignInMfaBody = z
  .object({
    challengeToken: z.string().min(1).max(200),
    code: z.string().trim().min(6).max(40).openapi({ description: 'A 6-digit TOTP code, or a recovery code' }),
  })
  .openapi('SignInMfaRequest');

const SudoBody = z.object({ password: AnyPassword }).openapi('SudoRequest');
const SudoGranted = z
  .object({ ok: z.literal(true), sudoUntil: z.string().openapi({ format: 'date-time' }) })
  .openapi('SudoGranted');

// ---- routes -----------------------------------------------------------------

const signUpRoute = createRoute({
  method: 'post',
  path: '/api/auth/signup',
  tags: ['Auth'],
  summary: 'Create an account and sign in',
  description:
    'Sets the session cookie (`authjs.session-token`, `__Secure-authjs.session-token` over HTTPS; httpOnly, SameSite=Lax). ' +
    'An address that already has an account gets 409 `email_taken`: the contract signs the caller in at once, so that case ' +
    'cannot look like success. It takes as long as a real sign-up (the password is hashed first), sign-ups are limited to ' +
    '10 an hour per client address, and the address owner is told by email. A verification email is sent when email is configured.',
  middleware: [rateLimit({ rule: rateLimits.signUpIp, subject: byClientIp, message: 'Too many sign-ups from this address. Try again later.' })] as const,
  request: { body: { required: true, content: { 'application/json': { schema: SignUpBody } } } },
  responses: {
    201: { description: 'Signed up and signed in', content: { 'application/json': { schema: UserBody } } },
    400: errorResponse('Invalid body (the field is named), or a password that breaks the rules'),
    409: errorResponse('`email_taken`'),
    429: rateLimitedResponse,
  },
});

const signInRoute = createRoute({
  method: 'post',
  path: '/api/auth/signin',
  tags: ['Auth'],
  summary: 'Sign in with email and password',
  description:
    'Sets the session cookie, or — when 2FA is on — answers `{mfaRequired: true, challengeToken}` for POST /api/auth/signin/mfa. ' +
    'A wrong password and an unknown email give the same 401 `invalid_credentials` in the same time. After 5 failures for one ' +
    'email, or 20 from one client address, in 15 minutes: 429 with Retry-After, whether or not the account exists.',
  request: { body: { required: true, content: { 'application/json': { schema: SignInBody } } } },
  responses: {
    200: { description: 'Signed in, or a second factor is needed', content: { 'application/json': { schema: z.union([UserBody, MfaRequired]) } } },
    400: errorResponse('Invalid body'),
    401: errorResponse('`invalid_credentials`'),
    429: rateLimitedResponse,
  },
});

const signInMfaRoute = createRoute({
  method: 'post',
  path: '/api/auth/signin/mfa',
  tags: ['Auth'],
  summary: 'Finish a sign-in with a TOTP or recovery code',
  description:
    'A TOTP code is accepted once per 30-second step; a recovery code once ever. A challenge takes 5 codes: after the 5th wrong ' +
    'one it is void (401 `challenge_invalid`) and the person signs in again. Wrong codes are also limited per person across challenges.',
  request: { body: { required: true, content: { 'application/json': { schema: SignInMfaBody } } } },
  responses: {
    200: { description: 'Signed in (session cookie set)', content: { 'application/json': { schema: UserBody } } },
    400: errorResponse('Invalid body'),
    401: errorResponse('`invalid_credentials` (wrong code) or `challenge_invalid` (expired, used or void: sign in again)'),
    429: rateLimitedResponse,
  },
});

const signOutRoute = createRoute({
  method: 'post',
  path: '/api/auth/signout',
  tags: ['Auth'],
  summary: "Sign out this browser (its session is revoked and the cookies cleared)",
  responses: { 200: { description: 'Signed out (also when there was no session)', content: { 'application/json': { schema: OkBody } } } },
});

const meRoute = createRoute({
  method: 'get',
  path: '/api/auth/me',
  tags: ['Auth'],
  summary: 'The signed-in person',
  security: signedIn,
  middleware: [requireUser()] as const,
  responses: {
    200: { description: 'The caller', content: { 'application/json': { schema: UserBody } } },
    401: errorResponse('Not signed in'),
  },
});

const sudoRoute = createRoute({
  method: 'post',
  path: '/api/auth/sudo',
  tags: ['Auth'],
  summary: 'Confirm the password for 5 minutes of sudo',
  description:
    'Sets the sudo cookie (httpOnly, SameSite=Strict, Path=/, Max-Age 300), bound to this session. Needed by API-key creation, ' +
    'account deletion, 2FA disable and vault reveal; without it those answer 403 `sudo_required`. Browser sessions only. ' +
    'Wrong passwords count toward the sign-in limit of the account.',
  security: browserSession,
  middleware: [requireUser(), requireSession()] as const,
  request: { body: { required: true, content: { 'application/json': { schema: SudoBody } } } },
  responses: {
    200: { description: 'Sudo granted', content: { 'application/json': { schema: SudoGranted } } },
    400: errorResponse('`wrong_password`, or an invalid body'),
    401: errorResponse('Not signed in'),
    403: errorResponse('Called with an API key'),
    429: rateLimitedResponse,
  },
});

export const authRoutes = createApi()
  .openapi(signUpRoute, async (c) => {
    const body = c.req.valid('json');
    const result = await signUp(accountDepsOf(c), body, requestMetaOf(c));
    setSessionCookie(c, result.sessionToken);
    return c.json({ user: result.user }, 201);
  })
  .openapi(signInRoute, async (c) => {
    const result = await signIn(accountDepsOf(c), c.req.valid('json'), requestMetaOf(c));
    if (result.kind === 'mfa_required') return c.json({ mfaRequired: true as const, challengeToken: result.challengeToken }, 200);
    setSessionCookie(c, result.sessionToken);
    return c.json({ user: result.user }, 200);
  })
  .openapi(signInMfaRoute, async (c) => {
    const result = await completeMfaSignIn(accountDepsOf(c), c.req.valid('json'), requestMetaOf(c));
    setSessionCookie(c, result.sessionToken);
    return c.json({ user: result.user }, 200);
  })
  .openapi(signOutRoute, async (c) => {
    const p = c.get('principal');
    if (p?.via === 'session' && p.sessionId) {
      await signOut(accountDepsOf(c), { userId: p.userId, sessionId: p.sessionId, meta: requestMetaOf(c) });
    }
    clearAuthCookies(c);
    return c.json({ ok: true as const }, 200);
  })
  .openapi(meRoute, async (c) => {
    return c.json({ user: await getUser(accountDepsOf(c), { userId: principalOf(c).userId }) }, 200);
  })
  .openapi(sudoRoute, async (c) => {
    const p = principalOf(c);
    const { password } = c.req.valid('json');
    const grant = await grantSudo(accountDepsOf(c), { userId: p.userId, sessionId: p.sessionId!, password, meta: requestMetaOf(c) });
    setSudoCookie(c, grant.token);
    return c.json({ ok: true as const, sudoUntil: grant.until.toISOString() }, 200);
  });

authRoutes.openAPIRegistry.registerComponent('securitySchemes', 'sessionCookie', {
  type: 'apiKey',
  in: 'cookie',
  name: 'authjs.session-token',
  description: 'The browser session (`__Secure-authjs.session-token` over HTTPS). Unsafe methods also need a same-origin or absent Origin.',
});
authRoutes.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
  type: 'http',
  scheme: 'bearer',
  description: 'An API key (`rk_…`) from POST /api/api-keys, as `Authorization: Bearer rk_…`. Not subject to the Origin check.',
});
