import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { documentPage, html } from '../layout.js';
import { englishFooter, renderEmail } from '../mail.js';
import { completeReset, createSiteApp, csrfToken, csrfValid, field, FlowStore, readForm, sendResetLink, totpValid, type Shell } from '../site-kit.js';
import type { Brand, SiteContext, SiteDefinition } from '../types.js';
import { MAX_CODE_ATTEMPTS, type UserRecord } from '../user-store.js';

/**
 * Keystone Cloud — a developer platform (GitHub-like). Accounts have TOTP
 * 2FA: sign-in asks for the authenticator code, and so does a reset.
 * The reset link is single-use on open: opening it trades the token for a
 * recovery session cookie and redirects, so the same link opened twice fails.
 */
const brand: Brand = { name: 'Keystone', initials: 'K', color: '#22c55e', ink: '#e5e7eb', font: "-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" };
const CSRF = '_ks_csrf';
const RECOVERY_COOKIE = '_ks_recovery';
const TWO_FACTOR_COOKIE = '_ks_2fa';

function policyErrors(password: string): string[] {
  if (password.length >= 15) return [];
  if (password.length < 8) return ['Password is too short (minimum is 8 characters).'];
  if (!/[0-9]/.test(password) || !/[a-z]/.test(password)) return ['Password needs a number and a lowercase letter, or at least 15 characters.'];
  return [];
}

const css = `
*{box-sizing:border-box}body{margin:0;background:#0d1117;color:#e6edf3;font:14px/1.5 -apple-system,'Segoe UI',Helvetica,Arial,sans-serif}
a{color:#4493f8;text-decoration:none}a:hover{text-decoration:underline}
.ks-head{background:#010409;border-bottom:1px solid #30363d;display:flex;justify-content:space-between;align-items:center;padding:14px 32px}
.ks-head nav a{color:#e6edf3;margin-left:18px;font-weight:600}
.auth-form{width:340px;margin:40px auto}.auth-form-header{text-align:center}.auth-form-header h1{font-size:24px;font-weight:300;letter-spacing:-.5px}
.auth-form-body{background:#151b23;border:1px solid #3d444d;border-radius:6px;padding:16px}
.auth-form-body label{display:block;font-weight:400;margin-bottom:6px}
.form-control{width:100%;padding:6px 10px;margin:0 0 16px;background:#0d1117;color:#e6edf3;border:1px solid #3d444d;border-radius:6px;font-size:14px;line-height:20px}
.btn-primary{width:100%;background:#238636;color:#fff;border:1px solid rgba(240,246,252,.1);border-radius:6px;padding:6px 16px;font-size:14px;font-weight:500;line-height:20px;cursor:pointer}
.label-link{float:right;font-size:12px}
.flash{padding:16px;border:1px solid;border-radius:6px;margin-bottom:16px}.flash-error{background:rgba(248,81,73,.1);border-color:rgba(248,81,73,.4)}
.flash-notice{background:rgba(56,139,253,.1);border-color:rgba(56,139,253,.4)}.flash-success{background:rgba(46,160,67,.15);border-color:rgba(46,160,67,.4)}
.login-callout{border:1px solid #3d444d;border-radius:6px;padding:16px;text-align:center;margin-top:16px}
.note{color:#9198a1;font-size:12px}.hero{max-width:880px;margin:80px auto;text-align:center}.hero h1{font-size:56px;margin:0}
.ks-foot{text-align:center;color:#9198a1;font-size:12px;padding:40px}.ks-foot a{margin:0 8px;color:#9198a1}
`;

const makeShell =
  (ctx: SiteContext): Shell =>
  (c, title, body) =>
    documentPage({
      lang: 'en',
      title: `${title} · Keystone`,
      css,
      body: html`<header class="ks-head"><a href="/"><img src="/static/logo.svg" alt="Keystone" height="32"></a>
<nav><a href="/">Product</a><a href="/">Pricing</a>${ctx.sessions.current(c) ? html`<a href="/dashboard">Dashboard</a>` : html`<a href="/login">Sign in</a>`}</nav></header>
<main>${body}</main>
<footer class="ks-foot"><a href="/terms">Terms</a><a href="/privacy">Privacy</a><a href="/help">Docs</a><a href="/help">Contact</a></footer>`,
    });

export const keystone: SiteDefinition = {
  slug: 'keystone',
  name: 'Keystone Cloud',
  description: 'A developer platform with TOTP two-factor authentication, asked for at sign-in and during a reset.',
  kind: 'totp',
  language: 'en',
  loginPath: '/login',
  resetPath: '/password_reset',
  passwordPolicy: {
    description: "Make sure it's at least 15 characters OR at least 8 characters including a number and a lowercase letter.",
    rules: 'minlength: 8; required: lower; required: digit; allowed: upper, special;',
  },
  otp: 'totp',
  successText: 'Your password has been changed.',
  sessionCookie: 'user_session',
  brand,
  build(ctx) {
    const shell = makeShell(ctx);
    const app = createSiteApp(ctx, { brand, shell });
    const pendingLogins = new FlowStore<{ userId: string; attempts: number }>(ctx.clock);

    app.get('/', (c) =>
      c.html(shell(c, 'Deploy anything', html`<section class="hero"><h1>Deploy anything.</h1><p>Push to main, get a URL. Keystone builds, ships and scales it.</p><p><a href="/login">Sign in</a> to your workspace.</p></section>`)),
    );

    const flash = (kind: 'error' | 'notice' | 'success', text: string) =>
      html`<div class="flash flash-${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${text}</div>`;

    // Sign-in, with the 2FA step for accounts that have TOTP.
    const loginPage = (c: Context, options: { error?: string; notice?: string; login?: string } = {}) =>
      shell(
        c,
        'Sign in to Keystone',
        html`<div class="auth-form"><div class="auth-form-header"><h1>Sign in to Keystone</h1></div>
${options.error ? flash('error', options.error) : ''}${options.notice ? flash('success', options.notice) : ''}
<div class="auth-form-body"><form action="/session" accept-charset="UTF-8" method="post">
  <input type="hidden" name="authenticity_token" value="${csrfToken(c, CSRF)}">
  <label for="login_field">Username or email address</label>
  <input type="text" name="login" id="login_field" class="form-control input-block" autocapitalize="off" autocorrect="off" autocomplete="username" autofocus value="${options.login ?? ''}">
  <label for="password">Password <a class="label-link" id="forgot-password" href="/password_reset" tabindex="0">Forgot password?</a></label>
  <input type="password" name="password" id="password" class="form-control input-block" autocomplete="current-password">
  <input type="submit" name="commit" value="Sign in" class="btn-primary" data-disable-with="Signing in…">
</form></div>
<p class="login-callout">New to Keystone? <a href="/">Create an account</a></p></div>`,
      );
    app.get('/login', (c) => c.html(loginPage(c, c.req.query('password_changed') ? { notice: 'Your password has been changed. Sign in with your new password.' } : {})));
    app.post('/session', async (c) => {
      const body = await readForm(c);
      if (!csrfValid(c, CSRF, field(body, 'authenticity_token'))) return c.html(loginPage(c, { error: 'Your session has expired. Please try again.' }), 422);
      const user = ctx.users.authenticate(field(body, 'login'), field(body, 'password'));
      if (!user) return c.html(loginPage(c, { error: 'Incorrect username or password.', login: field(body, 'login') }), 401);
      if (user.totpSecret) {
        setCookie(c, TWO_FACTOR_COOKIE, pendingLogins.create({ userId: user.id, attempts: 0 }, 10 * 60_000), { path: '/', httpOnly: true, sameSite: 'Lax' });
        return c.redirect('/sessions/two-factor', 302);
      }
      ctx.users.recordLogin(user.id);
      ctx.sessions.start(c, user);
      return c.redirect('/dashboard', 302);
    });

    const totpPage = (c: Context, action: string, error?: string) =>
      shell(
        c,
        'Two-factor authentication',
        html`<div class="auth-form"><div class="auth-form-header"><h1>Two-factor authentication</h1></div>
${error ? flash('error', error) : ''}
<div class="auth-form-body"><form action="${action}" accept-charset="UTF-8" method="post">
  <input type="hidden" name="authenticity_token" value="${csrfToken(c, CSRF)}">
  <label for="app_totp">Authentication code</label>
  <input type="text" name="app_otp" id="app_totp" class="form-control input-block" autocomplete="one-time-code" inputmode="numeric" pattern="[0-9]*" maxlength="6" placeholder="XXXXXX" autofocus>
  <button type="submit" class="btn-primary">Verify</button>
  <p class="note">Open your two-factor authenticator (TOTP) app or browser extension to view your authentication code.</p>
</form></div></div>`,
      );
    app.get('/sessions/two-factor', (c) => (pendingLogins.get(getCookie(c, TWO_FACTOR_COOKIE)) ? c.html(totpPage(c, '/sessions/two-factor')) : c.redirect('/login', 302)));
    app.post('/sessions/two-factor', async (c) => {
      const flowId = getCookie(c, TWO_FACTOR_COOKIE);
      const pending = pendingLogins.get(flowId);
      const user = pending ? ctx.users.findById(pending.userId) : undefined;
      if (!pending || !user?.totpSecret) return c.redirect('/login', 303);
      const body = await readForm(c);
      if (!csrfValid(c, CSRF, field(body, 'authenticity_token')) || !totpValid(user.totpSecret, field(body, 'app_otp'))) {
        pending.attempts += 1;
        if (pending.attempts >= MAX_CODE_ATTEMPTS) {
          pendingLogins.delete(flowId);
          return c.html(loginPage(c, { error: 'Too many failed two-factor attempts. Sign in again.' }), 401);
        }
        return c.html(totpPage(c, '/sessions/two-factor', 'Two-factor authentication failed.'), 401);
      }
      pendingLogins.delete(flowId);
      deleteCookie(c, TWO_FACTOR_COOKIE, { path: '/' });
      ctx.users.recordLogin(user.id);
      ctx.sessions.start(c, user);
      return c.redirect('/dashboard', 303);
    });
    app.post('/logout', (c) => {
      ctx.sessions.end(c);
      return c.redirect('/', 303);
    });
    app.get('/dashboard', (c) => {
      const session = ctx.sessions.current(c);
      if (!session) return c.redirect('/login', 302);
      return c.html(
        shell(
          c,
          'Dashboard',
          html`<div class="auth-form" style="width:560px"><h1>Dashboard</h1><p>Signed in as ${session.email}</p>
<div class="auth-form-body"><p>3 projects · 12 deployments this week</p></div>
<form method="post" action="/logout"><p><button class="btn-primary" style="width:auto">Sign out</button></p></form></div>`,
        ),
      );
    });

    // Reset: email → link (used up on open) → TOTP → new password.
    const requestPage = (c: Context, error?: string) =>
      shell(
        c,
        'Forgot your password?',
        html`<div class="auth-form"><div class="auth-form-header"><h1>Reset your password</h1></div>
${error ? flash('error', error) : ''}
<div class="auth-form-body"><form action="/password_reset" accept-charset="UTF-8" method="post">
  <input type="hidden" name="authenticity_token" value="${csrfToken(c, CSRF)}">
  <label for="email_field">Enter your user account's verified email address and we will send you a password reset link.</label>
  <input type="text" name="email" id="email_field" class="form-control input-block" autocomplete="email" placeholder="Enter your email address" autofocus>
  <input type="submit" name="commit" value="Send password reset email" class="btn-primary">
</form></div></div>`,
      );
    app.get('/password_reset', (c) =>
      c.html(requestPage(c, c.req.query('invalid') ? 'It looks like you clicked on an invalid password reset link. Please try again.' : undefined)),
    );
    app.post('/password_reset', async (c) => {
      const body = await readForm(c);
      if (!csrfValid(c, CSRF, field(body, 'authenticity_token'))) return c.html(requestPage(c, 'Your session has expired. Please try again.'), 422);
      const email = field(body, 'email').trim();
      if (!email) return c.html(requestPage(c, "Email can't be blank."), 422);
      await sendResetLink(ctx, email, {
        url: (secret) => `${ctx.origin}/password_reset/${secret}`,
        mail: (user, url) => ({
          subject: '[Keystone] Please reset your password',
          ...renderEmail({
            brand,
            origin: ctx.origin,
            language: 'en',
            preheader: 'Reset your Keystone password',
            greeting: 'Keystone password reset',
            paragraphs: [
              `We heard that you lost your Keystone password. Sorry about that!`,
              'But don’t worry! You can use the following button to reset your password:',
            ],
            action: { label: 'Reset your password', url },
            closing: [
              "If you don't use this link within 30 minutes, it will expire. To get a new password reset link, visit the sign-in page.",
              ...(user.totpSecret ? ['Your account has two-factor authentication turned on: keep your authenticator app at hand.'] : []),
              '',
              'Thanks,',
              'The Keystone Team',
            ],
            footer: englishFooter(brand),
          }),
        }),
      });
      return c.html(
        shell(
          c,
          'Forgot your password?',
          html`<div class="auth-form"><div class="auth-form-header"><h1>Reset your password</h1></div>
<div class="auth-form-body"><p>Check your email for a link to reset your password. If it doesn’t appear within a few minutes, check your spam folder.</p>
<a class="btn-primary" style="display:block;text-align:center" href="/login">Return to sign in</a></div></div>`,
        ),
      );
    });

    const recovery = (c: Context): { user: UserRecord; id: string; totp: boolean; attempts: number } | undefined => {
      const found = ctx.users.findBySecret('recovery', getCookie(c, RECOVERY_COOKIE) ?? '');
      if (found.status !== 'valid' || !found.user || !found.token) return undefined;
      return { user: found.user, id: found.token.id, totp: found.token.data.totp === true, attempts: Number(found.token.data.attempts ?? 0) };
    };
    const newPasswordPage = (c: Context, user: UserRecord, errors: string[] = []) =>
      shell(
        c,
        'Change your password',
        html`<div class="auth-form"><div class="auth-form-header"><h1>Change password for ${user.displayName ?? user.email}</h1></div>
${errors.length ? flash('error', errors.join(' ')) : ''}
<div class="auth-form-body"><form action="/password_reset/update" accept-charset="UTF-8" method="post">
  <input type="hidden" name="authenticity_token" value="${csrfToken(c, CSRF)}">
  <label for="password">Password</label><input type="password" name="password" id="password" class="form-control" autocomplete="new-password" autofocus>
  <label for="password_confirmation">Confirm password</label><input type="password" name="password_confirmation" id="password_confirmation" class="form-control" autocomplete="new-password">
  <p class="note">Make sure it's at least 15 characters OR at least 8 characters including a number and a lowercase letter.</p>
  <input type="submit" name="commit" value="Change password" class="btn-primary">
</form></div></div>`,
      );
    app.get('/password_reset/continue', (c) => {
      const current = recovery(c);
      if (!current) return c.redirect('/password_reset?invalid=1', 302);
      if (current.user.totpSecret && !current.totp) return c.html(totpPage(c, '/password_reset/verify'));
      return c.html(newPasswordPage(c, current.user));
    });
    // After /continue: Hono tries routes in registration order, and this pattern also matches it.
    app.get('/password_reset/:token', (c) => {
      const found = ctx.users.findBySecret('reset-link', c.req.param('token'));
      if (found.status !== 'valid' || !found.user || !found.token) return c.redirect('/password_reset?invalid=1', 302);
      ctx.users.consumeToken(found.token.id);
      const { secret } = ctx.users.issueToken({ userId: found.user.id, purpose: 'recovery', ttlMs: ctx.tokenTtlMs });
      setCookie(c, RECOVERY_COOKIE, secret, { path: '/password_reset', httpOnly: true, sameSite: 'Lax' });
      return c.redirect('/password_reset/continue', 302);
    });
    app.post('/password_reset/verify', async (c) => {
      const current = recovery(c);
      if (!current?.user.totpSecret) return c.redirect('/password_reset?invalid=1', 303);
      const body = await readForm(c);
      if (csrfValid(c, CSRF, field(body, 'authenticity_token')) && totpValid(current.user.totpSecret, field(body, 'app_otp'))) {
        ctx.users.updateToken(current.id, { totp: true });
        return c.redirect('/password_reset/continue', 303);
      }
      const attempts = current.attempts + 1;
      ctx.users.updateToken(current.id, { attempts });
      if (attempts >= MAX_CODE_ATTEMPTS) {
        ctx.users.revokeTokens(current.user.id, 'recovery');
        return c.html(requestPage(c, 'Too many failed two-factor attempts. Request a new password reset link.'), 401);
      }
      return c.html(totpPage(c, '/password_reset/verify', 'Two-factor authentication failed.'), 401);
    });
    app.post('/password_reset/update', async (c) => {
      const current = recovery(c);
      if (!current || (current.user.totpSecret && !current.totp)) return c.redirect('/password_reset?invalid=1', 303);
      const body = await readForm(c);
      if (!csrfValid(c, CSRF, field(body, 'authenticity_token'))) return c.html(newPasswordPage(c, current.user, ['Your session has expired. Please try again.']), 422);
      const password = field(body, 'password');
      const errors = policyErrors(password);
      if (password !== field(body, 'password_confirmation')) errors.push("Password confirmation doesn't match the password.");
      if (errors.length) return c.html(newPasswordPage(c, current.user, errors), 422);
      completeReset(ctx, current.user, password, [current.id]);
      deleteCookie(c, RECOVERY_COOKIE, { path: '/password_reset' });
      return c.redirect('/login?password_changed=1', 303);
    });

    return { app };
  },
};
