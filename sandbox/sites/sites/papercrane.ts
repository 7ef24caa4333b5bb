import type { Context } from 'hono';
import { documentPage, html } from '../layout.js';
import { englishFooter, renderEmail } from '../mail.js';
import { checkPassword } from '../policy.js';
import { completeReset, createSiteApp, csrfToken, csrfValid, field, readForm, sendResetLink, type Shell } from '../site-kit.js';
import type { Brand, SiteContext, SiteDefinition } from '../types.js';

/**
 * Paper Crane Stationery — the plain server-rendered site (Laravel-like):
 * `<form method="post">`, a hidden CSRF `_token`, a reset link in the email.
 * Like Laravel, the reset page renders for any token; the token is checked on submit.
 */
const brand: Brand = { name: 'Paper Crane', initials: 'PC', color: '#b4532a', ink: '#3b2f2a', font: 'Georgia, serif' };
const CSRF = 'XSRF-TOKEN';
const rules = { minLength: 8 };
const laravelMessages = {
  minLength: (n: number) => `The password field must be at least ${n} characters.`,
};

const css = `
*{box-sizing:border-box}body{margin:0;background:#fbf7f0;color:#3b2f2a;font:17px/1.55 Georgia,'Times New Roman',serif}
a{color:#b4532a}header.site{display:flex;justify-content:space-between;align-items:center;padding:18px 48px;border-bottom:1px solid #e8dccb;background:#fffdf8}
header.site nav a{margin-left:22px;text-decoration:none;font-variant:small-caps;letter-spacing:.04em}
main{max-width:920px;margin:0 auto;padding:40px 24px}
.hero{display:grid;grid-template-columns:3fr 2fr;gap:32px;align-items:center}.hero h1{font-size:42px;font-weight:normal;margin:0 0 12px}
.card{max-width:460px;margin:24px auto;background:#fff;border:1px solid #e8dccb;padding:28px 32px}
.card-header{font-size:22px;margin:-28px -32px 24px;padding:16px 32px;border-bottom:1px solid #e8dccb;background:#fffaf2}
.form-group{margin-bottom:18px}.form-group label{display:block;margin-bottom:6px}
.form-control{width:100%;padding:9px 11px;border:1px solid #cdbda6;font:inherit;background:#fffefb}
.form-control.is-invalid{border-color:#a12622}.invalid-feedback{color:#a12622;font-size:14px;margin-top:4px}
.btn{background:#b4532a;color:#fff;border:0;padding:10px 18px;font:inherit;cursor:pointer}.btn-link{margin-left:12px;font-size:15px}
.alert{padding:12px 16px;margin-bottom:20px;border:1px solid}.alert-success{background:#eef7ec;border-color:#b7d9ae;color:#2d5a23}
.alert-danger{background:#fbecea;border-color:#e6b4ae;color:#a12622}
.products{display:grid;grid-template-columns:repeat(3,1fr);gap:18px;margin-top:36px}.products div{background:#fff;border:1px solid #e8dccb;padding:16px;text-align:center}
footer{text-align:center;font-size:14px;color:#8a7a6c;padding:30px}
`;

const makeShell = (ctx: SiteContext): Shell => (c, title, body) => {
  const session = ctx.sessions.current(c);
  return documentPage({
    lang: 'en',
    title: `${title} — Paper Crane Stationery`,
    css,
    body: html`<header class="site">
  <a href="/"><img src="/static/logo.svg" alt="Paper Crane Stationery" height="40"></a>
  <nav><a href="/">Shop</a><a href="/">Journals</a>${session ? html`<a href="/account">My account</a>` : html`<a href="/login">Sign in</a>`}</nav>
</header>
<main>${body}</main>
<footer>© Paper Crane Stationery · <a href="/privacy">Privacy</a> · <a href="/terms">Terms</a> · <a href="/help">Help</a></footer>`,
  });
};

export const papercrane: SiteDefinition = {
  slug: 'papercrane',
  name: 'Paper Crane Stationery',
  description: 'A stationery shop with classic server-rendered forms and a CSRF token.',
  kind: 'plain-form',
  language: 'en',
  loginPath: '/login',
  resetPath: '/password/forgot',
  changePasswordPath: '/password/forgot',
  passwordPolicy: { description: 'At least 8 characters.', rules: 'minlength: 8;' },
  otp: 'none',
  successText: 'Your password has been changed.',
  sessionCookie: 'papercrane_session',
  brand,
  build(ctx) {
    const shell = makeShell(ctx);
    const app = createSiteApp(ctx, { brand, shell, changePasswordPath: '/password/forgot' });
    const expired = (c: Context) =>
      c.html(shell(c, 'Page Expired', html`<div class="card"><div class="card-header">Page Expired</div><p>Your session has expired. Please go back, reload the page and try again.</p></div>`), 403);

    app.get('/', (c) =>
      c.html(
        shell(
          c,
          'Home',
          html`<section class="hero"><div><h1>Paper for people who still write letters.</h1>
<p>Hand-bound journals, cotton paper and fountain-pen friendly notebooks, folded and shipped from our little workshop.</p>
<p><a class="btn" href="/">Browse the shop</a> <a class="btn-link" href="/login">Sign in</a></p></div>
<div><img src="/static/logo.svg" alt="" width="240"></div></section>
<section class="products"><div>A5 Dot Journal<br>£18</div><div>Cotton Letter Set<br>£24</div><div>Crane Pen Roll<br>£32</div></section>`,
        ),
      ),
    );

    const loginPage = (c: Context, options: { email?: string; error?: string; status?: string } = {}) =>
      shell(
        c,
        'Sign in',
        html`<div class="card"><div class="card-header">Sign in</div>
${options.status ? html`<div class="alert alert-success" role="alert">${options.status}</div>` : ''}
${options.error ? html`<div class="alert alert-danger" role="alert">${options.error}</div>` : ''}
<form method="POST" action="/login">
  <input type="hidden" name="_token" value="${csrfToken(c, CSRF)}">
  <div class="form-group"><label for="email">Email Address</label>
    <input id="email" type="email" class="form-control" name="email" value="${options.email ?? ''}" required autocomplete="email" autofocus></div>
  <div class="form-group"><label for="password">Password</label>
    <input id="password" type="password" class="form-control" name="password" required autocomplete="current-password"></div>
  <div class="form-group"><label><input type="checkbox" name="remember"> Remember Me</label></div>
  <button type="submit" class="btn">Sign in</button>
  <a class="btn-link" href="/password/forgot">Forgot Your Password?</a>
</form></div>`,
      );

    app.get('/login', (c) =>
      c.html(loginPage(c, c.req.query('status') === 'reset' ? { status: 'Your password has been changed. You can now sign in with your new password.' } : {})),
    );
    app.post('/login', async (c) => {
      const body = await readForm(c);
      if (!csrfValid(c, CSRF, field(body, '_token'))) return expired(c);
      const user = ctx.users.authenticate(field(body, 'email'), field(body, 'password'));
      if (!user) return c.html(loginPage(c, { email: field(body, 'email'), error: 'These credentials do not match our records.' }), 422);
      ctx.users.recordLogin(user.id);
      ctx.sessions.start(c, user);
      return c.redirect('/account', 302);
    });
    app.post('/logout', (c) => {
      ctx.sessions.end(c);
      return c.redirect('/', 302);
    });
    app.get('/account', (c) => {
      const session = ctx.sessions.current(c);
      if (!session) return c.redirect('/login', 302);
      return c.html(
        shell(
          c,
          'My account',
          html`<div class="card"><div class="card-header">My account</div>
<p>Signed in as <strong>${session.email}</strong></p><p>You have no open orders.</p>
<form method="POST" action="/logout"><button class="btn" type="submit">Sign out</button></form></div>`,
        ),
      );
    });

    const forgotPage = (c: Context, options: { status?: string; email?: string; error?: string } = {}) =>
      shell(
        c,
        'Reset Password',
        html`<div class="card"><div class="card-header">Reset Password</div>
${options.status ? html`<div class="alert alert-success" role="alert">${options.status}</div>` : ''}
<form method="POST" action="/password/email">
  <input type="hidden" name="_token" value="${csrfToken(c, CSRF)}">
  <div class="form-group"><label for="email">Email Address</label>
    <input id="email" type="email" class="form-control${options.error ? ' is-invalid' : ''}" name="email" value="${options.email ?? ''}" required autocomplete="email" autofocus>
    ${options.error ? html`<span class="invalid-feedback" role="alert"><strong>${options.error}</strong></span>` : ''}</div>
  <button type="submit" class="btn">Send Password Reset Link</button>
</form></div>`,
      );

    app.get('/password/forgot', (c) => c.html(forgotPage(c)));
    app.post('/password/email', async (c) => {
      const body = await readForm(c);
      if (!csrfValid(c, CSRF, field(body, '_token'))) return expired(c);
      const email = field(body, 'email').trim();
      if (!/^[^@\s]+@[^@\s]+$/.test(email)) return c.html(forgotPage(c, { email, error: 'The email field must be a valid email address.' }), 422);
      await sendResetLink(ctx, email, {
        url: (secret, user) => `${ctx.origin}/password/reset/${secret}?email=${encodeURIComponent(user.email)}`,
        mail: (_user, url) => ({
          subject: 'Reset Password Notification',
          ...renderEmail({
            brand,
            origin: ctx.origin,
            language: 'en',
            preheader: 'Reset your Paper Crane password',
            greeting: 'Hello!',
            paragraphs: ['You are receiving this email because we received a password reset request for your account.'],
            action: {
              label: 'Reset Password',
              url,
              copyHint: 'If you\'re having trouble clicking the "Reset Password" button, copy and paste the URL below into your web browser:',
            },
            closing: [
              'This password reset link will expire in 30 minutes.',
              'If you did not request a password reset, no further action is required.',
              '',
              'Regards,',
              'Paper Crane',
            ],
            footer: englishFooter(brand),
          }),
        }),
      });
      return c.html(forgotPage(c, { status: 'If that address is registered with us, we have emailed you a password reset link.' }));
    });

    const resetPage = (c: Context, options: { token: string; email: string; errors?: string[] }) =>
      shell(
        c,
        'Reset Password',
        html`<div class="card"><div class="card-header">Reset Password</div>
${options.errors?.length ? html`<div class="alert alert-danger" role="alert">${options.errors.map((e) => html`<div>${e}</div>`)}</div>` : ''}
<form method="POST" action="/password/reset">
  <input type="hidden" name="_token" value="${csrfToken(c, CSRF)}">
  <input type="hidden" name="token" value="${options.token}">
  <div class="form-group"><label for="email">Email Address</label>
    <input id="email" type="email" class="form-control" name="email" value="${options.email}" required autocomplete="email"></div>
  <div class="form-group"><label for="password">Password</label>
    <input id="password" type="password" class="form-control" name="password" required autocomplete="new-password"></div>
  <div class="form-group"><label for="password-confirm">Confirm Password</label>
    <input id="password-confirm" type="password" class="form-control" name="password_confirmation" required autocomplete="new-password"></div>
  <button type="submit" class="btn">Reset Password</button>
</form></div>`,
      );

    app.get('/password/reset/:token', (c) => c.html(resetPage(c, { token: c.req.param('token'), email: c.req.query('email') ?? '' })));
    app.post('/password/reset', async (c) => {
      const body = await readForm(c);
      const token = field(body, 'token');
      const email = field(body, 'email');
      const password = field(body, 'password');
      if (!csrfValid(c, CSRF, field(body, '_token'))) return expired(c);
      const found = ctx.users.findBySecret('reset-link', token);
      if (found.status !== 'valid' || !found.user || !found.token || found.user.email !== email.trim().toLowerCase()) {
        return c.html(resetPage(c, { token, email, errors: ['This password reset token is invalid or has expired.'] }), 422);
      }
      const errors = checkPassword(password, rules, laravelMessages);
      if (password !== field(body, 'password_confirmation')) errors.push('The password field confirmation does not match.');
      if (errors.length) return c.html(resetPage(c, { token, email, errors }), 422);
      completeReset(ctx, found.user, password, [found.token.id]);
      return c.redirect('/login?status=reset', 302);
    });

    return { app };
  },
};
