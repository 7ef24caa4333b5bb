import type { Context } from 'hono';
import { documentPage, html, type Html } from '../layout.js';
import { englishFooter, renderEmail } from '../mail.js';
import { checkPassword } from '../policy.js';
import { completeReset, createSiteApp, field, readForm, sendResetLink, type Shell } from '../site-kit.js';
import type { Brand, SiteContext, SiteDefinition } from '../types.js';

/**
 * Tidepool — a small social network whose password recovery page is linked
 * from nowhere: not from the home page, not from sign-in, not from help.
 * The only way in is `/.well-known/change-password`, which redirects to
 * `/settings/security/password-recovery`.
 */
const brand: Brand = { name: 'Tidepool', initials: 'Tp', color: '#0f766e', ink: '#042f2e', font: "'Avenir Next', 'Segoe UI', Arial, sans-serif" };
const RECOVERY_PATH = '/settings/security/password-recovery';
const rules = { minLength: 8, digit: true };

const css = `
*{box-sizing:border-box}body{margin:0;font:15px/1.5 'Avenir Next','Segoe UI',Arial,sans-serif;color:#042f2e;background:#f0fdfa}
.tp-grid{display:grid;grid-template-columns:220px 1fr;min-height:100vh}
.tp-side{background:#042f2e;color:#ccfbf1;padding:26px 22px}.tp-side a{display:block;color:#ccfbf1;text-decoration:none;padding:8px 0;font-weight:600}
.tp-side img{background:#f0fdfa;border-radius:10px;padding:4px;margin-bottom:24px}
.tp-main{padding:40px 48px;max-width:720px}
.tp-post{background:#fff;border-radius:14px;padding:16px 20px;margin-bottom:14px;border:1px solid #99f6e4}
.tp-form{background:#fff;border-radius:16px;padding:28px;border:1px solid #99f6e4;max-width:420px}
.tp-form label{display:block;font-weight:600;margin:14px 0 4px}.tp-form input{width:100%;padding:11px;border:1px solid #5eead4;border-radius:10px;font-size:15px}
.tp-btn{margin-top:18px;background:#0f766e;color:#fff;border:0;border-radius:999px;padding:11px 24px;font-weight:700;cursor:pointer}
.tp-flash{border-radius:10px;padding:10px 14px;margin:10px 0}.tp-flash.bad{background:#fee2e2;color:#7f1d1d}.tp-flash.good{background:#ccfbf1;color:#134e4a}
.tp-small{font-size:12px;color:#115e59;margin-top:24px}.tp-small a{color:#115e59;margin-right:10px}
`;

const makeShell =
  (ctx: SiteContext): Shell =>
  (c, title, body) =>
    documentPage({
      lang: 'en',
      title: `${title} / Tidepool`,
      css,
      body: html`<div class="tp-grid"><aside class="tp-side"><a href="/"><img src="/static/logo.svg" alt="Tidepool" height="34"></a>
<a href="/">Home</a><a href="/">Explore</a>${ctx.sessions.current(c) ? html`<a href="/me">Profile</a>` : html`<a href="/login">Sign in</a>`}</aside>
<main class="tp-main">${body}<p class="tp-small"><a href="/help">Help</a><a href="/privacy">Privacy</a><a href="/terms">Terms</a></p></main></div>`,
    });

export const tidepool: SiteDefinition = {
  slug: 'tidepool',
  name: 'Tidepool',
  description: 'A social network whose password recovery page is only reachable through /.well-known/change-password.',
  kind: 'well-known-only',
  language: 'en',
  loginPath: '/login',
  changePasswordPath: RECOVERY_PATH,
  passwordPolicy: { description: 'At least 8 characters, including a number.', rules: 'minlength: 8; required: digit; allowed: lower, upper, special;' },
  otp: 'none',
  successText: 'Your password has been changed.',
  sessionCookie: 'tp_auth',
  brand,
  build(ctx) {
    const shell = makeShell(ctx);
    const app = createSiteApp(ctx, { brand, shell, changePasswordPath: RECOVERY_PATH });
    const flash = (text: string, good = false): Html => html`<div class="tp-flash ${good ? 'good' : 'bad'}" role="${good ? 'status' : 'alert'}">${text}</div>`;

    app.get('/', (c) =>
      c.html(
        shell(
          c,
          'Home',
          html`<h1>What's washing up today</h1>
<div class="tp-post"><strong>@anemone</strong> Low tide at 6:12 — bring boots.</div>
<div class="tp-post"><strong>@hermit</strong> Moved into a bigger shell. Feeling great.</div>
<p><a href="/login">Sign in</a> to join the conversation.</p>`,
        ),
      ),
    );

    const loginPage = (c: Context, error?: string) =>
      shell(
        c,
        'Sign in',
        html`<h1>Sign in to Tidepool</h1><div class="tp-form">${error ? flash(error) : ''}
<form method="post" action="/login">
  <label for="identifier">Email</label><input id="identifier" name="identifier" type="email" autocomplete="username">
  <label for="secret">Password</label><input id="secret" name="secret" type="password" autocomplete="current-password">
  <button class="tp-btn" type="submit">Sign in</button>
</form></div>`,
      );
    app.get('/login', (c) => c.html(loginPage(c)));
    app.post('/login', async (c) => {
      const body = await readForm(c);
      const user = ctx.users.authenticate(field(body, 'identifier'), field(body, 'secret'));
      if (!user) return c.html(loginPage(c, 'That email and password combination is not right.'), 401);
      ctx.users.recordLogin(user.id);
      ctx.sessions.start(c, user);
      return c.redirect('/me', 302);
    });
    app.post('/logout', (c) => {
      ctx.sessions.end(c);
      return c.redirect('/', 302);
    });
    app.get('/me', (c) => {
      const session = ctx.sessions.current(c);
      if (!session) return c.redirect('/login', 302);
      return c.html(shell(c, 'Profile', html`<h1>Your profile</h1><p>Signed in as ${session.email}</p><form method="post" action="/logout"><button class="tp-btn">Sign out</button></form>`));
    });

    const recoveryPage = (c: Context, message?: Html) =>
      shell(
        c,
        'Password recovery',
        html`<h1>Change or recover your password</h1><div class="tp-form">
<p>Enter your account email. We'll send a link you can use to set a new password.</p>${message ?? ''}
<form method="post" action="${RECOVERY_PATH}"><label for="recovery-email">Account email</label>
<input id="recovery-email" name="recovery_email" type="email" autocomplete="email"><button class="tp-btn" type="submit">Email me a link</button></form></div>`,
      );
    app.get(RECOVERY_PATH, (c) => c.html(recoveryPage(c)));
    app.post(RECOVERY_PATH, async (c) => {
      const email = field(await readForm(c), 'recovery_email').trim();
      if (!email.includes('@')) return c.html(recoveryPage(c, flash('Please enter an email address.')), 422);
      await sendResetLink(ctx, email, {
        url: (secret) => `${ctx.origin}${RECOVERY_PATH}/confirm/${secret}`,
        mail: (_user, url) => ({
          subject: 'Your Tidepool password link',
          ...renderEmail({
            brand,
            origin: ctx.origin,
            language: 'en',
            preheader: 'Set a new Tidepool password.',
            greeting: 'Hey!',
            paragraphs: ['Here is the link you asked for to set a new Tidepool password.'],
            action: { label: 'Set a new password', url },
            closing: ['It works once and expires in 30 minutes.', '', '🌊 Tidepool'],
            footer: englishFooter(brand),
          }),
        }),
      });
      return c.html(recoveryPage(c, flash('If that email is on Tidepool, a link is on its way.', true)));
    });

    const confirmPage = (c: Context, token: string, errors: string[] = []) =>
      shell(
        c,
        'New password',
        html`<h1>Set a new password</h1><div class="tp-form">${errors.length ? flash(errors.join(' ')) : ''}
<form method="post" action="${RECOVERY_PATH}/confirm/${token}">
  <label for="password">New password</label><input id="password" name="password" type="password" autocomplete="new-password">
  <label for="password2">Repeat new password</label><input id="password2" name="password2" type="password" autocomplete="new-password">
  <button class="tp-btn" type="submit">Update password</button>
</form></div>`,
      );
    const invalid = (c: Context) =>
      c.html(shell(c, 'Link expired', html`<h1>Link expired</h1>${flash('This link has expired or was already used.')}<p>Ask for a new one from your security settings.</p>`), 410);
    app.get(`${RECOVERY_PATH}/confirm/:token`, (c) =>
      ctx.users.findBySecret('reset-link', c.req.param('token')).status === 'valid' ? c.html(confirmPage(c, c.req.param('token'))) : invalid(c),
    );
    app.post(`${RECOVERY_PATH}/confirm/:token`, async (c) => {
      const token = c.req.param('token');
      const found = ctx.users.findBySecret('reset-link', token);
      if (found.status !== 'valid' || !found.user || !found.token) return invalid(c);
      const body = await readForm(c);
      const password = field(body, 'password');
      const errors = checkPassword(password, rules);
      if (password !== field(body, 'password2')) errors.push('The passwords do not match.');
      if (errors.length) return c.html(confirmPage(c, token, errors), 422);
      completeReset(ctx, found.user, password, [found.token.id]);
      return c.html(shell(c, 'Password updated', html`<h1>Password updated</h1>${flash('Your password has been changed.', true)}<p><a href="/login">Sign in</a></p>`));
    });

    return { app };
  },
};
