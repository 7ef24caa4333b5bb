import type { Context } from 'hono';
import { documentPage, html, type Html } from '../layout.js';
import { englishFooter, renderEmail } from '../mail.js';
import { checkPassword } from '../policy.js';
import { completeReset, createSiteApp, field, readForm, sendResetLink, type Shell } from '../site-kit.js';
import { UserExistsError } from '../user-store.js';
import type { Brand, SiteContext, SiteDefinition } from '../types.js';

/**
 * Larkspur — a design-collaboration tool whose sign-in page offers every
 * third-party button at once, each wired the way real sites wire them:
 * "Continue with Google" posts to a same-site `/auth/google` that redirects to
 * accounts.google.com; "Sign in with Apple" links straight to
 * appleid.apple.com/auth/authorize; the Microsoft button says only "Microsoft"
 * (its accessible name says more) and links to login.microsoftonline.com; the
 * GitHub one is a bare "GitHub" link to `/auth/github`. Passkeys: the email
 * field carries `autocomplete="username webauthn"` and there is a "Sign in with
 * a passkey" button. Email and password work as usual; "Create an account"
 * leads to a real sign-up form. No /.well-known/change-password.
 */
const brand: Brand = { name: 'Larkspur', initials: 'Ls', color: '#6d28d9', ink: '#1e1b4b', font: "'Inter', 'Helvetica Neue', Arial, sans-serif" };
const rules = { minLength: 10 };
const CLIENT_ID = 'larkspur-sandbox';

const providers = {
  google: 'https://accounts.google.com/o/oauth2/v2/auth',
  apple: 'https://appleid.apple.com/auth/authorize',
  microsoft: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
  github: 'https://github.com/login/oauth/authorize',
} as const;
type ProviderName = keyof typeof providers;

const authorizeUrl = (ctx: SiteContext, provider: ProviderName) => {
  const url = new URL(providers[provider]);
  url.searchParams.set('client_id', CLIENT_ID);
  url.searchParams.set('redirect_uri', `${ctx.origin}/auth/${provider}/callback`);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', provider === 'github' ? 'read:user user:email' : 'openid email');
  return url.toString();
};

const css = `
*{box-sizing:border-box}body{margin:0;font:15px/1.5 'Inter','Helvetica Neue',Arial,sans-serif;color:#1e1b4b;background:#f5f3ff}
a{color:#6d28d9}.ls-top{display:flex;justify-content:space-between;align-items:center;padding:16px 40px;background:#fff;border-bottom:1px solid #ede9fe}
.ls-top nav a{margin-left:20px;text-decoration:none;font-weight:600}.ls-top nav a.ls-cta{background:#6d28d9;color:#fff;padding:8px 16px;border-radius:8px}
main{max-width:980px;margin:0 auto;padding:40px 24px}.ls-hero h1{font-size:44px;line-height:1.1;margin:0 0 14px;max-width:640px}
.ls-hero p{font-size:18px;color:#4c1d95;max-width:560px}.ls-features{display:grid;grid-template-columns:repeat(3,1fr);gap:18px;margin-top:40px}
.ls-features div{background:#fff;border:1px solid #ede9fe;border-radius:14px;padding:18px}
.ls-card{max-width:420px;margin:0 auto;background:#fff;border:1px solid #ede9fe;border-radius:16px;padding:30px 32px;box-shadow:0 10px 30px rgba(76,29,149,.08)}
.ls-card h1{font-size:24px;margin:0 0 18px;text-align:center}
.ls-social{display:grid;gap:10px}.ls-social form{margin:0}
.ls-social a,.ls-social button{display:flex;align-items:center;justify-content:center;gap:10px;width:100%;padding:10px 14px;border:1px solid #d4d4d8;border-radius:10px;background:#fff;color:#18181b;font:600 15px/1.4 inherit;text-decoration:none;cursor:pointer}
.ls-social .ls-ico{width:18px;height:18px;border-radius:4px;display:inline-block}
.ls-or{display:flex;align-items:center;gap:12px;color:#71717a;margin:20px 0;font-size:13px}.ls-or:before,.ls-or:after{content:'';flex:1;border-top:1px solid #e4e4e7}
.ls-field{margin-bottom:14px}.ls-field label{display:block;font-weight:600;margin-bottom:5px}
.ls-field input{width:100%;padding:10px 12px;border:1px solid #c4b5fd;border-radius:10px;font:inherit}
.ls-btn{width:100%;background:#6d28d9;color:#fff;border:0;border-radius:10px;padding:11px;font:700 15px/1.4 inherit;cursor:pointer}
.ls-btn.ls-ghost{background:#fff;color:#6d28d9;border:1px solid #c4b5fd;margin-top:10px}
.ls-row{display:flex;justify-content:space-between;font-size:14px;margin:6px 0 16px}.ls-foot{text-align:center;font-size:14px;margin-top:18px}
.ls-flash{border-radius:10px;padding:10px 14px;margin-bottom:14px}.ls-flash.bad{background:#fee2e2;color:#991b1b}.ls-flash.good{background:#dcfce7;color:#166534}
footer{text-align:center;color:#7c3aed;font-size:13px;padding:30px}footer a{margin:0 8px}
`;

const makeShell =
  (ctx: SiteContext): Shell =>
  (c, title, body) =>
    documentPage({
      lang: 'en',
      title: `${title} · Larkspur`,
      css,
      body: html`<header class="ls-top"><a href="/"><img src="/static/logo.svg" alt="Larkspur" height="36"></a>
<nav><a href="/">Product</a><a href="/">Pricing</a>${
        ctx.sessions.current(c) ? html`<a href="/account">Workspace</a>` : html`<a href="/login">Log in</a><a class="ls-cta" href="/signup">Sign up free</a>`
      }</nav></header>
<main>${body}</main>
<footer>© Larkspur Labs <a href="/help">Help</a><a href="/privacy">Privacy</a><a href="/terms">Terms</a></footer>`,
    });

export const larkspur: SiteDefinition = {
  slug: 'larkspur',
  name: 'Larkspur',
  description: 'A design tool whose sign-in page offers Google, Apple, Microsoft, GitHub, passkeys and email with password.',
  kind: 'social-sign-in',
  language: 'en',
  loginPath: '/login',
  resetPath: '/forgot-password',
  passwordPolicy: { description: 'At least 10 characters.', rules: 'minlength: 10;' },
  otp: 'none',
  successText: 'Your password has been reset.',
  sessionCookie: 'larkspur_sid',
  brand,
  build(ctx) {
    const shell = makeShell(ctx);
    const app = createSiteApp(ctx, { brand, shell });
    const flash = (text: string, good = false): Html => html`<div class="ls-flash ${good ? 'good' : 'bad'}" role="${good ? 'status' : 'alert'}">${text}</div>`;

    app.get('/', (c) =>
      c.html(
        shell(
          c,
          'Design together',
          html`<section class="ls-hero"><h1>Design together, ship sooner.</h1>
<p>Boards, prototypes and handoff in one shared canvas your whole team can open in a browser.</p>
<p><a class="ls-btn" href="/signup">Get started for free</a></p></section>
<section class="ls-features"><div><strong>Live cursors</strong><p>See who is editing what, as it happens.</p></div>
<div><strong>Prototypes</strong><p>Click through flows before a line of code.</p></div>
<div><strong>Handoff</strong><p>Specs and assets, always the latest version.</p></div></section>`,
        ),
      ),
    );

    const loginPage = (c: Context, options: { email?: string; message?: Html } = {}) =>
      shell(
        c,
        'Log in',
        html`<div class="ls-card"><h1>Log in to Larkspur</h1>${options.message ?? ''}
<div class="ls-social">
  <form method="post" action="/auth/google"><button type="submit"><span class="ls-ico" aria-hidden="true">G</span>Continue with Google</button></form>
  <a href="${authorizeUrl(ctx, 'apple')}"><span class="ls-ico" aria-hidden="true"></span>Sign in with Apple</a>
  <a href="${authorizeUrl(ctx, 'microsoft')}" aria-label="Sign in with Microsoft"><span class="ls-ico" aria-hidden="true">⊞</span>Microsoft</a>
  <a href="/auth/github"><span class="ls-ico" aria-hidden="true">🐙</span>GitHub</a>
</div>
<div class="ls-or">or</div>
<form method="post" action="/login">
  <div class="ls-field"><label for="email">Email</label><input id="email" name="email" type="email" value="${options.email ?? ''}" autocomplete="username webauthn" required></div>
  <div class="ls-field"><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required></div>
  <div class="ls-row"><label><input type="checkbox" name="remember"> Keep me logged in</label><a href="/forgot-password">Forgot password?</a></div>
  <button class="ls-btn" type="submit">Log in</button>
</form>
<form method="post" action="/login/passkey"><button class="ls-btn ls-ghost" type="submit">Sign in with a passkey</button></form>
<p class="ls-foot">New to Larkspur? <a href="/signup">Create an account</a></p></div>`,
      );

    app.get('/login', (c) => c.html(loginPage(c, c.req.query('reset') === '1' ? { message: flash('Your password has been reset. Log in with the new one.', true) } : {})));
    app.post('/login', async (c) => {
      const body = await readForm(c);
      const user = ctx.users.authenticate(field(body, 'email'), field(body, 'password'));
      if (!user) return c.html(loginPage(c, { email: field(body, 'email'), message: flash('Incorrect email or password.') }), 401);
      ctx.users.recordLogin(user.id);
      ctx.sessions.start(c, user);
      return c.redirect('/account', 302);
    });
    app.post('/login/passkey', (c) =>
      c.html(loginPage(c, { message: flash('This browser has no Larkspur passkey yet. Log in with your password, then add a passkey in Settings.') }), 400),
    );
    // Third-party sign-in starts here and continues at the provider; the sandbox never completes it.
    app.on(['GET', 'POST'], '/auth/:provider', (c) => {
      const provider = c.req.param('provider');
      if (!Object.hasOwn(providers, provider)) return c.notFound();
      return c.redirect(authorizeUrl(ctx, provider as ProviderName), 302);
    });
    app.get('/auth/:provider/callback', (c) => c.html(loginPage(c, { message: flash('That sign-in was cancelled or has expired. Please try again.') }), 400));

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
          'Workspace',
          html`<div class="ls-card"><h1>Your workspace</h1><p>Signed in as <strong>${session.email}</strong></p><p>No boards yet.</p>
<form method="post" action="/logout"><button class="ls-btn" type="submit">Log out</button></form></div>`,
        ),
      );
    });

    const signupPage = (c: Context, options: { email?: string; name?: string; errors?: string[] } = {}) =>
      shell(
        c,
        'Create your account',
        html`<div class="ls-card"><h1>Create your Larkspur account</h1>${options.errors?.length ? flash(options.errors.join(' ')) : ''}
<form method="post" action="/signup">
  <div class="ls-field"><label for="name">Your name</label><input id="name" name="name" type="text" value="${options.name ?? ''}" autocomplete="name"></div>
  <div class="ls-field"><label for="signup-email">Work email</label><input id="signup-email" name="email" type="email" value="${options.email ?? ''}" autocomplete="email" required></div>
  <div class="ls-field"><label for="new-password">Password</label><input id="new-password" name="password" type="password" autocomplete="new-password" minlength="10" required></div>
  <button class="ls-btn" type="submit">Create account</button>
</form><p class="ls-foot">Already have an account? <a href="/login">Log in</a></p></div>`,
      );
    app.get('/signup', (c) => c.html(signupPage(c)));
    app.post('/signup', async (c) => {
      const body = await readForm(c);
      const email = field(body, 'email').trim();
      const name = field(body, 'name').trim();
      const password = field(body, 'password');
      const errors = /^[^@\s]+@[^@\s]+$/.test(email) ? checkPassword(password, rules) : ['Please enter a valid email address.'];
      if (errors.length) return c.html(signupPage(c, { email, name, errors }), 422);
      try {
        const user = ctx.users.create({ email, password, ...(name ? { displayName: name } : {}) });
        ctx.sessions.start(c, user);
        return c.redirect('/account', 302);
      } catch (err) {
        if (err instanceof UserExistsError) return c.html(signupPage(c, { email, name, errors: ['An account with this email already exists. Log in instead.'] }), 409);
        throw err;
      }
    });

    const forgotPage = (c: Context, message?: Html) =>
      shell(
        c,
        'Reset your password',
        html`<div class="ls-card"><h1>Reset your password</h1>${message ?? ''}
<p>Enter the email you use for Larkspur and we'll send you a link to choose a new password.</p>
<form method="post" action="/forgot-password">
  <div class="ls-field"><label for="reset-email">Email</label><input id="reset-email" name="email" type="email" autocomplete="email" required></div>
  <button class="ls-btn" type="submit">Send reset link</button>
</form><p class="ls-foot"><a href="/login">Back to log in</a></p></div>`,
      );
    app.get('/forgot-password', (c) => c.html(forgotPage(c)));
    app.post('/forgot-password', async (c) => {
      const email = field(await readForm(c), 'email').trim();
      if (!email.includes('@')) return c.html(forgotPage(c, flash('Please enter your email address.')), 422);
      await sendResetLink(ctx, email, {
        url: (secret) => `${ctx.origin}/reset-password/${secret}`,
        mail: (_user, url) => ({
          subject: 'Reset your Larkspur password',
          ...renderEmail({
            brand,
            origin: ctx.origin,
            language: 'en',
            preheader: 'Choose a new Larkspur password.',
            greeting: 'Hi there,',
            paragraphs: ['Someone asked to reset the password of your Larkspur account. If it was you, choose a new one here:'],
            action: { label: 'Reset password', url },
            closing: ['The link works once and expires in 30 minutes. If you did not ask for it, ignore this email.', '', '— The Larkspur team'],
            footer: englishFooter(brand),
          }),
        }),
      });
      return c.html(forgotPage(c, flash('Check your email: if an account uses that address, a reset link is on its way.', true)));
    });

    const resetPage = (c: Context, token: string, errors: string[] = []) =>
      shell(
        c,
        'Choose a new password',
        html`<div class="ls-card"><h1>Choose a new password</h1>${errors.length ? flash(errors.join(' ')) : ''}
<form method="post" action="/reset-password/${token}">
  <div class="ls-field"><label for="password">New password</label><input id="password" name="password" type="password" autocomplete="new-password" required></div>
  <div class="ls-field"><label for="password-confirm">Confirm new password</label><input id="password-confirm" name="password_confirm" type="password" autocomplete="new-password" required></div>
  <p>At least 10 characters.</p>
  <button class="ls-btn" type="submit">Reset password</button>
</form></div>`,
      );
    const expired = (c: Context) =>
      c.html(shell(c, 'Link expired', html`<div class="ls-card"><h1>Link expired</h1>${flash('This reset link has expired or was already used.')}<p><a href="/forgot-password">Ask for a new one</a></p></div>`), 410);
    app.get('/reset-password/:token', (c) =>
      ctx.users.findBySecret('reset-link', c.req.param('token')).status === 'valid' ? c.html(resetPage(c, c.req.param('token'))) : expired(c),
    );
    app.post('/reset-password/:token', async (c) => {
      const token = c.req.param('token');
      const found = ctx.users.findBySecret('reset-link', token);
      if (found.status !== 'valid' || !found.user || !found.token) return expired(c);
      const body = await readForm(c);
      const password = field(body, 'password');
      const errors = checkPassword(password, rules);
      if (password !== field(body, 'password_confirm')) errors.push('The passwords do not match.');
      if (errors.length) return c.html(resetPage(c, token, errors), 422);
      completeReset(ctx, found.user, password, [found.token.id]);
      return c.html(
        shell(c, 'Password reset', html`<div class="ls-card"><h1>All set</h1>${flash('Your password has been reset.', true)}<p class="ls-foot"><a href="/login">Log in</a></p></div>`),
      );
    });

    return { app };
  },
};
