// The person's account (programmatic-surface.txt "Account"): password reset
// and change, email verification, 2FA lifecycle, export, deletion.
import { createRoute, z } from '@hono/zod-openapi';
import { changePassword } from '../../lib/accounts/change-password.js';
import { confirmEmail } from '../../lib/accounts/confirm-email.js';
import { deleteAccount } from '../../lib/accounts/delete-account.js';
import { disableTotp } from '../../lib/accounts/disable-totp.js';
import { enableTotp } from '../../lib/accounts/enable-totp.js';
import { exportAccount } from '../../lib/accounts/export-account.js';
import { requestPasswordReset } from '../../lib/accounts/request-password-reset.js';
import { resetPassword } from '../../lib/accounts/reset-password.js';
import { setupTotp } from '../../lib/accounts/setup-totp.js';
import { startEmailVerification } from '../../lib/accounts/start-email-verification.js';
import { TOTP_SECRET_PATTERN } from '../../lib/accounts/totp.js';
import { verifySecondFactor } from '../../lib/accounts/verify-second-factor.js';
import { rateLimits } from '../../lib/rate-limit/rules.js';
import { createApi } from '../create-api.js';
import { accountDepsOf, clearAuthCookies, principalOf, requestMetaOf, requireSudo, requireUser } from '../middleware/auth.js';
import { byClientIp, rateLimit } from '../middleware/rate-limit.js';
import { AnyPassword, browserSession, errorResponse, NewPassword, OkBody, rateLimitedResponse, signedIn } from './auth.js';

const Token = z.string().trim().min(1).max(200);

const ForgotPasswordBody = z.object({ email: z.string().trim().min(1).max(254) }).openapi('ForgotPasswordRequest');
const ForgotPasswordResult = z
  .object({ ok: z.literal(true), configured: z.boolean().openapi({ description: "false: this deployment has no email (SMTP_URL unset); nothing is sent" }) })
  .openapi('ForgotPasswordResponse');
const ResetPasswordBody = z.object({ token: Token, password: NewPassword }).openapi('ResetPasswordRequest');
const ChangePasswordBody = z.object({ currentPassword: AnyPassword, newPassword: NewPassword }).openapi('ChangePasswordRequest');
const ChangePasswordResult = z.object({ ok: z.literal(true), sessionsRevoked: z.number().int() }).openapi('ChangePasswordResponse');
const VerifyStartResult = z
  .object({ ok: z.literal(true), configured: z.boolean(), alreadyVerified: z.boolean() })
  .openapi('VerifyEmailStartResponse');
const ConfirmEmailBody = z.object({ token: Token }).openapi('ConfirmEmailRequest');
const TotpSetup = z
  .object({
    secret: z.string().openapi({ description: 'Base32 secret, for manual entry; send it back to enable' }),
    otpauthUri: z.string().openapi({ example: 'otpauth://totp/Rekey:ada%40example.com?issuer=Rekey&secret=…' }),
    qrCodeDataUrl: z.string().openapi({ description: 'The URI as a QR code, a PNG data URL' }),
  })
  .openapi('TotpSetup');
const EnableTotpBody = z
  .object({
    secret: z.string().trim().toUpperCase().regex(TOTP_SECRET_PATTERN, 'must be the base32 secret from setup'),
    code: z.string().trim().regex(/^\d{6}$/, 'must be 6 digits'),
  })
  .openapi('EnableTotpRequest');
const RecoveryCodes = z
  .object({ recoveryCodes: z.array(z.string()).openapi({ description: '10 single-use codes, shown only now' }) })
  .openapi('RecoveryCodes');
const VerifyTotpBody = z
  .object({
    code: z.string().trim().min(6).max(40),
    recovery: z.boolean().optional().openapi({ description: 'true: `code` is a recovery code (which is then used up)' }),
  })
  .openapi('VerifySecondFactorRequest');
const VerifyTotpResult = z
  .object({ ok: z.literal(true), method: z.enum(['totp', 'recovery']), recoveryCodesLeft: z.number().int() })
  .openapi('VerifySecondFactorResponse');
const DisableTotpBody = z.object({ password: AnyPassword }).openapi('DisableTotpRequest');
const AccountExport = z
  .looseObject({ format: z.string(), exportedAt: z.string() })
  .openapi('AccountExport', { description: 'Every record of the person; encrypted columns, hashes and secrets excluded' });

const tokenResponses = {
  200: { description: 'Done', content: { 'application/json': { schema: OkBody } } },
  400: errorResponse('Invalid body, or a password that breaks the rules'),
  404: errorResponse('Unknown token'),
  409: errorResponse('`already_used`'),
  410: errorResponse('`gone`: the token has expired'),
};

const forgotPasswordRoute = createRoute({
  method: 'post',
  path: '/api/account/forgot-password',
  tags: ['Account'],
  summary: 'Email a password-reset link',
  description:
    'Always 200 `{ok: true, configured}`, the same for known and unknown addresses (the lookup and the email happen after the ' +
    'answer). 5 requests an hour per client address, then 429.',
  request: { body: { required: true, content: { 'application/json': { schema: ForgotPasswordBody } } } },
  middleware: [rateLimit({ rule: rateLimits.forgotPasswordIp, subject: byClientIp })] as const,
  responses: {
    200: { description: 'Accepted', content: { 'application/json': { schema: ForgotPasswordResult } } },
    400: errorResponse('Invalid body'),
    429: rateLimitedResponse,
  },
});

const resetPasswordRoute = createRoute({
  method: 'post',
  path: '/api/account/reset-password',
  tags: ['Account'],
  summary: 'Set a new password with a reset token',
  description: 'Signs out every session of the account; the person then signs in (with their second factor, if on).',
  request: { body: { required: true, content: { 'application/json': { schema: ResetPasswordBody } } } },
  responses: tokenResponses,
});

const changePasswordRoute = createRoute({
  method: 'post',
  path: '/api/account/change-password',
  tags: ['Account'],
  summary: 'Change the password',
  description: 'Every other session is signed out (every session when called with an API key). Wrong current passwords count toward the sign-in limit.',
  security: signedIn,
  middleware: [requireUser()] as const,
  request: { body: { required: true, content: { 'application/json': { schema: ChangePasswordBody } } } },
  responses: {
    200: { description: 'Changed', content: { 'application/json': { schema: ChangePasswordResult } } },
    400: errorResponse('`wrong_password` (current password), or a new password that breaks the rules'),
    401: errorResponse('Not signed in'),
    409: errorResponse('The account has no password'),
    429: rateLimitedResponse,
  },
});

const verifyStartRoute = createRoute({
  method: 'post',
  path: '/api/account/verify-email/start',
  tags: ['Account'],
  summary: 'Email a verification link to the signed-in person',
  description: 'Empty body. 5 requests an hour per client address.',
  security: signedIn,
  middleware: [requireUser(), rateLimit({ rule: rateLimits.verifyEmailStartIp, subject: byClientIp })] as const,
  responses: {
    200: { description: 'Sent (in the background) unless already verified or email is not configured', content: { 'application/json': { schema: VerifyStartResult } } },
    401: errorResponse('Not signed in'),
    429: rateLimitedResponse,
  },
});

const verifyConfirmRoute = createRoute({
  method: 'post',
  path: '/api/account/verify-email/confirm',
  tags: ['Account'],
  summary: 'Confirm the email address with the emailed token',
  request: { body: { required: true, content: { 'application/json': { schema: ConfirmEmailBody } } } },
  responses: tokenResponses,
});

const totpSetupRoute = createRoute({
  method: 'post',
  path: '/api/account/2fa/setup',
  tags: ['Two-factor'],
  summary: 'A fresh TOTP secret and its QR code',
  security: signedIn,
  middleware: [requireUser()] as const,
  responses: {
    200: { description: 'Scan it, then call enable with a code', content: { 'application/json': { schema: TotpSetup } } },
    401: errorResponse('Not signed in'),
    409: errorResponse('2FA is already on'),
  },
});

const totpEnableRoute = createRoute({
  method: 'post',
  path: '/api/account/2fa/enable',
  tags: ['Two-factor'],
  summary: 'Turn 2FA on with the secret from setup and a current code',
  security: signedIn,
  middleware: [requireUser()] as const,
  request: { body: { required: true, content: { 'application/json': { schema: EnableTotpBody } } } },
  responses: {
    200: { description: 'On; the recovery codes are shown this once', content: { 'application/json': { schema: RecoveryCodes } } },
    400: errorResponse('`invalid_code`, or an invalid body'),
    401: errorResponse('Not signed in'),
    409: errorResponse('2FA is already on'),
  },
});

const totpVerifyRoute = createRoute({
  method: 'post',
  path: '/api/account/2fa/verify',
  tags: ['Two-factor'],
  summary: 'Check a TOTP or recovery code',
  description: 'A TOTP code works once per 30-second step; a recovery code is used up. Wrong codes are limited per person.',
  security: signedIn,
  middleware: [requireUser()] as const,
  request: { body: { required: true, content: { 'application/json': { schema: VerifyTotpBody } } } },
  responses: {
    200: { description: 'The code is right', content: { 'application/json': { schema: VerifyTotpResult } } },
    400: errorResponse('`invalid_code` (wrong, replayed or used), or an invalid body'),
    401: errorResponse('Not signed in'),
    409: errorResponse('2FA is not on'),
    429: rateLimitedResponse,
  },
});

const totpDisableRoute = createRoute({
  method: 'post',
  path: '/api/account/2fa/disable',
  tags: ['Two-factor'],
  summary: 'Turn 2FA off (needs sudo and the password)',
  security: browserSession,
  middleware: [requireUser(), requireSudo()] as const,
  request: { body: { required: true, content: { 'application/json': { schema: DisableTotpBody } } } },
  responses: {
    200: { description: 'Off; the secret and recovery codes are deleted', content: { 'application/json': { schema: OkBody } } },
    400: errorResponse('`wrong_password`, or an invalid body'),
    401: errorResponse('Not signed in'),
    403: errorResponse('`sudo_required`'),
    409: errorResponse('2FA is not on'),
    429: rateLimitedResponse,
  },
});

const exportRoute = createRoute({
  method: 'get',
  path: '/api/account/export',
  tags: ['Account'],
  summary: "Download the person's data (JSON attachment)",
  description:
    'User, sessions, API keys, vault entries, mailbox, tasks and their steps, webhooks and deliveries, audit events. ' +
    'No encrypted column, hash or secret: no passwords, TOTP secrets, mailbox password, webhook secrets or tokens.',
  security: signedIn,
  middleware: [requireUser()] as const,
  responses: {
    200: {
      description: 'The export, with Content-Disposition: attachment',
      headers: z.object({ 'Content-Disposition': z.string().openapi({ example: 'attachment; filename="rekey-export-2026-01-31.json"' }) }),
      content: { 'application/json': { schema: AccountExport } },
    },
    401: errorResponse('Not signed in'),
  },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/api/account',
  tags: ['Account'],
  summary: 'Delete the account and all its data (needs sudo)',
  description: 'Cancels running resets, then removes vault, mailbox, tasks, webhooks, sessions, API keys and the audit trail. Clears the cookies.',
  security: browserSession,
  middleware: [requireUser(), requireSudo()] as const,
  responses: {
    204: { description: 'Deleted' },
    401: errorResponse('Not signed in'),
    403: errorResponse('`sudo_required`'),
  },
});

export const accountRoutes = createApi()
  .openapi(forgotPasswordRoute, async (c) => {
    const { email } = c.req.valid('json');
    const { configured } = requestPasswordReset(accountDepsOf(c), { email, meta: requestMetaOf(c) });
    return c.json({ ok: true as const, configured }, 200);
  })
  .openapi(resetPasswordRoute, async (c) => {
    await resetPassword(accountDepsOf(c), c.req.valid('json'), requestMetaOf(c));
    clearAuthCookies(c);
    return c.json({ ok: true as const }, 200);
  })
  .openapi(changePasswordRoute, async (c) => {
    const p = principalOf(c);
    const { currentPassword, newPassword } = c.req.valid('json');
    const { sessionsRevoked } = await changePassword(accountDepsOf(c), {
      userId: p.userId,
      keepSessionId: p.sessionId,
      currentPassword,
      newPassword,
      meta: requestMetaOf(c),
    });
    return c.json({ ok: true as const, sessionsRevoked }, 200);
  })
  .openapi(verifyStartRoute, async (c) => {
    const result = await startEmailVerification(accountDepsOf(c), { userId: principalOf(c).userId, meta: requestMetaOf(c) });
    return c.json({ ok: true as const, ...result }, 200);
  })
  .openapi(verifyConfirmRoute, async (c) => {
    await confirmEmail(accountDepsOf(c), c.req.valid('json'), requestMetaOf(c));
    return c.json({ ok: true as const }, 200);
  })
  .openapi(totpSetupRoute, async (c) => c.json(await setupTotp(accountDepsOf(c), { userId: principalOf(c).userId }), 200))
  .openapi(totpEnableRoute, async (c) => {
    const { secret, code } = c.req.valid('json');
    return c.json(await enableTotp(accountDepsOf(c), { userId: principalOf(c).userId, secret, code, meta: requestMetaOf(c) }), 200);
  })
  .openapi(totpVerifyRoute, async (c) => {
    const { code, recovery } = c.req.valid('json');
    const result = await verifySecondFactor(accountDepsOf(c), { userId: principalOf(c).userId, code, recovery, meta: requestMetaOf(c) });
    return c.json({ ok: true as const, ...result }, 200);
  })
  .openapi(totpDisableRoute, async (c) => {
    await disableTotp(accountDepsOf(c), { userId: principalOf(c).userId, password: c.req.valid('json').password, meta: requestMetaOf(c) });
    return c.json({ ok: true as const }, 200);
  })
  .openapi(exportRoute, async (c) => {
    const deps = accountDepsOf(c);
    const data = await exportAccount(deps, { userId: principalOf(c).userId, meta: requestMetaOf(c) });
    const day = deps.now().toISOString().slice(0, 10);
    c.header('Content-Disposition', `attachment; filename="rekey-export-${day}.json"`);
    c.header('Cache-Control', 'no-store');
    return c.json(data, 200);
  })
  .openapi(deleteRoute, async (c) => {
    const userId = principalOf(c).userId;
    const hooks = c.get('deps').accountHooks;
    await deleteAccount(accountDepsOf(c), { userId, meta: requestMetaOf(c), beforeDelete: hooks?.beforeDelete?.bind(hooks) });
    clearAuthCookies(c);
    return c.body(null, 204);
  });
