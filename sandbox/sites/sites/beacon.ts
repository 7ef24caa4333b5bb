import type { Context } from 'hono';
import { documentPage, html, maskEmail, type Html } from '../layout.js';
import { englishFooter, renderEmail } from '../mail.js';
import { checkPassword } from '../policy.js';
import { completeReset, createSiteApp, field, FlowStore, readForm, sendResetLink, type Shell } from '../site-kit.js';
import { UserExistsError } from '../user-store.js';
import type { Brand, SiteContext, SiteDefinition } from '../types.js';

/**
 * Beacon — team chat that signs people in by email link first, like Slack:
 * `/signin` asks only for an email and offers "Email me a sign-in link", a
 * "Sign in with SSO" link to a company single sign-on page, and "Sign in with
 * a password instead", which leads to the classic form at `/signin/password`
 * (where "Forgot your password?" is). Sign-up is "Register". The sign-in links
 * work (emailed, 15 minutes, once). No /.well-known/change-password.
 */
const brand: Brand = { name: 'Beacon', initials: 'Bc', color: '#c2410c', ink: '#292524', font: "'Lato', 'Segoe UI', Arial, sans-serif" };
const rules = { minLength: 8, digit: true };
const MAGIC_LINK_TTL_MS = 15 * 60_000;

const css = `
*{box-sizing:border-box}body{margin:0;font:16px/1.55 'Lato','Segoe UI',Arial,sans-serif;color:#292524;background:#fffaf5}
a{color:#c2410c}.bc-top{display:flex;align-items:center;justify-content:space-between;padding:14px 36px;border-bottom:1px solid #fed7aa;background:#fff}
.bc-top nav a{margin-left:18px;font-weight:700;text-decoration:none}
main{max-width:880px;margin:0 auto;padding:40px 24px}.bc-hero{text-align:center}.bc-hero h1{font-size:40px;margin:10px 0}
.bc-box{max-width:440px;margin:0 auto;background:#fff;border:1px solid #fed7aa;border-radius:12px;padding:28px 30px}
.bc-box h1{font-size:26px;margin:0 0 6px}.bc-sub{color:#78716c;margin:0 0 20px}
.bc-box label{display:block;font-weight:700;margin:12px 0 4px}.bc-box input{width:100%;padding:11px 12px;border:1px solid #fdba74;border-radius:8px;font:inherit}
.bc-btn{display:block;width:100%;margin-top:16px;background:#c2410c;color:#fff;border:0;border-radius:8px;padding:12px;font:700 16px/1.3 inherit;cursor:pointer;text-align:center;text-decoration:none}
.bc-alt{display:block;text-align:center;margin-top:12px;font-weight:700}
.bc-sep{text-align:center;color:#a8a29e;margin:18px 0 0;font-size:13px}
.bc-note{border-radius:8px;padding:10px 12px;margin:10px 0}.bc-note.bad{background:#fee2e2;color:#991b1b}.bc-note.good{background:#ecfccb;color:#3f6212}
footer{text-align:center;color:#a8a29e;font-size:13px;padding:24px}footer a{color:#a8a29e;margin:0 6px}
`;

const makeShell =
  (ctx: SiteContext): Shell =>
  (c, title, body) =>
    documentPage({
      lang: 'en',
      title: `${title} | Beacon`,
      css,
      body: html`<header class="bc-top"><a href="/"><img src="/static/logo.svg" alt="Beacon" height="34"></a>
<nav><a href="/">Features</a><a href="/">Enterprise</a>${
        ctx.sessions.current(c) ? html`<a href="/workspace">Open Beacon</a>` : html`<a href="/signin">Sign in</a><a href="/register">Register</a>`
      }</nav></header>
<main>${body}</main>
<footer><a href="/help">Help</a><a href="/privacy">Privacy</a><a href="/terms">Terms</a> © Beacon</footer>`,
    });

export const beacon: SiteDefinition = {
  slug: 'beacon',
  name: 'Beacon',
  description: 'Team chat that signs people in with an emailed link or company SSO, with a password as the fallback.',
  kind: 'passwordless',
  language: 'en',
  loginPath: '/signin/password',
  resetPath: '/password/forgot',
  passwordPolicy: { description: 'At least 8 characters, including a number.', rules: 'minlength: 8; required: digit; allowed: lower, upper, special;' },
  otp: 'none',
  successText: 'Your password has been updated.',
  sessionCookie: 'beacon_session',
  brand,
  build(ctx) {
    const shell = makeShell(ctx);
    const app = createSiteApp(ctx, { brand, shell });
    const magicLinks = new FlowStore<{ userId: string }>(ctx.clock);
    const note = (text: string, good = false): Html => html`<div class="bc-note ${good ? 'good' : 'bad'}" role="${good ? 'status' : 'alert'}">${text}</div>`;

    app.get('/', (c) =>
      c.html(
        shell(
          c,
          'Where your team talks',
          html`<section class="bc-hero"><h1>Where your team talks.</h1><p>Channels, threads and huddles, without the noise.</p>
<p><a class="bc-btn" href="/register">Register your team</a></p><p>Already on Beacon? <a href="/signin">Sign in</a></p></section>`,
        ),
      ),
    );

    const signinPage = (c: Context, message?: Html) =>
      shell(
        c,
        'Sign in',
        html`<div class="bc-box"><h1>Sign in to Beacon</h1><p class="bc-sub">We suggest using the email address you use at work.</p>${message ?? ''}
<form method="post" action="/signin/link">
  <label for="email">Work email</label><input id="email" name="email" type="email" autocomplete="email" placeholder="name@work-email.com" required>
  <button class="bc-btn" type="submit">Email me a sign-in link</button>
</form>
<p class="bc-sep">OTHER OPTIONS</p>
<a class="bc-alt" href="/sso">Sign in with SSO</a>
<a class="bc-alt" href="/signin/password">Sign in with a password instead</a>
<p class="bc-sep">New to Beacon? <a href="/register">Register</a></p></div>`,
      );
    app.get('/signin', (c) => c.html(signinPage(c)));
    app.post('/signin/link', async (c) => {
      const email = field(await readForm(c), 'email').trim();
      if (!email.includes('@')) return c.html(signinPage(c, note('Please enter your email address.')), 422);
      const user = ctx.users.findByEmail(email);
      if (user) {
        const token = magicLinks.create({ userId: user.id }, MAGIC_LINK_TTL_MS);
        const url = `${ctx.origin}/signin/magic/${token}`;
        await ctx.sendMail({
          to: user.email,
          subject: 'Your Beacon sign-in link',
          ...renderEmail({
            brand,
            origin: ctx.origin,
            language: 'en',
            preheader: 'Sign in to Beacon with one click.',
            greeting: 'Hi,',
            paragraphs: ['Here is the sign-in link you asked for. It signs you in to Beacon on this device.'],
            action: { label: 'Sign in to Beacon', url },
            closing: ['It works once and expires in 15 minutes.', '', 'Beacon'],
            footer: englishFooter(brand),
          }),
        });
      }
      return c.html(
        shell(c, 'Check your email', html`<div class="bc-box"><h1>Check your email</h1>${note(`If ${maskEmail(email)} has a Beacon account, we've sent it a sign-in link.`, true)}<p><a href="/signin">Back</a></p></div>`),
      );
    });
    app.get('/signin/magic/:token', (c) => {
      const token = c.req.param('token');
      const flow = magicLinks.get(token);
      const user = flow ? ctx.users.findById(flow.userId) : undefined;
      if (!user) return c.html(signinPage(c, note('That sign-in link has expired or was already used. Ask for a new one.')), 410);
      magicLinks.delete(token);
      ctx.users.recordLogin(user.id);
      ctx.sessions.start(c, user);
      return c.redirect('/workspace', 302);
    });

    const ssoPage = (c: Context, message?: Html) =>
      shell(
        c,
        'Single sign-on',
        html`<div class="bc-box"><h1>Single sign-on (SSO)</h1><p class="bc-sub">Sign in with your company's identity provider.</p>${message ?? ''}
<form method="post" action="/sso"><label for="domain">Company domain</label><input id="domain" name="domain" type="text" placeholder="acme.com">
<button class="bc-btn" type="submit">Continue</button></form><a class="bc-alt" href="/signin">Other ways to sign in</a></div>`,
      );
    app.get('/sso', (c) => c.html(ssoPage(c)));
    app.post('/sso', async (c) => {
      const domain = field(await readForm(c), 'domain').trim();
      return c.html(ssoPage(c, note(`No single sign-on is set up for ${domain || 'that domain'}. Ask your administrator, or sign in another way.`)), 404);
    });

    const passwordPage = (c: Context, options: { email?: string; message?: Html } = {}) =>
      shell(
        c,
        'Sign in with a password',
        html`<div class="bc-box"><h1>Sign in with a password</h1>${options.message ?? ''}
<form method="post" action="/signin/password">
  <label for="pw-email">Email address</label><input id="pw-email" name="email" type="email" value="${options.email ?? ''}" autocomplete="username" required>
  <label for="pw-password">Password</label><input id="pw-password" name="password" type="password" autocomplete="current-password" required>
  <button class="bc-btn" type="submit">Sign in</button>
</form>
<a class="bc-alt" href="/password/forgot">Forgot your password?</a>
<a class="bc-alt" href="/signin">Email me a sign-in link instead</a></div>`,
      );
    app.get('/signin/password', (c) => c.html(passwordPage(c, c.req.query('updated') ? { message: note('Your password has been updated. Sign in with it below.', true) } : {})));
    app.post('/signin/password', async (c) => {
      const body = await readForm(c);
      const user = ctx.users.authenticate(field(body, 'email'), field(body, 'password'));
      if (!user) return c.html(passwordPage(c, { email: field(body, 'email'), message: note('Sorry, that password is not right for this email.') }), 401);
      ctx.users.recordLogin(user.id);
      ctx.sessions.start(c, user);
      return c.redirect('/workspace', 302);
    });
    app.post('/signout', (c) => {
      ctx.sessions.end(c);
      return c.redirect('/', 302);
    });
    app.get('/workspace', (c) => {
      const session = ctx.sessions.current(c);
      if (!session) return c.redirect('/signin', 302);
      return c.html(
        shell(
          c,
          'Workspace',
          html`<div class="bc-box"><h1># general</h1><p>Signed in as ${session.email}</p><form method="post" action="/signout"><button class="bc-btn" type="submit">Sign out</button></form></div>`,
        ),
      );
    });

    const registerPage = (c: Context, options: { email?: string; errors?: string[] } = {}) =>
      shell(
        c,
        'Register',
        html`<div class="bc-box"><h1>Register your team</h1>${options.errors?.length ? note(options.errors.join(' ')) : ''}
<form method="post" action="/register">
  <label for="reg-email">Work email</label><input id="reg-email" name="email" type="email" value="${options.email ?? ''}" autocomplete="email" required>
  <label for="reg-password">Choose a password</label><input id="reg-password" name="password" type="password" autocomplete="new-password" required>
  <button class="bc-btn" type="submit">Register</button>
</form><p class="bc-sep">Already on Beacon? <a href="/signin">Sign in</a></p></div>`,
      );
    app.get('/register', (c) => c.html(registerPage(c)));
    app.post('/register', async (c) => {
      const body = await readForm(c);
      const email = field(body, 'email').trim();
      const password = field(body, 'password');
      const errors = /^[^@\s]+@[^@\s]+$/.test(email) ? checkPassword(password, rules) : ['Please enter a valid email address.'];
      if (errors.length) return c.html(registerPage(c, { email, errors }), 422);
      try {
        const user = ctx.users.create({ email, password });
        ctx.sessions.start(c, user);
        return c.redirect('/workspace', 302);
      } catch (err) {
        if (err instanceof UserExistsError) return c.html(registerPage(c, { email, errors: ['That email is already registered. Sign in instead.'] }), 409);
        throw err;
      }
    });

    const forgotPage = (c: Context, message?: Html) =>
      shell(
        c,
        'Forgot your password?',
        html`<div class="bc-box"><h1>Forgot your password?</h1><p class="bc-sub">Enter your email and we'll send you a link to set a new password.</p>${message ?? ''}
<form method="post" action="/password/forgot"><label for="forgot-email">Email address</label><input id="forgot-email" name="email" type="email" autocomplete="email" required>
<button class="bc-btn" type="submit">Send me a reset link</button></form></div>`,
      );
    app.get('/password/forgot', (c) => c.html(forgotPage(c)));
    app.post('/password/forgot', async (c) => {
      const email = field(await readForm(c), 'email').trim();
      if (!email.includes('@')) return c.html(forgotPage(c, note('Please enter your email address.')), 422);
      await sendResetLink(ctx, email, {
        url: (secret) => `${ctx.origin}/password/reset/${secret}`,
        mail: (_user, url) => ({
          subject: 'Reset your Beacon password',
          ...renderEmail({
            brand,
            origin: ctx.origin,
            language: 'en',
            preheader: 'Set a new Beacon password.',
            greeting: 'Hi,',
            paragraphs: ['We received a request to reset the password for your Beacon account.'],
            action: { label: 'Choose a new password', url },
            closing: ['This link expires in 30 minutes and works once. Did not ask? You can ignore this email.', '', 'Beacon'],
            footer: englishFooter(brand),
          }),
        }),
      });
      return c.html(forgotPage(c, note("We've sent you an email: if that address has a Beacon account, the link is on its way.", true)));
    });

    const resetPage = (c: Context, token: string, errors: string[] = []) =>
      shell(
        c,
        'New password',
        html`<div class="bc-box"><h1>Set a new password</h1>${errors.length ? note(errors.join(' ')) : ''}
<form method="post" action="/password/reset/${token}">
  <label for="new-password">New password</label><input id="new-password" name="password" type="password" autocomplete="new-password" required>
  <label for="repeat-password">Repeat new password</label><input id="repeat-password" name="password_repeat" type="password" autocomplete="new-password" required>
  <p class="bc-sub">At least 8 characters, including a number.</p>
  <button class="bc-btn" type="submit">Save new password</button>
</form></div>`,
      );
    const expired = (c: Context) =>
      c.html(shell(c, 'Link expired', html`<div class="bc-box"><h1>Link expired</h1>${note('This reset link has expired or was already used.')}<a class="bc-alt" href="/password/forgot">Send a new link</a></div>`), 410);
    app.get('/password/reset/:token', (c) =>
      ctx.users.findBySecret('reset-link', c.req.param('token')).status === 'valid' ? c.html(resetPage(c, c.req.param('token'))) : expired(c),
    );
    app.post('/password/reset/:token', async (c) => {
      const token = c.req.param('token');
      const found = ctx.users.findBySecret('reset-link', token);
      if (found.status !== 'valid' || !found.user || !found.token) return expired(c);
      const body = await readForm(c);
      const password = field(body, 'password');
      const errors = checkPassword(password, rules);
      if (password !== field(body, 'password_repeat')) errors.push('The passwords do not match.');
      if (errors.length) return c.html(resetPage(c, token, errors), 422);
      completeReset(ctx, found.user, password, [found.token.id]);
      return c.html(
        shell(c, 'Password updated', html`<div class="bc-box"><h1>Done</h1>${note('Your password has been updated.', true)}<a class="bc-alt" href="/signin/password">Sign in</a></div>`),
      );
    });

    return { app };
  },
};
