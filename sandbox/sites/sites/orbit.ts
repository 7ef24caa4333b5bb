import type { Context } from 'hono';
import { documentPage, html, type Html } from '../layout.js';
import { englishFooter, renderEmail } from '../mail.js';
import { checkPassword } from '../policy.js';
import { completeReset, createSiteApp, field, readForm, sendResetLink, type Shell } from '../site-kit.js';
import type { Brand, SiteContext, SiteDefinition } from '../types.js';

/**
 * Orbit Travel — built from web components with open shadow roots. Every
 * input and button lives in a shadow root (`<orbit-field>`,
 * `<orbit-button>`); the fields are form-associated custom elements, so the
 * light-DOM `<form>` posts their values like a normal form.
 */
const brand: Brand = { name: 'Orbit Travel', initials: 'O', color: '#0284c7', ink: '#0c4a6e', font: "'Nunito', 'Segoe UI', Arial, sans-serif" };
const rules = { minLength: 8 };

const css = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 Nunito,'Segoe UI',Arial,sans-serif;color:#0c4a6e;background:linear-gradient(#e0f2fe,#fff 320px)}
orbit-app-bar{display:block}
.layout{max-width:1000px;margin:0 auto;padding:32px 20px}
orbit-card{display:block;max-width:440px;margin:24px auto}
orbit-field,orbit-button,orbit-alert{display:block}
.trip-grid{display:grid;grid-template-columns:repeat(3,1fr);gap:18px}.trip-grid div{background:#fff;border-radius:18px;padding:18px;box-shadow:0 4px 14px rgba(2,132,199,.12)}
.footer-links{text-align:center;font-size:13px;padding:30px}.footer-links a{color:#0369a1;margin:0 10px}
a{color:#0369a1}
`;

const components = `
const sheet = new CSSStyleSheet();
sheet.replaceSync(\`
  :host{display:block;font-family:Nunito,'Segoe UI',Arial,sans-serif;color:#0c4a6e}
  .field{margin:14px 0}
  label{display:block;font-size:13px;font-weight:700;margin-bottom:6px;color:#075985}
  input{width:100%;box-sizing:border-box;padding:12px 14px;border:2px solid #bae6fd;border-radius:14px;font-size:16px;outline:none;background:#f8fcff}
  input:focus{border-color:#0284c7;background:#fff}
  button{width:100%;padding:13px;border:0;border-radius:14px;font-size:16px;font-weight:800;cursor:pointer;background:#0284c7;color:#fff}
  button.secondary{background:#e0f2fe;color:#0369a1}
  .card{background:#fff;border-radius:24px;padding:30px;box-shadow:0 12px 40px rgba(2,132,199,.18)}
  h2{margin:0 0 6px;font-size:24px}
  .alert{border-radius:12px;padding:12px 14px;margin:10px 0;font-size:14px}
  .alert.danger{background:#fef2f2;color:#991b1b}.alert.success{background:#ecfdf5;color:#065f46}.alert.info{background:#f0f9ff}
  .bar{display:flex;justify-content:space-between;align-items:center;padding:16px 28px}
\`);

class OrbitElement extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).adoptedStyleSheets = [sheet];
  }
}

customElements.define('orbit-app-bar', class extends OrbitElement {
  connectedCallback() {
    this.shadowRoot.innerHTML = '<div class="bar"><slot name="brand"></slot><nav><slot></slot></nav></div>';
  }
});

customElements.define('orbit-card', class extends OrbitElement {
  connectedCallback() {
    this.shadowRoot.innerHTML = '<section class="card"><h2 part="heading"></h2><slot></slot><slot name="footer"></slot></section>';
    this.shadowRoot.querySelector('h2').textContent = this.getAttribute('heading') || '';
  }
});

customElements.define('orbit-alert', class extends OrbitElement {
  connectedCallback() {
    const variant = this.getAttribute('variant') || 'info';
    this.shadowRoot.innerHTML = '<div class="alert ' + variant + '" role="' + (variant === 'danger' ? 'alert' : 'status') + '"><slot></slot></div>';
  }
});

customElements.define('orbit-field', class extends OrbitElement {
  static formAssociated = true;
  constructor() {
    super();
    this.internals = this.attachInternals();
    this.shadowRoot.innerHTML = '<div class="field" part="field"><label part="label" for="control"></label><input part="input" id="control"></div>';
    this.input = this.shadowRoot.querySelector('input');
    this.input.addEventListener('input', () => this.internals.setFormValue(this.input.value));
    this.input.addEventListener('keydown', (e) => { if (e.key === 'Enter' && this.internals.form) { e.preventDefault(); this.internals.form.requestSubmit(); } });
  }
  connectedCallback() {
    this.shadowRoot.querySelector('label').textContent = this.getAttribute('label') || '';
    for (const attr of ['type', 'autocomplete', 'inputmode', 'placeholder', 'required', 'minlength']) {
      if (this.hasAttribute(attr)) this.input.setAttribute(attr, this.getAttribute(attr));
    }
    if (this.hasAttribute('value')) { this.input.value = this.getAttribute('value'); }
    this.internals.setFormValue(this.input.value);
  }
  get value() { return this.input.value; }
  set value(v) { this.input.value = v; this.internals.setFormValue(v); }
  formResetCallback() { this.value = ''; }
});

customElements.define('orbit-button', class extends OrbitElement {
  static formAssociated = true;
  constructor() {
    super();
    this.internals = this.attachInternals();
    this.shadowRoot.innerHTML = '<button part="button" type="button"><slot></slot></button>';
    this.shadowRoot.querySelector('button').addEventListener('click', () => {
      if (this.getAttribute('type') === 'submit' && this.internals.form) this.internals.form.requestSubmit();
      const href = this.getAttribute('href');
      if (href) location.href = href;
    });
  }
  connectedCallback() {
    if (this.getAttribute('variant') === 'secondary') this.shadowRoot.querySelector('button').className = 'secondary';
  }
});
`;

const makeShell =
  (ctx: SiteContext): Shell =>
  (c, title, body) =>
    documentPage({
      lang: 'en',
      title: `${title} · Orbit Travel`,
      css,
      head: html`<script type="module" src="/static/orbit-ui.4.2.0.js"></script>`,
      body: html`<orbit-app-bar><a slot="brand" href="/"><img src="/static/logo.svg" alt="Orbit Travel" height="36"></a>
${ctx.sessions.current(c) ? html`<a href="/trips">My trips</a>` : html`<a href="/auth/sign-in">Sign in</a>`}</orbit-app-bar>
<div class="layout">${body}</div>
<div class="footer-links"><a href="/help">Help</a><a href="/privacy">Privacy</a><a href="/terms">Terms</a></div>`,
    });

const alert = (variant: 'danger' | 'success' | 'info', text: string | Html) => html`<orbit-alert variant="${variant}">${text}</orbit-alert>`;

export const orbit: SiteDefinition = {
  slug: 'orbit',
  name: 'Orbit Travel',
  description: 'A travel site built from web components: inputs and buttons inside open shadow roots.',
  kind: 'shadow-dom',
  language: 'en',
  loginPath: '/auth/sign-in',
  resetPath: '/auth/forgot',
  passwordPolicy: { description: 'At least 8 characters.', rules: 'minlength: 8;' },
  otp: 'none',
  successText: 'Your password has been changed.',
  sessionCookie: 'orbit.sid',
  brand,
  build(ctx) {
    const shell = makeShell(ctx);
    const app = createSiteApp(ctx, { brand, shell });
    app.get('/static/orbit-ui.4.2.0.js', (c) => c.body(components, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));

    app.get('/', (c) =>
      c.html(
        shell(
          c,
          'Travel further',
          html`<h1>Where to next?</h1><div class="trip-grid"><div>Lisbon · from $389</div><div>Kyoto · from $912</div><div>Reykjavík · from $455</div></div>`,
        ),
      ),
    );

    const signInPage = (c: Context, error?: string) =>
      shell(
        c,
        'Sign in',
        html`<orbit-card heading="Sign in">
${error ? alert('danger', error) : ''}
<form method="post" action="/auth/sign-in">
  <orbit-field name="email" type="email" label="Email address" autocomplete="username"></orbit-field>
  <orbit-field name="password" type="password" label="Password" autocomplete="current-password"></orbit-field>
  <orbit-button type="submit">Sign in</orbit-button>
</form>
<p slot="footer"><a href="/auth/forgot">Forgot password?</a></p></orbit-card>`,
      );
    app.get('/auth/sign-in', (c) => c.html(signInPage(c)));
    app.post('/auth/sign-in', async (c) => {
      const body = await readForm(c);
      const user = ctx.users.authenticate(field(body, 'email'), field(body, 'password'));
      if (!user) return c.html(signInPage(c, 'Invalid email or password.'), 401);
      ctx.users.recordLogin(user.id);
      ctx.sessions.start(c, user);
      return c.redirect('/trips', 302);
    });
    app.post('/auth/sign-out', (c) => {
      ctx.sessions.end(c);
      return c.redirect('/', 302);
    });
    app.get('/trips', (c) => {
      const session = ctx.sessions.current(c);
      if (!session) return c.redirect('/auth/sign-in', 302);
      return c.html(
        shell(
          c,
          'My trips',
          html`<orbit-card heading="My trips"><p>Signed in as ${session.email}</p><p>No upcoming trips — time to plan one?</p>
<form method="post" action="/auth/sign-out"><orbit-button type="submit" variant="secondary">Sign out</orbit-button></form></orbit-card>`,
        ),
      );
    });

    const forgotPage = (c: Context, message?: Html) =>
      shell(
        c,
        'Reset password',
        html`<orbit-card heading="Reset your password">
<p>Enter the email on your Orbit account and we'll send you a reset link.</p>${message ?? ''}
<form method="post" action="/auth/forgot">
  <orbit-field name="email" type="email" label="Email address" autocomplete="email"></orbit-field>
  <orbit-button type="submit">Send reset link</orbit-button>
</form>
<p slot="footer"><a href="/auth/sign-in">Back to sign in</a></p></orbit-card>`,
      );
    app.get('/auth/forgot', (c) => c.html(forgotPage(c)));
    app.post('/auth/forgot', async (c) => {
      const email = field(await readForm(c), 'email').trim();
      if (!email.includes('@')) return c.html(forgotPage(c, alert('danger', 'Please enter a valid email address.')), 422);
      await sendResetLink(ctx, email, {
        url: (secret) => `${ctx.origin}/auth/reset/${secret}`,
        mail: (_user, url) => ({
          subject: 'Reset your Orbit Travel password',
          ...renderEmail({
            brand,
            origin: ctx.origin,
            language: 'en',
            preheader: 'Your password reset link is inside.',
            greeting: 'Hi traveller,',
            paragraphs: ['We received a request to reset your Orbit Travel password. Tap below to pick a new one.'],
            action: { label: 'Reset my password', url },
            closing: ['This link expires in 30 minutes. If you didn’t request it, you can ignore this email.', '', 'Safe travels,', 'Orbit Travel'],
            footer: englishFooter(brand),
          }),
        }),
      });
      return c.html(forgotPage(c, alert('success', 'If that email belongs to an Orbit account, a reset link is on its way.')));
    });

    const resetPage = (c: Context, token: string, message?: Html) =>
      shell(
        c,
        'Choose a new password',
        html`<orbit-card heading="Choose a new password">${message ?? ''}
<form method="post" action="/auth/reset/${token}">
  <orbit-field name="password" type="password" label="New password" autocomplete="new-password"></orbit-field>
  <orbit-field name="passwordConfirm" type="password" label="Confirm password" autocomplete="new-password"></orbit-field>
  <p style="font-size:13px">At least 8 characters.</p>
  <orbit-button type="submit">Update password</orbit-button>
</form></orbit-card>`,
      );
    const invalid = (c: Context) =>
      c.html(
        shell(
          c,
          'Link expired',
          html`<orbit-card heading="Link expired">${alert('danger', 'This password reset link is invalid or has expired.')}<p><a href="/auth/forgot">Send a new link</a></p></orbit-card>`,
        ),
        410,
      );
    app.get('/auth/reset/:token', (c) => (ctx.users.findBySecret('reset-link', c.req.param('token')).status === 'valid' ? c.html(resetPage(c, c.req.param('token'))) : invalid(c)));
    app.post('/auth/reset/:token', async (c) => {
      const token = c.req.param('token');
      const found = ctx.users.findBySecret('reset-link', token);
      if (found.status !== 'valid' || !found.user || !found.token) return invalid(c);
      const body = await readForm(c);
      const password = field(body, 'password');
      const errors = checkPassword(password, rules);
      if (password !== field(body, 'passwordConfirm')) errors.push('Passwords do not match.');
      if (errors.length) return c.html(resetPage(c, token, alert('danger', errors.join(' '))), 422);
      completeReset(ctx, found.user, password, [found.token.id]);
      return c.html(
        shell(
          c,
          'Password updated',
          html`<orbit-card heading="Password updated">${alert('success', 'Your password has been changed.')}
<orbit-button href="/auth/sign-in">Sign in</orbit-button></orbit-card>`,
        ),
      );
    });

    return { app };
  },
};
