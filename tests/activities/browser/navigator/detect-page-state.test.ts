import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createNavigator } from '../../../../activities/browser/navigator/index.js';
import type { PageState } from '../../../../activities/browser/navigator/navigator.js';
import { launchBrowser, newContext } from './helpers.js';

// detectPageState on small inline pages: each state, several languages,
// hidden things not counting, frames and shadow roots, and messages that never
// carry what was typed. Plus the interactions that need no sandbox: consent
// overlays, a popup, split code boxes, password hints.

// The navigator's own bounds (5 s for an element, 10 s to settle, 4 s for a
// reaction): the pages below change 200 ms and 900 ms after load, and shorter
// bounds raced those changes on a loaded machine. The bounds are ceilings, not
// waits: a page that is ready answers at once.
const navigator = createNavigator();
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  browser = await launchBrowser();
  context = await newContext(browser);
}, 30_000);
afterAll(async () => browser?.close());

async function stateOf(html: string): Promise<PageState> {
  const page = await context.newPage();
  try {
    await page.setContent(html, { waitUntil: 'domcontentloaded' });
    return await navigator.detectPageState(page);
  } finally {
    await page.close();
  }
}

const doc = (body: string, lang = 'en') => `<!DOCTYPE html><html lang="${lang}"><head><title>Test</title></head><body>${body}</body></html>`;

describe.concurrent('detectPageState', { timeout: 30_000 }, () => {
  test.each<[string, string, PageState]>([
    // CAPTCHAs, first whatever else the page shows.
    ['reCAPTCHA widget', doc('<h1>Forgot password</h1><form><input type="email" name="email"><div class="g-recaptcha" data-sitekey="k" style="width:300px;height:78px"></div><button>Send</button></form>'), { kind: 'captcha', vendor: 'recaptcha' }],
    ['reCAPTCHA iframe', doc('<form><input type="email"><iframe title="reCAPTCHA" src="about:blank" width="300" height="78"></iframe></form>'), { kind: 'captcha', vendor: 'recaptcha' }],
    ['hCaptcha', doc('<form><input type="email"><div class="h-captcha" data-sitekey="k" style="height:78px"></div></form>'), { kind: 'captcha', vendor: 'hcaptcha' }],
    ['Turnstile', doc('<form><input type="email"><div class="cf-turnstile" data-sitekey="k" style="height:65px"></div></form>'), { kind: 'captcha', vendor: 'turnstile' }],
    ['image challenge', doc('<div><p>Select all images with traffic lights</p><button>Verify</button></div>'), { kind: 'captcha', vendor: 'image' }],
    ['checkbox text (de)', doc('<div><label><input type="checkbox"> Ich bin kein Roboter</label></div>', 'de'), { kind: 'captcha', vendor: 'unknown' }],
    // Code prompts, with where the code comes from.
    ['TOTP prompt', doc('<h1>Two-factor authentication</h1><form><label for="c">Authentication code</label><input id="c" autocomplete="one-time-code" inputmode="numeric" maxlength="6"><p>Open your authenticator app.</p><button>Verify</button></form>'), { kind: 'code_prompt', source: 'totp' }],
    ['SMS prompt', doc('<main><h1>Verify it’s you</h1><p>We texted a code to your phone ending in 42.</p><form><input name="otp" inputmode="numeric" maxlength="6"><button>Continue</button></form></main>'), { kind: 'code_prompt', source: 'sms' }],
    ['emailed code, split boxes', doc('<main><h1>Check your email</h1><p>Enter the code we emailed you.</p><form><div>' + '<input maxlength="1" inputmode="numeric">'.repeat(6) + '</div><button>Verify</button></form></main>'), { kind: 'code_prompt', source: 'email' }],
    ['code (de)', doc('<main><h1>Bestätigung</h1><p>Wir haben Ihnen eine E-Mail gesendet.</p><form><label>Bestätigungscode <input name="code"></label><button>Weiter</button></form></main>', 'de'), { kind: 'code_prompt', source: 'email' }],
    ['code (fr, SMS)', doc('<main><h1>Vérification</h1><p>Saisissez le code reçu par SMS.</p><form><label>Code de vérification <input name="verif" maxlength="6"></label><button>Valider</button></form></main>', 'fr'), { kind: 'code_prompt', source: 'sms' }],
    // New-password forms.
    ['new password (autocomplete)', doc('<form><input type="password" autocomplete="new-password"><input type="password" autocomplete="new-password"><button>Save</button></form>'), { kind: 'new_password_form' }],
    ['new password (de labels)', doc('<form><label>Neues Passwort <input type="password" name="pw1"></label><label>Passwort wiederholen <input type="password" name="pw2"></label><button>Speichern</button></form>', 'de'), { kind: 'new_password_form' }],
    ['new password (es labels)', doc('<form><label for="a">Nueva contraseña</label><input id="a" type="password"><label for="b">Confirmar contraseña</label><input id="b" type="password"></form>', 'es'), { kind: 'new_password_form' }],
    // Success messages.
    ['changed (en)', doc('<main><p>Your password has been changed.</p><a href="/login">Sign in</a></main>'), { kind: 'password_changed' }],
    ['changed (fr)', doc('<main><p>Votre mot de passe a été modifié.</p></main>', 'fr'), { kind: 'password_changed' }],
    ['changed (de)', doc('<main><p>Ihr Passwort wurde erfolgreich geändert.</p></main>', 'de'), { kind: 'password_changed' }],
    ['changed (es)', doc('<main><p>Tu contraseña ha sido cambiada.</p></main>', 'es'), { kind: 'password_changed' }],
    ['changed (it)', doc('<main><p>La password è stata modificata.</p></main>', 'it'), { kind: 'password_changed' }],
    ['changed (pt)', doc('<main><p>Sua senha foi alterada.</p></main>', 'pt'), { kind: 'password_changed' }],
    ['changed (nl)', doc('<main><p>Je wachtwoord is gewijzigd.</p></main>', 'nl'), { kind: 'password_changed' }],
    ['changed, on the sign-in page it leads to', doc('<div class="alert alert-success" role="alert">Your password has been changed. You can now sign in.</div><form><input type="email" autocomplete="email"><input type="password"><button>Sign in</button></form>'), { kind: 'password_changed' }],
    // "Check your inbox", even with the form still there.
    ['email sent (en)', doc('<h1>Reset password</h1><div role="status">If that address is registered, we have emailed you a reset link.</div><form><input type="email"><button>Send</button></form>'), { kind: 'email_sent' }],
    ['email sent (fr)', doc('<main><h1>Mot de passe oublié</h1><p>Consultez votre boîte de réception.</p></main>', 'fr'), { kind: 'email_sent' }],
    ['email sent (de)', doc('<main><p>Wir haben Ihnen eine E-Mail mit einem Link geschickt. Prüfen Sie Ihren Posteingang.</p></main>', 'de'), { kind: 'email_sent' }],
    ['email sent (es)', doc('<main><p>Te hemos enviado un correo con un enlace.</p></main>', 'es'), { kind: 'email_sent' }],
    // Reset email forms.
    ['email form (en)', doc('<main><h1>Forgot your password?</h1><form><label for="e">Email</label><input id="e" type="email"><button>Send reset link</button></form></main>'), { kind: 'email_form' }],
    ['email form (fr)', doc('<main><h1>Mot de passe oublié ?</h1><form><label>Adresse e-mail <input type="text" name="courriel"></label><button>Envoyer</button></form></main>', 'fr'), { kind: 'email_form' }],
    ['email form (de)', doc('<main><h1>Passwort vergessen</h1><form><label for="m">E-Mail-Adresse</label><input id="m" name="mail"><button>Zurücksetzen</button></form></main>', 'de'), { kind: 'email_form' }],
    ['email form (nl)', doc('<main><h1>Wachtwoord vergeten</h1><form><input type="email" placeholder="E-mailadres"><button>Versturen</button></form></main>', 'nl'), { kind: 'email_form' }],
    ['email form whose login form is hidden', doc('<div style="display:none"><h1>Login</h1><form><input type="email"><input type="password"></form></div><div><h1>Reset your password</h1><form><input type="email" autocomplete="email"><button>Submit</button></form></div>'), { kind: 'email_form' }],
    // Signed in.
    ['signed in (sign-out button)', doc('<header><a href="/">Home</a><button>Sign out</button></header><h1>Dashboard</h1>'), { kind: 'signed_in' }],
    ['signed in (fr text)', doc('<main><h1>Mon compte</h1><p>Connecté en tant que jean@example.com</p></main>', 'fr'), { kind: 'signed_in' }],
    ['signed in (de link)', doc('<nav><a href="/konto">Mein Konto</a><a href="/logout">Abmelden</a></nav>', 'de'), { kind: 'signed_in' }],
    // Sign-in forms.
    ['login form', doc('<h1>Sign in</h1><form><input type="email" autocomplete="username"><input type="password" autocomplete="current-password"><button>Sign in</button><a href="/forgot">Forgot password?</a></form>'), { kind: 'login_form' }],
    ['two-step login, username first', doc('<main><h1>Sign in to Bank</h1><form><label for="u">Email or customer ID</label><input id="u" autocomplete="username"><button>Continue</button></form></main>'), { kind: 'login_form' }],
    ['login form (fr)', doc('<main><h1>Connexion</h1><form><label>Adresse e-mail <input type="email"></label><label>Mot de passe <input type="password"></label><button>Se connecter</button></form></main>', 'fr'), { kind: 'login_form' }],
    // Errors, in the site's words.
    ['link expired (en)', doc('<main><h1>Reset password</h1><div role="alert">This password reset link has expired.</div><a href="/forgot">Request a new link</a></main>'), { kind: 'error', reason: 'link_expired', message: 'This password reset link has expired.' }],
    ['link used (fr)', doc('<main><div class="message erreur">Ce lien a déjà été utilisé.</div></main>', 'fr'), { kind: 'error', reason: 'link_expired', message: 'Ce lien a déjà été utilisé.' }],
    ['link expired (de), above the email form', doc('<main><p class="error">Der Link ist abgelaufen.</p><h1>Passwort vergessen</h1><form><input type="email"><button>Senden</button></form></main>', 'de'), { kind: 'error', reason: 'link_expired', message: 'Der Link ist abgelaufen.' }],
    ['account not found', doc('<main><div role="alert">We couldn\'t find an account with that email address.</div></main>'), { kind: 'error', reason: 'account_not_found', message: "We couldn't find an account with that email address." }],
    ['rate limited', doc('<main><div role="alert">Too many attempts. Please try again later.</div></main>'), { kind: 'error', reason: 'rate_limited', message: 'Too many attempts. Please try again later.' }],
    ['wrong code', doc('<main><div role="alert">That verification code is incorrect.</div></main>'), { kind: 'error', reason: 'wrong_code', message: 'That verification code is incorrect.' }],
    ['wrong password', doc('<main><div role="alert">Incorrect email or password.</div></main>'), { kind: 'error', reason: 'wrong_password', message: 'Incorrect email or password.' }],
    ['password policy', doc('<main><ul class="errors"><li>Password must contain at least one uppercase letter.</li></ul></main>'), { kind: 'error', reason: 'password_policy', message: 'Password must contain at least one uppercase letter.' }],
    // Hidden things do not count.
    ['hidden and off-screen fields', doc('<div hidden><input type="password" autocomplete="new-password"></div><input type="email" style="position:absolute;left:-9999px"><p style="opacity:0">Your password has been changed.</p><p>Nothing to see.</p>'), { kind: 'unknown' }],
    ['a newsletter box is not a reset form', doc('<main><h1>Spring sale</h1><p>Bright picks for every room.</p></main><footer><p>Subscribe to our newsletter</p><form><input type="email" placeholder="Your email"><button>Subscribe</button></form></footer>'), { kind: 'unknown' }],
    ['invisible reCAPTCHA badge', doc('<h1>Forgot password</h1><form><input type="email"><div class="g-recaptcha" data-sitekey="k" data-size="invisible"></div><button>Send</button></form>'), { kind: 'email_form' }],
  ])('%s', async (_name, html, expected) => {
    expect(await stateOf(html)).toEqual(expected);
  });

  test('a form in an open shadow root', async () => {
    const html = doc(`<reset-card></reset-card><script>
      customElements.define('reset-card', class extends HTMLElement {
        connectedCallback() {
          this.attachShadow({ mode: 'open' }).innerHTML = '<h2>Reset your password</h2><form><label for="e">Email</label><input id="e" type="email"><button>Send link</button></form>';
        }
      });</script>`);
    expect(await stateOf(html)).toEqual({ kind: 'email_form' });
  });

  test('a form inside an iframe', async () => {
    const inner = '<h2>New password</h2><form><input type="password" autocomplete="new-password"><button>Save</button></form>';
    const html = doc(`<h1>Account</h1><iframe width="500" height="300" srcdoc="${inner.replace(/"/g, '&quot;')}"></iframe>`);
    expect(await stateOf(html)).toEqual({ kind: 'new_password_form' });
  });

  test('an SPA that renders after a delay is waited for', async () => {
    const html = doc(`<div id="root"><div role="progressbar" style="width:30px;height:30px">…</div></div><script>
      setTimeout(() => { document.getElementById('root').innerHTML = '<h1>Forgot password?</h1><input type="email" placeholder="Email"><div role="button" tabindex="0">Send</div>'; }, 900);
    </script>`);
    expect(await stateOf(html)).toEqual({ kind: 'email_form' });
  });
});

describe.concurrent('interactions on inline pages', { timeout: 30_000 }, () => {
  /** A tiny site served by routing: `pages` maps paths to HTML. */
  async function site(pages: Record<string, string>): Promise<{ page: Page; context: BrowserContext; posts: string[] }> {
    const ctx = await newContext(browser);
    const posts: string[] = [];
    await ctx.route('http://shop.test/**', async (route) => {
      const url = new URL(route.request().url());
      if (route.request().method() === 'POST') posts.push(url.pathname);
      const body = pages[url.pathname];
      await route.fulfill(body === undefined ? { status: 404, body: 'not found' } : { status: 200, contentType: 'text/html', body });
    });
    return { page: await ctx.newPage(), context: ctx, posts };
  }

  test('a consent overlay is dismissed with "Reject all", the blocked click retried, and typed values never reported', async () => {
    const { page, context: ctx } = await site({
      '/forgot': doc(`<h1>Forgot your password?</h1>
        <form id="f"><label for="e">Email</label><input id="e" type="email"><button type="submit">Send reset link</button></form>
        <div id="out"></div>
        <div id="cookie-banner" role="dialog" aria-modal="true" style="position:fixed;inset:0;background:rgba(0,0,0,.5);z-index:9">
          <div style="background:#fff;padding:20px;margin:100px auto;width:400px"><p>We use cookies to improve your experience.</p>
          <button id="accept">Accept all</button> <button id="reject">Reject all</button></div></div>
        <script>
          for (const id of ['accept', 'reject']) document.getElementById(id).onclick = () => { window.consent = id; document.getElementById('cookie-banner').remove(); };
          document.getElementById('f').onsubmit = (e) => { e.preventDefault();
            const v = document.getElementById('e').value;
            setTimeout(() => { document.getElementById('out').innerHTML = '<p role="alert">No account found for ' + v + '.</p>'; }, 200); };
        </script>`),
    });
    try {
      expect(await navigator.openResetEntry(page, { serviceUrl: 'http://shop.test/', resetUrl: 'http://shop.test/forgot' })).toEqual({ kind: 'email_form' });
      expect(await page.evaluate(() => (window as unknown as { consent?: string }).consent)).toBe('reject');
      const state = await navigator.submitEmail(page, 'someone@example.org');
      expect(state).toEqual({ kind: 'error', reason: 'account_not_found', message: 'No account found for […].' });
    } finally {
      await ctx.close();
    }
  });

  test('a "Forgot password?" link that opens a new tab: the navigator continues there', async () => {
    const { page, context: ctx } = await site({
      '/': doc('<a href="/account/login">Log in</a>'),
      '/account/login': doc('<h1>Log in</h1><form><input type="email"><input type="password"><button>Log in</button></form><a href="/help/recover" target="_blank">Trouble signing in?</a>'),
      '/help/recover': doc('<h1>Recover your account</h1><form><input type="email" name="email"><button>Continue</button></form>'),
    });
    try {
      expect(await navigator.openResetEntry(page, { serviceUrl: 'http://shop.test/' })).toEqual({ kind: 'email_form' });
      expect(ctx.pages().map((p) => new URL(p.url()).pathname)).toEqual(['/account/login', '/help/recover']);
    } finally {
      await ctx.close();
    }
  });

  test('split code boxes get one digit each; password hints come from the field and its form only', async () => {
    const { page, context: ctx, posts } = await site({
      '/code': doc(`<main><h1>Enter the code</h1><p>We sent it to your email.</p>
        <form method="post" action="/password"><fieldset>${[1, 2, 3, 4, 5, 6].map((n) => `<input name="d${n}" maxlength="1" inputmode="numeric" aria-label="Digit ${n}">`).join('')}</fieldset><button>Verify</button></form></main>`),
      '/password': doc(`<article><h2>Our blog</h2><p>Passwords must be 64 characters, say some experts.</p></article>
        <main><h1>Choose a new password</h1><ul id="rules"><li>At least 10 characters</li><li>One symbol</li></ul>
        <form><label for="p">New password</label><input id="p" type="password" autocomplete="new-password" minlength="10" maxlength="40" pattern="[ -~]+" passwordrules="minlength: 10; required: special;" aria-describedby="rules">
        <div role="alert">Password is too weak.</div><button>Save</button></form></main>`),
    });
    try {
      await page.goto('http://shop.test/code');
      expect(await navigator.detectPageState(page)).toEqual({ kind: 'code_prompt', source: 'email' });
      const digits = page.waitForRequest((r) => r.method() === 'POST');
      await navigator.enterCode(page, '482913');
      expect((await digits).postData()).toBe('d1=4&d2=8&d3=2&d4=9&d5=1&d6=3');
      expect(posts).toEqual(['/password']);
      const hints = await navigator.readPasswordHints(page);
      expect(hints).toMatchObject({ minLength: 10, maxLength: 40, pattern: '[ -~]+', passwordRules: 'minlength: 10; required: special;', errorText: 'Password is too weak.' });
      expect(hints.policyText).toContain('At least 10 characters');
      expect(hints.policyText).toContain('One symbol');
      expect(hints.policyText).not.toContain('64 characters');
      expect(hints.policyText).not.toContain('too weak');
    } finally {
      await ctx.close();
    }
  });

  test('a refused new password: red text by the field is the error, ahead of the form it sits on', async () => {
    const form = (error: string) =>
      doc(`<main><h1>New password</h1><form method="post" action="/reset"><label for="p">New password</label><input id="p" name="p" type="password" autocomplete="new-password">
        ${error ? `<span style="color:rgb(200, 30, 30)">${error}</span>` : ''}<button>Save</button></form></main>`);
    const { page, context: ctx } = await site({ '/reset': form('') });
    await ctx.route('http://shop.test/reset', (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({ status: 422, contentType: 'text/html', body: form('Use at least one digit.') })
        : route.fallback(),
    );
    try {
      await page.goto('http://shop.test/reset');
      expect(await navigator.detectPageState(page)).toEqual({ kind: 'new_password_form' });
      expect(await navigator.submitNewPassword(page, 'onlyletters-and-dashes')).toEqual({ kind: 'error', reason: 'password_policy', message: 'Use at least one digit.' });
      expect(await navigator.detectPageState(page)).toEqual({ kind: 'new_password_form' });
    } finally {
      await ctx.close();
    }
  });
});
