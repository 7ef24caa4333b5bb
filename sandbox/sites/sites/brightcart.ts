import type { Context } from 'hono';
import { documentPage, html, raw } from '../layout.js';
import { englishFooter, renderEmail } from '../mail.js';
import { checkPassword } from '../policy.js';
import { completeReset, createSiteApp, field, readForm, sendResetLink, type Shell } from '../site-kit.js';
import type { Brand, SiteContext, SiteDefinition } from '../types.js';

/**
 * BrightCart — a Shopify-style shop behind a OneTrust-style cookie banner.
 * Until "Accept All Cookies" or "Reject All" is clicked, a full-screen filter
 * sits over every page and swallows clicks. The recover form is a hidden
 * section of the login page (`#recover`), field names are `customer[...]`,
 * and a successful reset signs the customer in.
 */
const brand: Brand = { name: 'BrightCart', initials: 'BC', color: '#ea580c', ink: '#1c1917', font: "'Helvetica Neue', Helvetica, Arial, sans-serif" };
const rules = { minLength: 5, maxLength: 40 };
const shopifyMessages = {
  minLength: (n: number) => `Password is too short (minimum is ${n} characters)`,
  maxLength: (n: number) => `Password is too long (maximum is ${n} characters)`,
};

const css = `
*{box-sizing:border-box}body{margin:0;font:15px/1.5 'Helvetica Neue',Helvetica,Arial,sans-serif;color:#1c1917;background:#fff}
.announcement-bar{background:#1c1917;color:#fff;text-align:center;font-size:13px;padding:8px}
.header{display:grid;grid-template-columns:200px 1fr auto;gap:24px;align-items:center;padding:16px 5vw;border-bottom:1px solid #eee}
.header__search input{width:100%;padding:10px 14px;border:1px solid #d6d3d1;border-radius:999px}
.header__icons a{color:#1c1917;text-decoration:none;margin-left:18px;font-size:14px}
.page-width{max-width:1100px;margin:0 auto;padding:40px 5vw}
.grid{display:grid;grid-template-columns:repeat(4,1fr);gap:20px}
.card-product{border:1px solid #eee;border-radius:8px;padding:14px}.card-product .swatch{height:140px;border-radius:6px;margin-bottom:10px}
.customer{max-width:420px;margin:0 auto}.customer h1{font-size:28px;font-weight:500;text-align:center}
.field{position:relative;margin-bottom:16px}.field input{width:100%;padding:22px 14px 8px;border:1px solid #a8a29e;border-radius:4px;font-size:15px}
.field label{position:absolute;left:15px;top:6px;font-size:11px;color:#78716c}
.button{display:block;width:100%;padding:14px;background:#ea580c;color:#fff;border:0;border-radius:4px;font-size:15px;cursor:pointer}
.customer a{color:#1c1917}.form__message{padding:12px;border-radius:4px;margin-bottom:16px;font-size:14px}
.form__message--error{background:#fef2f2;color:#991b1b}.form__message--success{background:#f0fdf4;color:#166534}
.form__message ul{margin:6px 0 0;padding-left:18px}
.footer{background:#fafaf9;border-top:1px solid #eee;padding:32px 5vw;font-size:13px;color:#78716c}.footer a{color:#78716c;margin-right:16px}
`;

const consentScript = `(function () {
  if (/(?:^|; )OptanonAlertBoxClosed=/.test(document.cookie)) return;
  var css = '#onetrust-consent-sdk{font-family:Arial,sans-serif}' +
    '.onetrust-pc-dark-filter{position:fixed;inset:0;background:rgba(0,0,0,.5);z-index:2147483645}' +
    '#onetrust-banner-sdk{position:fixed;left:0;right:0;bottom:0;z-index:2147483646;background:#fff;box-shadow:0 -4px 20px rgba(0,0,0,.2);padding:24px 5vw}' +
    '#onetrust-policy-title{font-size:18px;margin:0 0 8px}#onetrust-policy-text{font-size:14px;color:#444;margin:0 0 16px;max-width:800px}' +
    '#onetrust-button-group button{margin:0 10px 8px 0;padding:12px 20px;font-size:14px;font-weight:600;border-radius:2px;cursor:pointer}' +
    '#onetrust-accept-btn-handler,#onetrust-reject-all-handler{background:#1c1917;color:#fff;border:1px solid #1c1917}' +
    '#onetrust-pc-btn-handler{background:#fff;color:#1c1917;border:1px solid #1c1917}' +
    '#onetrust-pc-sdk{position:fixed;top:10vh;left:50%;transform:translateX(-50%);width:520px;max-width:94vw;background:#fff;z-index:2147483647;padding:24px;border-radius:6px}' +
    '#onetrust-pc-sdk label{display:flex;justify-content:space-between;padding:10px 0;border-bottom:1px solid #eee}';
  function setConsent(accepted) {
    var now = new Date().toISOString();
    var groups = 'C0001:1,C0002:' + (accepted ? 1 : 0) + ',C0003:' + (accepted ? 1 : 0) + ',C0004:' + (accepted ? 1 : 0);
    var expires = '; path=/; max-age=31536000; SameSite=Lax';
    document.cookie = 'OptanonConsent=isGpcEnabled=0&datestamp=' + encodeURIComponent(now) + '&version=202401.1.0&groups=' + encodeURIComponent(groups) + expires;
    document.cookie = 'OptanonAlertBoxClosed=' + now + expires;
    var sdk = document.getElementById('onetrust-consent-sdk');
    if (sdk) sdk.remove();
    document.body.style.overflow = '';
  }
  function show() {
    var style = document.createElement('style'); style.textContent = css; document.head.appendChild(style);
    var sdk = document.createElement('div'); sdk.id = 'onetrust-consent-sdk';
    sdk.innerHTML = '<div class="onetrust-pc-dark-filter ot-fade-in"></div>' +
      '<div id="onetrust-banner-sdk" class="otFlat" tabindex="0" role="region" aria-label="Cookie banner">' +
      '<div role="alertdialog" aria-describedby="onetrust-policy-text" aria-modal="true" aria-label="Privacy">' +
      '<div class="ot-sdk-container"><div class="ot-sdk-row"><div id="onetrust-group-container" class="ot-sdk-eight ot-sdk-columns">' +
      '<div class="banner_logo"></div><div id="onetrust-policy"><h2 id="onetrust-policy-title">We value your privacy</h2>' +
      '<div id="onetrust-policy-text">We and our 142 partners store and/or access information on a device, such as cookies, and process personal data to personalise ads and content, measure performance and improve our services. You can accept all, reject all, or choose which categories you allow. <a class="ot-cookie-policy-link" href="/privacy" aria-label="More information about your privacy, opens in a new tab" target="_blank">Cookie Policy</a></div></div></div>' +
      '<div id="onetrust-button-group-parent" class="ot-sdk-three ot-sdk-columns"><div id="onetrust-button-group">' +
      '<button id="onetrust-pc-btn-handler">Cookies Settings</button>' +
      '<button id="onetrust-reject-all-handler">Reject All</button>' +
      '<button id="onetrust-accept-btn-handler">Accept All Cookies</button>' +
      '</div></div></div></div></div></div>';
    document.body.appendChild(sdk);
    document.body.style.overflow = 'hidden';
    document.getElementById('onetrust-accept-btn-handler').addEventListener('click', function () { setConsent(true); });
    document.getElementById('onetrust-reject-all-handler').addEventListener('click', function () { setConsent(false); });
    document.getElementById('onetrust-pc-btn-handler').addEventListener('click', function () {
      var pc = document.createElement('div'); pc.id = 'onetrust-pc-sdk'; pc.setAttribute('role', 'dialog'); pc.setAttribute('aria-label', 'Privacy Preference Center');
      pc.innerHTML = '<h2>Privacy Preference Center</h2>' +
        '<label>Strictly Necessary Cookies <span>Always Active</span></label>' +
        '<label>Performance Cookies <input type="checkbox" id="ot-group-id-C0002"></label>' +
        '<label>Functional Cookies <input type="checkbox" id="ot-group-id-C0003"></label>' +
        '<label>Targeting Cookies <input type="checkbox" id="ot-group-id-C0004"></label>' +
        '<p><button class="save-preference-btn-handler onetrust-close-btn-handler">Confirm My Choices</button></p>';
      sdk.appendChild(pc);
      pc.querySelector('button').addEventListener('click', function () { setConsent(!!pc.querySelector('#ot-group-id-C0002').checked); });
    });
  }
  setTimeout(function () {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', show); else show();
  }, 250);
})();
`;

const recoverToggle = `(function () {
  var login = document.getElementById('login'), recover = document.getElementById('recover');
  function sync() { var r = location.hash === '#recover'; recover.style.display = r ? '' : 'none'; login.style.display = r ? 'none' : ''; }
  window.addEventListener('hashchange', sync);
  sync();
})();`;

const makeShell = (ctx: SiteContext): Shell => (c, title, body) => {
  const session = ctx.sessions.current(c);
  return documentPage({
    lang: 'en',
    title: `${title} – BrightCart`,
    css,
    head: html`<script src="/static/otSDKStub.js" data-domain-script="0190a1f2-bc01-7c1e-9bd3-brightcart" charset="UTF-8"></script>`,
    body: html`<div class="announcement-bar" role="region" aria-label="Announcement">Free shipping on orders over $50</div>
<header class="header">
  <a href="/" class="header__heading-link"><img src="/static/logo.svg" alt="BrightCart" width="160" height="40"></a>
  <div class="header__search"><input type="search" name="q" placeholder="Search products" aria-label="Search"></div>
  <div class="header__icons">${session ? html`<a href="/account">Account</a>` : html`<a href="/account/login" class="header__icon--account">Sign in</a>`}<a href="/">Cart (0)</a></div>
</header>
<main id="MainContent" class="page-width" role="main">${body}</main>
<footer class="footer"><a href="/privacy">Privacy policy</a><a href="/terms">Terms of service</a><a href="/help">Contact</a><p>© BrightCart. Powered by imagination.</p></footer>`,
  });
};

export const brightcart: SiteDefinition = {
  slug: 'brightcart',
  name: 'BrightCart',
  description: 'A Shopify-style shop behind a OneTrust-style cookie banner that blocks clicks until dismissed.',
  kind: 'cookie-consent',
  language: 'en',
  loginPath: '/account/login',
  resetPath: '/account/login#recover',
  passwordPolicy: { description: 'Between 5 and 40 characters.', rules: 'minlength: 5; maxlength: 40;' },
  otp: 'none',
  successText: 'Your password has been changed.',
  sessionCookie: '_secure_session_id',
  brand,
  build(ctx) {
    const shell = makeShell(ctx);
    const app = createSiteApp(ctx, { brand, shell });
    app.get('/static/otSDKStub.js', (c) => c.body(consentScript, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));

    app.get('/', (c) =>
      c.html(
        shell(
          c,
          'Home',
          html`<h1>New season, bright picks</h1><p>Everyday goods in happy colours.</p>
<div class="grid">${[
            ['Sunrise Mug', '$14', '#fdba74'],
            ['Canvas Tote', '$22', '#fcd34d'],
            ['Desk Lamp', '$48', '#a5b4fc'],
            ['Linen Throw', '$65', '#86efac'],
          ].map(([name, price, color]) => html`<div class="card-product"><div class="swatch" style="background:${color}"></div>${name}<br><strong>${price}</strong></div>`)}</div>`,
        ),
      ),
    );

    const loginPage = (c: Context, options: { errors?: string[]; email?: string; recoverSent?: boolean; recoverError?: string } = {}) =>
      shell(
        c,
        'Account',
        html`<div class="customer login">
<div id="recover" tabindex="-1" style="display:none">
  <h1>Reset your password</h1>
  ${options.recoverSent ? html`<div class="form__message form__message--success" role="status">We've sent you an email with a link to update your password.</div>` : ''}
  ${options.recoverError ? html`<div class="form__message form__message--error" role="alert">${options.recoverError}</div>` : ''}
  <p>We will send you an email to reset your password</p>
  <form method="post" action="/account/recover" accept-charset="UTF-8">
    <input type="hidden" name="form_type" value="recover_customer_password"><input type="hidden" name="utf8" value="✓">
    <div class="field"><input type="email" value="" name="email" id="RecoverEmail" autocorrect="off" autocapitalize="off" autocomplete="email" placeholder=" " required>
      <label for="RecoverEmail">Email</label></div>
    <button class="button">Submit</button>
  </form>
  <p style="text-align:center"><a href="#login">Cancel</a></p>
</div>
<div id="login">
  <h1 id="login-heading">Login</h1>
  ${options.errors?.length ? html`<div class="form__message form__message--error" role="alert">Please adjust the following:<ul>${options.errors.map((e) => html`<li>${e}</li>`)}</ul></div>` : ''}
  <form method="post" action="/account/login" id="customer_login" accept-charset="UTF-8" novalidate>
    <input type="hidden" name="form_type" value="customer_login"><input type="hidden" name="utf8" value="✓">
    <div class="field"><input type="email" name="customer[email]" id="CustomerEmail" autocomplete="email" autocorrect="off" autocapitalize="off" placeholder=" " value="${options.email ?? ''}">
      <label for="CustomerEmail">Email</label></div>
    <div class="field"><input type="password" value="" name="customer[password]" id="CustomerPassword" autocomplete="current-password" placeholder=" ">
      <label for="CustomerPassword">Password</label></div>
    <p><a href="#recover">Forgot your password?</a></p>
    <button class="button">Sign in</button>
  </form>
</div>
<script>${raw(recoverToggle)}</script>
</div>`,
      );

    app.get('/account/login', (c) => c.html(loginPage(c, { recoverSent: c.req.query('recover') === 'sent' })));
    app.post('/account/login', async (c) => {
      const body = await readForm(c);
      const user = ctx.users.authenticate(field(body, 'customer[email]'), field(body, 'customer[password]'));
      if (!user) return c.html(loginPage(c, { email: field(body, 'customer[email]'), errors: ['Incorrect email or password.'] }), 200);
      ctx.users.recordLogin(user.id);
      ctx.sessions.start(c, user);
      return c.redirect('/account', 302);
    });
    app.get('/account/logout', (c) => {
      ctx.sessions.end(c);
      return c.redirect('/', 302);
    });
    app.get('/account', (c) => {
      const session = ctx.sessions.current(c);
      if (!session) return c.redirect('/account/login', 302);
      return c.html(
        shell(
          c,
          'Account',
          html`<div class="customer account">
${c.req.query('reset') === '1' ? html`<div class="form__message form__message--success" role="status">Your password has been changed.</div>` : ''}
<h1>Account</h1><p>Signed in as ${session.email}</p><h2>Order history</h2><p>You haven't placed any orders yet.</p>
<p><a href="/account/logout">Log out</a></p></div>`,
        ),
      );
    });

    app.post('/account/recover', async (c) => {
      const email = field(await readForm(c), 'email').trim();
      if (!email) return c.html(loginPage(c, { recoverError: "Email can't be blank." }), 200);
      await sendResetLink(ctx, email, {
        url: (secret, user) => `${ctx.origin}/account/reset/${user.id}/${secret}`,
        mail: (_user, url) => ({
          subject: 'Customer account password reset',
          ...renderEmail({
            brand,
            origin: ctx.origin,
            language: 'en',
            preheader: 'Follow this link to reset your customer account password.',
            greeting: 'Reset your password',
            paragraphs: ['Follow this link to reset your customer account password at BrightCart. If you didn\'t request a new password, you can safely delete this email.'],
            action: { label: 'Reset your password', url },
            closing: ['', 'or Visit our store'],
            footer: englishFooter(brand),
          }),
        }),
      });
      return c.redirect('/account/login?recover=sent#recover', 302);
    });

    const resetPage = (c: Context, options: { userId: string; token: string; email: string; errors?: string[] }) =>
      shell(
        c,
        'Reset account',
        html`<div class="customer reset-password">
<h1>Reset account password</h1><p>Enter a new password for ${options.email}</p>
${options.errors?.length ? html`<div class="form__message form__message--error" role="alert">Please adjust the following:<ul>${options.errors.map((e) => html`<li>${e}</li>`)}</ul></div>` : ''}
<form method="post" action="/account/reset" accept-charset="UTF-8">
  <input type="hidden" name="form_type" value="reset_customer_password"><input type="hidden" name="utf8" value="✓">
  <input type="hidden" name="id" value="${options.userId}"><input type="hidden" name="token" value="${options.token}">
  <div class="field"><input type="password" name="customer[password]" id="password" autocomplete="new-password" placeholder=" "><label for="password">Password</label></div>
  <div class="field"><input type="password" name="customer[password_confirmation]" id="password_confirmation" autocomplete="new-password" placeholder=" "><label for="password_confirmation">Confirm password</label></div>
  <button class="button">Reset password</button>
</form></div>`,
      );
    const invalidLink = (c: Context) =>
      c.html(
        shell(
          c,
          'Reset account',
          html`<div class="customer"><h1>Reset account password</h1>
<div class="form__message form__message--error" role="alert">The link you followed has expired or is invalid. Please request a new one.</div>
<p><a href="/account/login#recover">Request a new link</a></p></div>`,
        ),
        200,
      );

    app.get('/account/reset/:id/:token', (c) => {
      const found = ctx.users.findBySecret('reset-link', c.req.param('token'));
      if (found.status !== 'valid' || !found.user || found.user.id !== c.req.param('id')) return invalidLink(c);
      return c.html(resetPage(c, { userId: found.user.id, token: c.req.param('token'), email: found.user.email }));
    });
    app.post('/account/reset', async (c) => {
      const body = await readForm(c);
      const found = ctx.users.findBySecret('reset-link', field(body, 'token'));
      if (found.status !== 'valid' || !found.user || !found.token || found.user.id !== field(body, 'id')) return invalidLink(c);
      const password = field(body, 'customer[password]');
      const errors = checkPassword(password, rules, shopifyMessages);
      if (password !== field(body, 'customer[password_confirmation]')) errors.push("Password confirmation doesn't match Password");
      if (errors.length) return c.html(resetPage(c, { userId: found.user.id, token: field(body, 'token'), email: found.user.email, errors }));
      completeReset(ctx, found.user, password, [found.token.id]);
      ctx.users.recordLogin(found.user.id);
      ctx.sessions.start(c, found.user);
      return c.redirect('/account?reset=1', 302);
    });

    return { app };
  },
};

