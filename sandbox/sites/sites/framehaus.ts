import type { Context } from 'hono';
import { documentPage, html, raw, type Html } from '../layout.js';
import { englishFooter, renderEmail } from '../mail.js';
import { checkPassword } from '../policy.js';
import { completeReset, createSiteApp, field, readForm, sendResetLink, type Shell } from '../site-kit.js';
import type { Brand, SiteContext, SiteDefinition } from '../types.js';

/**
 * Framehaus — a print shop whose account-recovery widget is embedded: the
 * forgot-password form and the new-password form live in a same-origin
 * `<iframe>` (`/embed/auth/...`) inside the site's pages. Messages appear
 * inside the frame; the frame tells the page when the password changed.
 */
const brand: Brand = { name: 'Framehaus', initials: 'F', color: '#111827', ink: '#111827', font: "'Futura', 'Century Gothic', 'Helvetica Neue', sans-serif" };
const rules = { minLength: 8, lower: true, upper: true };

const css = `
*{box-sizing:border-box}body{margin:0;font:15px/1.6 'Century Gothic','Helvetica Neue',sans-serif;color:#111827;background:#fff}
.fh-bar{display:flex;justify-content:space-between;align-items:center;padding:22px 6vw;border-bottom:1px solid #111}
.fh-bar nav a{color:#111;text-decoration:none;text-transform:uppercase;letter-spacing:.15em;font-size:12px;margin-left:28px}
.fh-main{max-width:1040px;margin:0 auto;padding:48px 6vw}
.fh-gallery{display:grid;grid-template-columns:repeat(3,1fr);gap:24px}.fh-gallery div{aspect-ratio:4/5;background:#e5e7eb;border:12px solid #111}
.fh-split{display:grid;grid-template-columns:1fr 1fr;gap:48px;align-items:start}
.fh-split aside{background:#f9fafb;padding:28px;font-size:14px}
.fh-frame{width:100%;height:440px;border:1px solid #d1d5db}
.fh-form label{display:block;text-transform:uppercase;font-size:11px;letter-spacing:.15em;margin:18px 0 6px}
.fh-form input{width:100%;border:0;border-bottom:1px solid #111;padding:8px 0;font-size:16px;outline:none}
.fh-btn{margin-top:26px;background:#111;color:#fff;border:0;padding:14px 36px;text-transform:uppercase;letter-spacing:.2em;font-size:12px;cursor:pointer}
.fh-err{color:#b91c1c;margin:10px 0}.fh-ok{color:#065f46;margin:10px 0}
.fh-toast{position:fixed;top:16px;right:16px;background:#065f46;color:#fff;padding:12px 18px;display:none}
.fh-foot{border-top:1px solid #111;padding:24px 6vw;font-size:12px;text-transform:uppercase;letter-spacing:.1em}.fh-foot a{color:#111;margin-right:20px}
`;

/** The bare documents shown inside the iframe. */
const embedCss = `
*{box-sizing:border-box}body{margin:0;padding:28px;font:15px/1.6 'Century Gothic','Helvetica Neue',sans-serif;color:#111827;background:#fff}
h2{font-weight:normal;text-transform:uppercase;letter-spacing:.2em;font-size:16px;margin:0 0 12px}
label{display:block;text-transform:uppercase;font-size:11px;letter-spacing:.15em;margin:18px 0 6px}
input{width:100%;border:0;border-bottom:1px solid #111;padding:8px 0;font-size:16px;outline:none}
button{margin-top:26px;background:#111;color:#fff;border:0;padding:14px 36px;text-transform:uppercase;letter-spacing:.2em;font-size:12px;cursor:pointer}
.err{color:#b91c1c}.ok{color:#065f46}a{color:#111}
`;

function embed(c: Context, title: string, body: Html, status: 200 | 410 | 422 = 200) {
  return c.html(
    html`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><style>${raw(embedCss)}</style></head><body>${body}</body></html>`,
    status,
    { 'X-Frame-Options': 'SAMEORIGIN', 'Content-Security-Policy': "frame-ancestors 'self'" },
  );
}

const makeShell =
  (ctx: SiteContext): Shell =>
  (c, title, body) =>
    documentPage({
      lang: 'en',
      title: `${title} — Framehaus`,
      css,
      body: html`<header class="fh-bar"><a href="/"><img src="/static/logo.svg" alt="Framehaus" height="36"></a>
<nav><a href="/">Prints</a><a href="/">Frames</a>${ctx.sessions.current(c) ? html`<a href="/account">Account</a>` : html`<a href="/login">Sign in</a>`}</nav></header>
<main class="fh-main">${body}</main><div class="fh-toast" id="toast" role="status"></div>
<footer class="fh-foot"><a href="/help">Help</a><a href="/privacy">Privacy</a><a href="/terms">Terms</a></footer>`,
    });

export const framehaus: SiteDefinition = {
  slug: 'framehaus',
  name: 'Framehaus',
  description: 'A print shop whose forgot-password and new-password forms live in a same-origin iframe.',
  kind: 'iframe',
  language: 'en',
  loginPath: '/login',
  resetPath: '/account/recover',
  passwordPolicy: { description: 'At least 8 characters with upper- and lowercase letters.', rules: 'minlength: 8; required: lower; required: upper; allowed: digit, special;' },
  otp: 'none',
  successText: 'Your password has been changed.',
  sessionCookie: 'fh_sess',
  brand,
  build(ctx) {
    const shell = makeShell(ctx);
    const app = createSiteApp(ctx, { brand, shell });

    app.get('/', (c) => c.html(shell(c, 'Prints & frames', html`<h1 style="font-weight:normal;letter-spacing:.1em">FRAME WHAT MATTERS</h1><div class="fh-gallery"><div></div><div></div><div></div></div>`)));

    const loginPage = (c: Context, error?: string) =>
      shell(
        c,
        'Sign in',
        html`<div class="fh-split"><section><h1 style="font-weight:normal">Sign in</h1>${error ? html`<p class="fh-err" role="alert">${error}</p>` : ''}
<form class="fh-form" method="post" action="/login">
  <label for="username">Email</label><input id="username" name="username" type="email" autocomplete="email">
  <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password">
  <button class="fh-btn" type="submit">Sign in</button>
</form><p><a href="/account/recover">Forgot password?</a></p></section>
<aside><h2>New here?</h2><p>Save your favourite prints and track your orders.</p></aside></div>`,
      );
    app.get('/login', (c) => c.html(loginPage(c)));
    app.post('/login', async (c) => {
      const body = await readForm(c);
      const user = ctx.users.authenticate(field(body, 'username'), field(body, 'password'));
      if (!user) return c.html(loginPage(c, 'Wrong email or password.'), 401);
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
      return c.html(shell(c, 'Account', html`<h1 style="font-weight:normal">Account</h1><p>Signed in as ${session.email}</p><form method="post" action="/logout"><button class="fh-btn">Sign out</button></form>`));
    });

    // Top-level pages that host the recovery widget.
    const host = (c: Context, title: string, src: string, frameTitle: string) =>
      c.html(
        shell(
          c,
          title,
          html`<div class="fh-split"><section><h1 style="font-weight:normal">${title}</h1>
<iframe class="fh-frame" id="auth-widget" src="${src}" title="${frameTitle}" loading="eager"></iframe></section>
<aside><h2>Need a hand?</h2><p>Our studio team answers within one working day. <a href="/help">Contact us</a>.</p></aside></div>
<script>window.addEventListener('message', function (e) {
  if (e.origin !== location.origin || !e.data || e.data.type !== 'fh-auth:password-changed') return;
  var t = document.getElementById('toast'); t.textContent = 'Password updated'; t.style.display = 'block';
});</script>`,
        ),
      );
    app.get('/account/recover', (c) => host(c, 'Account recovery', '/embed/auth/forgot', 'Password recovery'));
    app.get('/account/recover/reset', (c) => host(c, 'Choose a new password', `/embed/auth/reset?token=${encodeURIComponent(c.req.query('token') ?? '')}`, 'Choose a new password'));

    // The embedded documents.
    const forgotForm = (error?: string) => html`<h2>Forgot your password?</h2><p>We'll email you a link to choose a new one.</p>${error ? html`<p class="err" role="alert">${error}</p>` : ''}
<form method="post" action="/embed/auth/forgot"><label for="fh-email">Email</label><input id="fh-email" name="email" type="email" autocomplete="email">
<button type="submit">Email me a reset link</button></form>`;
    app.get('/embed/auth/forgot', (c) => embed(c, 'Forgot password', forgotForm()));
    app.post('/embed/auth/forgot', async (c) => {
      const email = field(await readForm(c), 'email').trim();
      if (!email.includes('@')) return embed(c, 'Forgot password', forgotForm('Please enter your email address.'), 422);
      await sendResetLink(ctx, email, {
        url: (secret) => `${ctx.origin}/account/recover/reset?token=${secret}`,
        mail: (_user, url) => ({
          subject: 'Your Framehaus password reset link',
          ...renderEmail({
            brand,
            origin: ctx.origin,
            language: 'en',
            preheader: 'Choose a new password for Framehaus.',
            greeting: 'Hello,',
            paragraphs: ['Somebody asked to reset your Framehaus password. If that was you, choose a new password here:'],
            action: { label: 'Choose a new password', url, copyHint: 'Button not working? Paste this address into your browser:' },
            closing: ['The link is valid for 30 minutes.', '', 'Framehaus Studio'],
            footer: englishFooter(brand),
          }),
        }),
      });
      return embed(c, 'Check your inbox', html`<h2>Check your inbox</h2><p class="ok" role="status">If an account exists for ${email}, you'll get an email with a reset link shortly.</p>`);
    });

    const invalid = (c: Context) =>
      embed(c, 'Link expired', html`<h2>Link expired</h2><p class="err" role="alert">This reset link is invalid or has expired.</p><p><a href="/account/recover" target="_top">Request a new link</a></p>`, 410);
    const resetForm = (token: string, errors: string[] = []) => html`<h2>New password</h2>${errors.length ? html`<div class="err" role="alert">${errors.map((e) => html`<div>${e}</div>`)}</div>` : ''}
<form method="post" action="/embed/auth/reset"><input type="hidden" name="token" value="${token}">
<label for="fh-new">New password</label><input id="fh-new" name="new-password" type="password" autocomplete="new-password">
<label for="fh-confirm">Confirm new password</label><input id="fh-confirm" name="confirm-password" type="password" autocomplete="new-password">
<p style="font-size:12px">At least 8 characters, with upper- and lowercase letters.</p>
<button type="submit">Save new password</button></form>`;
    app.get('/embed/auth/reset', (c) => {
      const token = c.req.query('token') ?? '';
      return ctx.users.findBySecret('reset-link', token).status === 'valid' ? embed(c, 'New password', resetForm(token)) : invalid(c);
    });
    app.post('/embed/auth/reset', async (c) => {
      const body = await readForm(c);
      const token = field(body, 'token');
      const found = ctx.users.findBySecret('reset-link', token);
      if (found.status !== 'valid' || !found.user || !found.token) return invalid(c);
      const password = field(body, 'new-password');
      const errors = checkPassword(password, rules);
      if (password !== field(body, 'confirm-password')) errors.push('The two passwords do not match.');
      if (errors.length) return embed(c, 'New password', resetForm(token, errors), 422);
      completeReset(ctx, found.user, password, [found.token.id]);
      return embed(
        c,
        'Password changed',
        html`<h2>All set</h2><p class="ok" role="status">Your password has been changed.</p><p><a href="/login" target="_top">Sign in</a></p>
<script>parent.postMessage({ type: 'fh-auth:password-changed' }, location.origin);</script>`,
      );
    });

    return { app };
  },
};
