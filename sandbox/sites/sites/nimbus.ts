import type { Context } from 'hono';
import { documentPage, html } from '../layout.js';
import { englishFooter, renderEmail } from '../mail.js';
import { checkPassword } from '../policy.js';
import { completeReset, createSiteApp, type Shell } from '../site-kit.js';
import type { Brand, SiteDefinition } from '../types.js';
import type { TokenStatus } from '../user-store.js';

/**
 * Nimbus Notes — a client-rendered SPA. The server sends an empty shell;
 * the bundle renders views after a delay, routes with history.pushState,
 * talks JSON to /api/v1, and has no <form>: inputs are bare and the buttons
 * are `<div role="button" tabindex="0">`.
 */
const brand: Brand = { name: 'Nimbus', initials: 'N', color: '#6d28d9', ink: '#1e1b4b', font: "'Inter', 'Segoe UI', Arial, sans-serif" };
const BUNDLE = '/assets/index-8f3a2c71.js';
const STYLES = '/assets/index-b41d09e2.css';
const CLIENT_ROUTES = ['/', '/signin', '/forgot-password', '/reset-password', '/account'];
const rules = { minLength: 8, digit: true };

const STATUS_ERRORS: Record<Exclude<TokenStatus, 'valid'>, { status: 404 | 409 | 410; code: string; message: string }> = {
  unknown: { status: 404, code: 'token_invalid', message: 'This reset link is invalid.' },
  expired: { status: 410, code: 'token_expired', message: 'This reset link has expired. Request a new one.' },
  revoked: { status: 410, code: 'token_superseded', message: 'This reset link is no longer valid because a newer one was sent.' },
  used: { status: 409, code: 'token_used', message: 'This reset link has already been used.' },
};

const css = `
:root{--c-primary:#6d28d9;--c-primary-600:#5b21b6;--c-ink:#1e1b4b;--c-muted:#6b7280;--radius:12px}
*{box-sizing:border-box}body{margin:0;font-family:Inter,'Segoe UI',system-ui,Arial,sans-serif;color:var(--c-ink);background:linear-gradient(160deg,#f5f3ff,#ede9fe 60%,#e0e7ff)}
.css-1n4k2a{min-height:100vh;display:flex;flex-direction:column}
.css-h3ad9r{display:flex;justify-content:space-between;align-items:center;padding:20px 40px}
.css-h3ad9r a{color:var(--c-ink);font-weight:600;text-decoration:none}
.css-p9xk2q{flex:1;display:flex;align-items:center;justify-content:center;padding:24px}
.css-c0rd77{width:100%;max-width:400px;background:#fff;border-radius:var(--radius);box-shadow:0 20px 45px -20px rgba(76,29,149,.35);padding:36px}
.css-c0rd77 h1{font-size:24px;margin:0 0 8px}.css-sub9a1{color:var(--c-muted);margin:0 0 24px;font-size:15px}
.css-f13ld0{margin-bottom:14px}
.css-i8np7t{width:100%;padding:12px 14px;border:1.5px solid #ddd6fe;border-radius:10px;font-size:15px;outline:none;background:#faf9ff}
.css-i8np7t:focus{border-color:var(--c-primary);background:#fff}
.css-b7tn0x{display:flex;align-items:center;justify-content:center;height:46px;border-radius:10px;background:var(--c-primary);color:#fff;font-weight:600;cursor:pointer;user-select:none;margin-top:6px}
.css-b7tn0x:hover{background:var(--c-primary-600)}.css-b7tn0x[aria-disabled=true]{opacity:.6;cursor:progress}
.css-b7tn0x.ghost{background:transparent;color:var(--c-primary);border:1.5px solid #ddd6fe}
.css-err4r1{color:#b91c1c;background:#fef2f2;border-radius:8px;padding:10px 12px;font-size:14px;margin-bottom:14px}
.css-ok11ay{color:#065f46;background:#ecfdf5;border-radius:8px;padding:10px 12px;font-size:14px;margin-bottom:14px}
.css-lnk0r2{display:block;margin-top:18px;text-align:center;color:var(--c-primary);font-size:14px}
.css-hint7c{font-size:13px;color:var(--c-muted);margin:-6px 0 14px}
.css-spin00{width:34px;height:34px;border-radius:50%;border:3px solid #ddd6fe;border-top-color:var(--c-primary);animation:r .8s linear infinite}
@keyframes r{to{transform:rotate(360deg)}}
.css-hero01{text-align:center;max-width:620px}.css-hero01 h1{font-size:48px;margin:0 0 14px}.css-hero01 p{font-size:19px;color:var(--c-muted)}
`;

const bundle = `
const root = document.getElementById('root');
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
let first = true;
let resetToken = null;

function h(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (k.startsWith('on')) node.addEventListener(k.slice(2).toLowerCase(), v);
    else if (k === 'className') node.className = v;
    else if (v !== false && v != null) node.setAttribute(k, v === true ? '' : v);
  }
  for (const child of children.flat()) if (child != null && child !== false) node.append(child);
  return node;
}

function Button(label, onActivate, variant) {
  let busy = false;
  const node = h('div', { role: 'button', tabindex: '0', className: 'css-b7tn0x' + (variant ? ' ' + variant : ''), 'aria-disabled': 'false' }, label);
  async function activate() {
    if (busy) return;
    busy = true; node.setAttribute('aria-disabled', 'true');
    try { await onActivate(); } finally { busy = false; node.setAttribute('aria-disabled', 'false'); }
  }
  node.addEventListener('click', activate);
  node.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); activate(); } });
  node.activate = activate;
  return node;
}

function Input(props, submit) {
  const node = h('input', Object.assign({ className: 'css-i8np7t' }, props));
  node.addEventListener('keydown', (e) => { if (e.key === 'Enter') submit.activate(); });
  return node;
}

function Link(href, label, className) {
  return h('a', { href, 'data-link': true, className: className || 'css-lnk0r2' }, label);
}

async function api(method, path, body) {
  const res = await fetch('/api/v1' + path, {
    method, credentials: 'same-origin',
    headers: body ? { 'Content-Type': 'application/json', Accept: 'application/json' } : { Accept: 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await res.json().catch(() => ({}));
  return { ok: res.ok, status: res.status, data };
}

function Card(...children) { return h('div', { className: 'css-c0rd77' }, ...children); }
function Alert(text, ok) { return h('div', { className: ok ? 'css-ok11ay' : 'css-err4r1', role: ok ? 'status' : 'alert' }, text); }

function Home() {
  return h('div', { className: 'css-hero01' },
    h('h1', {}, 'Your notes, everywhere.'),
    h('p', {}, 'Nimbus keeps your ideas in sync across every device. Fast, private and beautifully simple.'),
    Link('/signin', 'Sign in to your notes'));
}

function SignIn() {
  const error = h('div');
  const submit = Button('Continue', async () => {
    error.replaceChildren();
    const res = await api('POST', '/session', { email: email.value, password: password.value });
    if (res.ok) navigate('/account');
    else error.replaceChildren(Alert(res.data.error ? res.data.error.message : 'Something went wrong.'));
  });
  const email = Input({ type: 'email', placeholder: 'Email address', autocomplete: 'username' }, submit);
  const password = Input({ type: 'password', placeholder: 'Password', autocomplete: 'current-password' }, submit);
  return Card(h('h1', {}, 'Welcome back'), h('p', { className: 'css-sub9a1' }, 'Sign in to continue to Nimbus.'), error,
    h('div', { className: 'css-f13ld0' }, email), h('div', { className: 'css-f13ld0' }, password), submit,
    Link('/forgot-password', 'Forgot password?'));
}

function Forgot() {
  const body = h('div');
  const error = h('div');
  const submit = Button('Send reset link', async () => {
    error.replaceChildren();
    const res = await api('POST', '/password/forgot', { email: email.value });
    if (res.ok) {
      body.replaceChildren(Alert('Check your inbox. We sent a reset link to ' + email.value + '. It expires in 30 minutes.', true),
        Link('/signin', 'Back to sign in'));
    } else error.replaceChildren(Alert(res.data.error ? res.data.error.message : 'Something went wrong.'));
  });
  const email = Input({ type: 'email', placeholder: 'Email address', autocomplete: 'username' }, submit);
  body.append(error, h('div', { className: 'css-f13ld0' }, email), submit, Link('/signin', 'Back to sign in'));
  return Card(h('h1', {}, 'Reset your password'),
    h('p', { className: 'css-sub9a1' }, "Enter the email you use for Nimbus and we'll send you a link to reset your password."), body);
}

async function Reset() {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) { resetToken = fromUrl; history.replaceState({}, '', '/reset-password'); }
  const check = resetToken ? await api('GET', '/password/reset/' + encodeURIComponent(resetToken)) : { ok: false, data: { error: { message: 'This reset link is invalid.' } } };
  if (!check.ok) {
    return Card(h('h1', {}, 'Link problem'), Alert(check.data.error.message), Link('/forgot-password', 'Request a new link'));
  }
  const body = h('div');
  const error = h('div');
  const submit = Button('Update password', async () => {
    error.replaceChildren();
    const res = await api('POST', '/password/reset', { token: resetToken, password: password.value });
    if (res.ok) {
      resetToken = null;
      body.replaceChildren(Alert('Your password has been changed.', true), Button('Sign in', () => navigate('/signin')));
    } else {
      const err = res.data.error || { message: 'Something went wrong.' };
      error.replaceChildren(Alert([err.message].concat(err.details || []).join(' ')));
    }
  });
  const password = Input({ type: 'password', placeholder: 'New password', autocomplete: 'new-password' }, submit);
  body.append(error, h('div', { className: 'css-f13ld0' }, password), h('p', { className: 'css-hint7c' }, 'Use at least 8 characters, including a number.'), submit);
  return Card(h('h1', {}, 'Choose a new password'), h('p', { className: 'css-sub9a1' }, 'for ' + check.data.email), body);
}

async function Account() {
  const me = await api('GET', '/me');
  if (!me.ok) { navigate('/signin', true); return null; }
  return Card(h('h1', {}, 'Your notes'), h('p', { className: 'css-sub9a1' }, 'Signed in as ' + me.data.user.email),
    h('p', {}, 'You have 3 notebooks and 41 notes.'),
    Button('Sign out', async () => { await api('DELETE', '/session'); navigate('/'); }, 'ghost'));
}

function NotFound() { return Card(h('h1', {}, 'Page not found'), Link('/', 'Go home')); }

const routes = { '/': Home, '/signin': SignIn, '/forgot-password': Forgot, '/reset-password': Reset, '/account': Account };

// Only the latest navigation renders: a slower earlier one (the first load
// waits longest) must not replace the page the person has moved on to.
let renders = 0;

async function render() {
  const mine = ++renders;
  const outlet = document.getElementById('outlet');
  outlet.replaceChildren(h('div', { className: 'css-spin00', role: 'progressbar', 'aria-label': 'Loading' }));
  await wait(first ? 700 : 250);
  first = false;
  if (mine !== renders) return;
  const view = await (routes[location.pathname] || NotFound)();
  if (mine !== renders) return;
  if (view) outlet.replaceChildren(view);
  document.title = (document.querySelector('#outlet h1') || { textContent: 'Nimbus' }).textContent + ' · Nimbus';
}

function navigate(path, replace) {
  history[replace ? 'replaceState' : 'pushState']({}, '', path);
  render();
}

document.addEventListener('click', (e) => {
  const a = e.target.closest && e.target.closest('a[data-link]');
  if (a) { e.preventDefault(); navigate(a.getAttribute('href')); }
});
window.addEventListener('popstate', render);

root.replaceChildren(h('div', { className: 'css-1n4k2a' },
  h('header', { className: 'css-h3ad9r' }, h('a', { href: '/', 'data-link': true }, h('img', { src: '/static/logo.svg', alt: 'Nimbus', height: '36' })),
    h('nav', {}, Link('/signin', 'Sign in', ''))),
  h('main', { className: 'css-p9xk2q', id: 'outlet' })));
render();
`;

export const nimbus: SiteDefinition = {
  slug: 'nimbus',
  name: 'Nimbus Notes',
  description: 'A note-taking app built as a client-rendered single-page app: no forms, JSON calls, div buttons, pushState routing.',
  kind: 'spa',
  language: 'en',
  loginPath: '/signin',
  resetPath: '/forgot-password',
  passwordPolicy: { description: 'Use at least 8 characters, including a number.', rules: 'minlength: 8; required: digit; allowed: lower, upper, special;' },
  otp: 'none',
  successText: 'Your password has been changed.',
  sessionCookie: 'nimbus_sid',
  brand,
  build(ctx) {
    const shell: Shell = (_c, title, body) =>
      documentPage({ lang: 'en', title: `${title} · Nimbus`, css, body: html`<main style="max-width:560px;margin:80px auto;background:#fff;padding:32px;border-radius:12px">${body}</main>` });
    const app = createSiteApp(ctx, { brand, shell });
    const spa = (c: Context) =>
      c.html(
        html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Nimbus</title><link rel="icon" href="/favicon.ico"><link rel="stylesheet" href="${STYLES}">
<script type="module" crossorigin src="${BUNDLE}"></script></head>
<body><div id="root"></div><noscript>You need to enable JavaScript to run this app.</noscript></body></html>`,
      );
    for (const path of CLIENT_ROUTES) app.get(path, spa);
    app.get(BUNDLE, (c) => c.body(bundle, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'max-age=31536000, immutable' }));
    app.get(STYLES, (c) => c.body(css, 200, { 'Content-Type': 'text/css; charset=utf-8' }));

    const problem = (c: Context, status: 400 | 401 | 404 | 409 | 410 | 422, code: string, message: string, details?: string[]) =>
      c.json({ error: { code, message, ...(details ? { details } : {}) } }, status);
    const readJson = async (c: Context): Promise<Record<string, unknown>> => {
      const body: unknown = await c.req.json().catch(() => ({}));
      return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    };
    const text = (value: unknown) => (typeof value === 'string' ? value : '');

    app.get('/api/v1/me', (c) => {
      const session = ctx.sessions.current(c);
      return session ? c.json({ user: { email: session.email } }) : problem(c, 401, 'unauthenticated', 'Sign in to continue.');
    });
    app.post('/api/v1/session', async (c) => {
      const body = await readJson(c);
      const user = ctx.users.authenticate(text(body.email), text(body.password));
      if (!user) return problem(c, 401, 'invalid_credentials', 'Incorrect email or password.');
      ctx.users.recordLogin(user.id);
      ctx.sessions.start(c, user);
      return c.json({ user: { email: user.email } });
    });
    app.delete('/api/v1/session', (c) => {
      ctx.sessions.end(c);
      return c.body(null, 204);
    });
    app.post('/api/v1/password/forgot', async (c) => {
      const email = text((await readJson(c)).email).trim();
      if (!email.includes('@')) return problem(c, 400, 'invalid_email', 'Enter a valid email address.');
      const user = ctx.users.findByEmail(email);
      if (!user) return problem(c, 404, 'account_not_found', "We couldn't find a Nimbus account with that email.");
      const { secret } = ctx.users.issueToken({ userId: user.id, purpose: 'reset-link', ttlMs: ctx.tokenTtlMs });
      const url = `${ctx.origin}/reset-password?token=${secret}`;
      await ctx.sendMail({
        to: user.email,
        subject: 'Reset your Nimbus password',
        encoding: 'base64',
        ...renderEmail({
          brand,
          origin: ctx.origin,
          language: 'en',
          preheader: 'Someone asked to reset the password for your Nimbus account.',
          greeting: 'Hi there,',
          paragraphs: [
            'Someone (hopefully you) asked to reset the password for your Nimbus account.',
            'Click the button below to choose a new one. The link expires in 30 minutes and can be used once.',
          ],
          action: { label: 'Choose a new password', url },
          closing: ["If you didn't ask for this, you can safely ignore this email — your password won't change.", '', '— The Nimbus team'],
          footer: englishFooter(brand),
        }),
      });
      return c.json({ sent: true }, 202);
    });
    app.get('/api/v1/password/reset/:token', (c) => {
      const found = ctx.users.findBySecret('reset-link', c.req.param('token'));
      if (found.status !== 'valid' || !found.user) {
        const e = STATUS_ERRORS[found.status === 'valid' ? 'unknown' : found.status];
        return problem(c, e.status, e.code, e.message);
      }
      return c.json({ email: found.user.email, expiresAt: new Date(found.token?.expiresAt ?? 0).toISOString() });
    });
    app.post('/api/v1/password/reset', async (c) => {
      const body = await readJson(c);
      const found = ctx.users.findBySecret('reset-link', text(body.token));
      if (found.status !== 'valid' || !found.user || !found.token) {
        const e = STATUS_ERRORS[found.status === 'valid' ? 'unknown' : found.status];
        return problem(c, e.status, e.code, e.message);
      }
      const password = text(body.password);
      const errors = checkPassword(password, rules);
      if (errors.length) return problem(c, 422, 'weak_password', 'Choose a stronger password.', errors);
      completeReset(ctx, found.user, password, [found.token.id]);
      return c.json({ ok: true });
    });
    app.all('/api/*', (c) => problem(c, 404, 'not_found', 'No such endpoint.'));
    return { app };
  },
};
