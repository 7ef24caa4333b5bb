import type { Context } from 'hono';
import { documentPage, html, type Html } from '../layout.js';
import { englishFooter, renderEmail } from '../mail.js';
import { checkPassword } from '../policy.js';
import { createRecaptcha } from '../recaptcha.js';
import { completeReset, createSiteApp, field, readForm, sendResetLink, type Shell } from '../site-kit.js';
import type { Brand, SiteContext, SiteDefinition } from '../types.js';

/**
 * Ticketly — an event-ticket seller with a reCAPTCHA-style checkbox on the
 * forgot-password form. The widget (`.g-recaptcha`, an iframe titled
 * "reCAPTCHA", an image challenge) is served by the site itself; the server
 * sends nothing unless the form carries a valid, unused `g-recaptcha-response`.
 */
const brand: Brand = { name: 'Ticketly', initials: 'Tk', color: '#dc2626', ink: '#18181b', font: "'Poppins', 'Segoe UI', Arial, sans-serif" };
const SITE_KEY = '6LdTk3QpAAAAAKx-sandbox-ticketly-0000000';
const rules = { minLength: 8 };

const css = `
*{box-sizing:border-box}body{margin:0;font:15px/1.5 Poppins,'Segoe UI',Arial,sans-serif;color:#18181b;background:#fafafa}
.tk-header{background:#18181b;display:flex;justify-content:space-between;align-items:center;padding:14px 32px}
.tk-header img{background:#fff;border-radius:6px;padding:2px 4px}.tk-header a{color:#fff;text-decoration:none;font-weight:600;margin-left:20px}
.tk-hero{background:linear-gradient(120deg,#dc2626,#7c2d12);color:#fff;padding:56px 32px}.tk-hero h1{font-size:44px;margin:0}
.tk-events{display:grid;grid-template-columns:repeat(3,1fr);gap:18px;padding:32px}.tk-events div{background:#fff;border-radius:10px;padding:18px;border:1px solid #e4e4e7}
.tk-auth{max-width:440px;margin:40px auto;background:#fff;border-radius:12px;border:1px solid #e4e4e7;padding:30px}
.tk-auth h1{font-size:22px;margin-top:0}
.tk-input{margin:14px 0}.tk-input label{display:block;font-size:13px;font-weight:600;margin-bottom:4px}
.tk-input input{width:100%;padding:11px 12px;border:1px solid #a1a1aa;border-radius:8px;font-size:15px}
.tk-submit{width:100%;margin-top:16px;padding:12px;border:0;border-radius:8px;background:#dc2626;color:#fff;font-weight:700;font-size:15px;cursor:pointer}
.tk-error{background:#fef2f2;color:#991b1b;border-radius:8px;padding:10px 12px;margin:10px 0}.tk-success{background:#f0fdf4;color:#166534;border-radius:8px;padding:10px 12px;margin:10px 0}
.tk-foot{text-align:center;font-size:12px;color:#71717a;padding:30px}.tk-foot a{color:#71717a;margin:0 8px}
`;

const makeShell =
  (ctx: SiteContext): Shell =>
  (c, title, body) =>
    documentPage({
      lang: 'en',
      title: `${title} | Ticketly`,
      css,
      body: html`<header class="tk-header"><a href="/"><img src="/static/logo.svg" alt="Ticketly" height="32"></a>
<nav><a href="/">Concerts</a><a href="/">Sports</a>${ctx.sessions.current(c) ? html`<a href="/my-tickets">My tickets</a>` : html`<a href="/signin">Sign in</a>`}</nav></header>
${body}<footer class="tk-foot"><a href="/help">Help</a><a href="/privacy">Privacy</a><a href="/terms">Terms of use</a></footer>`,
    });

export const ticketly: SiteDefinition = {
  slug: 'ticketly',
  name: 'Ticketly',
  description: 'An event-ticket seller with a reCAPTCHA-style checkbox on its forgot-password form.',
  kind: 'captcha',
  language: 'en',
  loginPath: '/signin',
  resetPath: '/signin/forgot',
  passwordPolicy: { description: 'At least 8 characters.', rules: 'minlength: 8;' },
  captcha: true,
  otp: 'none',
  successText: 'Your password has been changed.',
  sessionCookie: 'tkt_session',
  brand,
  build(ctx) {
    const shell = makeShell(ctx);
    const app = createSiteApp(ctx, { brand, shell });
    const recaptcha = createRecaptcha(ctx.clock, SITE_KEY);
    recaptcha.mount(app);
    const note = (text: string, ok = false): Html => html`<div class="${ok ? 'tk-success' : 'tk-error'}" role="${ok ? 'status' : 'alert'}">${text}</div>`;

    app.get('/', (c) =>
      c.html(
        shell(
          c,
          'Live events',
          html`<section class="tk-hero"><h1>Live. Loud. Yours.</h1><p>Tickets for 20,000 events this month.</p></section>
<section class="tk-events"><div><strong>The Midnight Owls</strong><br>Fri · Arena Hall</div><div><strong>City FC vs Rovers</strong><br>Sat · Riverside</div><div><strong>Jazz on the Pier</strong><br>Sun · Pier 9</div></section>`,
        ),
      ),
    );

    const signinPage = (c: Context, error?: string) =>
      shell(
        c,
        'Sign in',
        html`<main class="tk-auth"><h1>Sign in to Ticketly</h1>${error ? note(error) : ''}
<form method="post" action="/signin">
  <div class="tk-input"><label for="email">Email</label><input id="email" name="email" type="email" autocomplete="email"></div>
  <div class="tk-input"><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password"></div>
  <button class="tk-submit" type="submit">Sign in</button>
</form><p><a href="/signin/forgot">Forgot your password?</a></p></main>`,
      );
    app.get('/signin', (c) => c.html(signinPage(c)));
    app.post('/signin', async (c) => {
      const body = await readForm(c);
      const user = ctx.users.authenticate(field(body, 'email'), field(body, 'password'));
      if (!user) return c.html(signinPage(c, 'Your email or password was incorrect.'), 401);
      ctx.users.recordLogin(user.id);
      ctx.sessions.start(c, user);
      return c.redirect('/my-tickets', 302);
    });
    app.post('/signout', (c) => {
      ctx.sessions.end(c);
      return c.redirect('/', 302);
    });
    app.get('/my-tickets', (c) => {
      const session = ctx.sessions.current(c);
      if (!session) return c.redirect('/signin', 302);
      return c.html(shell(c, 'My tickets', html`<main class="tk-auth"><h1>My tickets</h1><p>Signed in as ${session.email}</p><p>No upcoming events.</p><form method="post" action="/signout"><button class="tk-submit">Sign out</button></form></main>`));
    });

    const forgotPage = (c: Context, message?: Html) =>
      shell(
        c,
        'Forgot password',
        html`<main class="tk-auth"><h1>Forgot your password?</h1><p>Enter your email and we'll send you a link to reset it.</p>${message ?? ''}
<form method="post" action="/signin/forgot" id="forgot-form">
  <div class="tk-input"><label for="forgot-email">Email</label><input id="forgot-email" name="email" type="email" autocomplete="email"></div>
  <div class="g-recaptcha" data-sitekey="${SITE_KEY}" data-callback="onCaptchaSolved"></div>
  <button class="tk-submit" type="submit">Send reset link</button>
</form></main>
<script>function onCaptchaSolved() { document.querySelector('.tk-submit').focus(); }</script>
<script src="/recaptcha/api.js" async defer></script>`,
      );
    app.get('/signin/forgot', (c) => c.html(forgotPage(c)));
    app.post('/signin/forgot', async (c) => {
      const body = await readForm(c);
      const email = field(body, 'email').trim();
      if (!recaptcha.verify(field(body, 'g-recaptcha-response'))) {
        return c.html(forgotPage(c, note("Please confirm you're not a robot.")), 400);
      }
      if (!email.includes('@')) return c.html(forgotPage(c, note('Enter a valid email address.')), 422);
      await sendResetLink(ctx, email, {
        url: (secret) => `${ctx.origin}/signin/reset?token=${secret}`,
        mail: (_user, url) => ({
          subject: 'Reset your Ticketly password',
          ...renderEmail({
            brand,
            origin: ctx.origin,
            language: 'en',
            preheader: "Let's get you back to the show.",
            greeting: 'Hi,',
            paragraphs: ["Let's get you back to the show. Use the button below to reset your Ticketly password."],
            action: { label: 'Reset password', url },
            closing: ['The link expires in 30 minutes.', '', 'Ticketly Fan Support'],
            footer: englishFooter(brand),
          }),
        }),
      });
      return c.html(forgotPage(c, note("If there's an account for that email, we've sent a reset link.", true)));
    });

    const resetPage = (c: Context, token: string, errors: string[] = []) =>
      shell(
        c,
        'Reset password',
        html`<main class="tk-auth"><h1>Reset your password</h1>${errors.length ? note(errors.join(' ')) : ''}
<form method="post" action="/signin/reset"><input type="hidden" name="token" value="${token}">
  <div class="tk-input"><label for="new-password">New password</label><input id="new-password" name="password" type="password" autocomplete="new-password"></div>
  <div class="tk-input"><label for="confirm-password">Confirm new password</label><input id="confirm-password" name="password_confirm" type="password" autocomplete="new-password"></div>
  <button class="tk-submit" type="submit">Reset password</button>
</form></main>`,
      );
    const invalid = (c: Context) =>
      c.html(shell(c, 'Reset password', html`<main class="tk-auth"><h1>Link expired</h1>${note('This password reset link is invalid or has expired.')}<p><a href="/signin/forgot">Get a new link</a></p></main>`), 410);
    app.get('/signin/reset', (c) => {
      const token = c.req.query('token') ?? '';
      return ctx.users.findBySecret('reset-link', token).status === 'valid' ? c.html(resetPage(c, token)) : invalid(c);
    });
    app.post('/signin/reset', async (c) => {
      const body = await readForm(c);
      const token = field(body, 'token');
      const found = ctx.users.findBySecret('reset-link', token);
      if (found.status !== 'valid' || !found.user || !found.token) return invalid(c);
      const password = field(body, 'password');
      const errors = checkPassword(password, rules);
      if (password !== field(body, 'password_confirm')) errors.push('Passwords must match.');
      if (errors.length) return c.html(resetPage(c, token, errors), 422);
      completeReset(ctx, found.user, password, [found.token.id]);
      return c.html(shell(c, 'Password changed', html`<main class="tk-auth"><h1>Password changed</h1>${note('Your password has been changed.', true)}<p><a href="/signin">Sign in</a></p></main>`));
    });

    return { app, captchaSolution: () => recaptcha.latestSolution() };
  },
};
