import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { documentPage, html, maskEmail, type Html } from '../layout.js';
import { englishFooter, renderEmail } from '../mail.js';
import { checkPassword, type PolicyRules } from '../policy.js';
import { completeReset, createSiteApp, field, FlowStore, readForm, type Shell } from '../site-kit.js';
import type { Brand, SiteContext, SiteDefinition } from '../types.js';

/**
 * Ledgerly — a business bank. Sign-in is two steps (email, then password);
 * the forgot link only appears on the password step. Recovery is three
 * steps: email → "check your email" (with resend) → link → new password and
 * confirmation under a strict policy stated in text. The input's
 * `passwordrules` attribute carries only part of it; the server enforces all of it.
 */
const brand: Brand = { name: 'Ledgerly', initials: 'L', color: '#1e3a8a', ink: '#0f172a', font: "'Source Sans Pro', 'Segoe UI', Arial, sans-serif" };
const RECOVERY_COOKIE = 'lg_recovery';
const SYMBOLS = '!@#$%';
const rules: PolicyRules = { minLength: 12, maxLength: 64, upper: true, digit: true, symbolFrom: SYMBOLS, onlySymbols: SYMBOLS, maxConsecutive: 2 };
const POLICY_ITEMS = [
  'be 12 to 64 characters long',
  'include at least one uppercase letter (A–Z)',
  'include at least one digit (0–9)',
  'include at least one of these symbols: ! @ # $ %',
  'use only letters, digits and the symbols above — no spaces or other symbols',
  'not repeat the same character more than twice in a row (for example "aaa" or "111")',
  'be different from your current password',
];
/** Deliberately partial, as on many real sites: no symbols, no repeat rule. */
const PARTIAL_PASSWORDRULES = 'minlength: 12; required: upper; required: digit;';

const css = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 'Source Sans Pro','Segoe UI',Arial,sans-serif;color:#0f172a;background:#f1f5f9}
.topbar{background:#0f172a;color:#cbd5e1;font-size:13px;padding:6px 32px;display:flex;gap:18px}
.topbar a{color:#cbd5e1;text-decoration:none}
.masthead{background:#1e3a8a;padding:18px 32px;display:flex;justify-content:space-between;align-items:center}
.masthead img{filter:brightness(0) invert(1)}.masthead a.signin{color:#fff;border:1px solid #93c5fd;padding:8px 18px;border-radius:2px;text-decoration:none}
.panel{max-width:520px;margin:48px auto;background:#fff;border-top:4px solid #1e3a8a;box-shadow:0 1px 3px rgba(0,0,0,.12);padding:32px 40px}
.panel h1{font-weight:600;font-size:26px;margin:0 0 6px}.steps{font-size:13px;color:#64748b;text-transform:uppercase;letter-spacing:.08em;margin-bottom:18px}
.lg-field{margin:18px 0}.lg-field label{display:block;font-weight:600;margin-bottom:6px;font-size:14px}
.lg-field input{width:100%;padding:11px 12px;border:1px solid #94a3b8;border-radius:2px;font-size:16px}
.lg-field .chip{display:flex;justify-content:space-between;background:#f1f5f9;padding:10px 12px;border-radius:2px}
.lg-btn{background:#1e3a8a;color:#fff;border:0;padding:12px 26px;font-size:16px;border-radius:2px;cursor:pointer}
.lg-btn--secondary{background:#fff;color:#1e3a8a;border:1px solid #1e3a8a}
.notice{padding:12px 16px;margin:16px 0;border-left:4px solid}.notice p{margin:0}.notice ul{margin:6px 0 0;padding-left:20px}
.notice--error{background:#fef2f2;border-color:#dc2626;color:#7f1d1d}.notice--info{background:#eff6ff;border-color:#2563eb}
.notice--success{background:#f0fdf4;border-color:#16a34a;color:#14532d}
.policy{background:#f8fafc;border:1px solid #e2e8f0;padding:14px 18px;font-size:14px}.policy ul{margin:6px 0 0;padding-left:20px}
.legal{max-width:520px;margin:0 auto 40px;font-size:12px;color:#64748b}.legal a{color:#64748b}
.hero{max-width:980px;margin:60px auto;padding:0 32px}.hero h1{font-size:44px;font-weight:300;margin:0}
`;

const makeShell =
  (ctx: SiteContext): Shell =>
  (c, title, body) => {
    const session = ctx.sessions.current(c);
    return documentPage({
      lang: 'en-US',
      title: `${title} | Ledgerly`,
      css,
      body: html`<div class="topbar"><a href="/">Business</a><a href="/">Personal</a><a href="/help">Support</a></div>
<div class="masthead"><a href="/"><img src="/static/logo.svg" alt="Ledgerly" height="36"></a>
${session ? html`<a class="signin" href="/dashboard">Dashboard</a>` : html`<a class="signin" href="/signin">Sign in</a>`}</div>
${body}
<div class="legal"><p>Ledgerly is a sandbox bank. Deposits are imaginary. <a href="/privacy">Privacy</a> · <a href="/terms">Terms</a> · <a href="/help">Security centre</a></p></div>`,
    });
  };

export const ledgerly: SiteDefinition = {
  slug: 'ledgerly',
  name: 'Ledgerly',
  description: 'A bank with two-step sign-in, a three-step recovery and a strict password policy stated in text.',
  kind: 'multi-step-policy',
  language: 'en-US',
  loginPath: '/signin',
  resetPath: '/signin/recover',
  changePasswordPath: '/signin/recover',
  passwordPolicy: {
    description: `Your password must ${POLICY_ITEMS.join('; ')}.`,
    rules: 'minlength: 12; maxlength: 64; required: upper; required: digit; required: [!@#$%]; allowed: lower; max-consecutive: 2;',
  },
  otp: 'none',
  successText: 'Your password has been changed.',
  sessionCookie: 'LGSESSIONID',
  brand,
  build(ctx) {
    const shell = makeShell(ctx);
    const app = createSiteApp(ctx, { brand, shell, changePasswordPath: '/signin/recover' });
    const recoveries = new FlowStore<{ email: string }>(ctx.clock);

    app.get('/', (c) =>
      c.html(
        shell(
          c,
          'Business banking',
          html`<section class="hero"><h1>Business banking that balances itself.</h1>
<p>Invoices, payroll and reconciliation in one calm place.</p><p><a class="lg-btn" href="/signin">Sign in</a></p></section>`,
        ),
      ),
    );

    const identifyPage = (c: Context, error?: string) =>
      shell(
        c,
        'Sign in',
        html`<main class="panel"><h1>Sign in to Ledgerly</h1>
${error ? html`<div class="notice notice--error" role="alert"><p>${error}</p></div>` : ''}
<form method="post" action="/signin" autocomplete="on">
  <input type="hidden" name="step" value="identify">
  <div class="lg-field"><label for="username">Email or customer ID</label><input id="username" name="username" type="text" inputmode="email" autocomplete="username" required></div>
  <button class="lg-btn" type="submit">Continue</button>
</form></main>`,
      );
    const passwordPage = (c: Context, username: string, error?: string) =>
      shell(
        c,
        'Sign in',
        html`<main class="panel"><h1>Enter your password</h1>
${error ? html`<div class="notice notice--error" role="alert"><p>${error}</p></div>` : ''}
<form method="post" action="/signin">
  <input type="hidden" name="step" value="authenticate"><input type="hidden" name="username" value="${username}" autocomplete="username">
  <div class="lg-field"><div class="chip"><span>${username}</span><a href="/signin">Change</a></div></div>
  <div class="lg-field"><label for="current-password">Password</label><input id="current-password" name="password" type="password" autocomplete="current-password" required></div>
  <p><a href="/signin/recover?username=${encodeURIComponent(username)}">Forgot password?</a></p>
  <button class="lg-btn" type="submit">Sign in</button>
</form></main>`,
      );

    app.get('/signin', (c) => c.html(identifyPage(c)));
    app.post('/signin', async (c) => {
      const body = await readForm(c);
      const username = field(body, 'username').trim();
      if (!username) return c.html(identifyPage(c, 'Enter your email or customer ID.'), 422);
      if (field(body, 'step') !== 'authenticate') return c.html(passwordPage(c, username));
      const user = ctx.users.authenticate(username, field(body, 'password'));
      if (!user) return c.html(passwordPage(c, username, 'The email or password you entered is incorrect.'), 401);
      ctx.users.recordLogin(user.id);
      ctx.sessions.start(c, user);
      return c.redirect('/dashboard', 303);
    });
    app.post('/signout', (c) => {
      ctx.sessions.end(c);
      return c.redirect('/', 303);
    });
    app.get('/dashboard', (c) => {
      const session = ctx.sessions.current(c);
      if (!session) return c.redirect('/signin', 302);
      return c.html(
        shell(
          c,
          'Dashboard',
          html`<main class="panel"><h1>Good day</h1><p>Signed in as ${session.email}</p>
<p>Operating account ····4021 — <strong>$18,240.55</strong></p>
<form method="post" action="/signout"><button class="lg-btn lg-btn--secondary">Sign out</button></form></main>`,
        ),
      );
    });

    // Recovery, step 1: the email.
    const recoverPage = (c: Context, options: { email?: string; error?: string } = {}) =>
      shell(
        c,
        'Reset your password',
        html`<main class="panel"><div class="steps">Step 1 of 3</div><h1>Reset your password</h1>
<p>Enter the email address on your Ledgerly profile. We'll email you a secure link.</p>
${options.error ? html`<div class="notice notice--error" role="alert"><p>${options.error}</p></div>` : ''}
<form method="post" action="/signin/recover">
  <div class="lg-field"><label for="emailAddress">Email address</label><input id="emailAddress" name="emailAddress" type="email" autocomplete="email" value="${options.email ?? ''}" required></div>
  <button class="lg-btn" type="submit">Send reset link</button> <a href="/signin">Cancel</a>
</form></main>`,
      );
    const sendLink = async (email: string) => {
      const user = ctx.users.findByEmail(email);
      if (!user) return;
      const { secret } = ctx.users.issueToken({ userId: user.id, purpose: 'reset-link', ttlMs: ctx.tokenTtlMs });
      const url = `${ctx.origin}/signin/recover/verify?token=${secret}&uid=${user.id}`;
      await ctx.sendMail({
        to: user.email,
        subject: 'Reset your Ledgerly password',
        ...renderEmail({
          brand,
          origin: ctx.origin,
          language: 'en',
          preheader: 'Use this secure link within 30 minutes.',
          greeting: 'Hello,',
          paragraphs: [
            'We received a request to reset the password for your Ledgerly online banking profile.',
            'Use the button below within 30 minutes. For your security the link works once, and any earlier reset link no longer works.',
          ],
          action: { label: 'Reset password', url },
          closing: ['If you did not ask to reset your password, call us on the number on the back of your card. Ledgerly will never ask for your password by email or phone.', '', 'Ledgerly Security'],
          footer: englishFooter(brand),
        }),
      });
    };

    app.get('/signin/recover', (c) => c.html(recoverPage(c, { email: c.req.query('username') ?? '' })));
    app.post('/signin/recover', async (c) => {
      const email = field(await readForm(c), 'emailAddress').trim();
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return c.html(recoverPage(c, { email, error: 'Enter a valid email address, like name@example.com.' }), 422);
      await sendLink(email);
      setCookie(c, RECOVERY_COOKIE, recoveries.create({ email }, ctx.tokenTtlMs), { path: '/signin/recover', httpOnly: true, sameSite: 'Lax' });
      return c.redirect('/signin/recover/check-email', 303);
    });

    // Step 2: "check your email", with a resend that voids the earlier link.
    const checkEmailPage = (c: Context, email: string, resent: boolean) =>
      shell(
        c,
        'Check your email',
        html`<main class="panel"><div class="steps">Step 2 of 3</div><h1>Check your email</h1>
${resent ? html`<div class="notice notice--success" role="status"><p>We've sent a new link. Earlier links no longer work.</p></div>` : ''}
<p>If ${maskEmail(email)} matches a Ledgerly profile, we've sent it a link to reset your password. The link expires in 30 minutes.</p>
<div class="notice notice--info"><p>Keep this window open. Open the link on this device.</p></div>
<form method="post" action="/signin/recover/resend"><button class="lg-btn lg-btn--secondary" type="submit">Resend email</button></form></main>`,
      );
    app.get('/signin/recover/check-email', (c) => {
      const flow = recoveries.get(getCookie(c, RECOVERY_COOKIE));
      if (!flow) return c.redirect('/signin/recover', 302);
      return c.html(checkEmailPage(c, flow.email, c.req.query('resent') === '1'));
    });
    app.post('/signin/recover/resend', async (c) => {
      const flow = recoveries.get(getCookie(c, RECOVERY_COOKIE));
      if (!flow) return c.redirect('/signin/recover', 303);
      await sendLink(flow.email);
      return c.redirect('/signin/recover/check-email?resent=1', 303);
    });

    // Step 3: the link's page, new password + confirmation.
    const newPasswordPage = (c: Context, options: { token: string; uid: string; errors?: string[] }): Html =>
      shell(
        c,
        'Create a new password',
        html`<main class="panel"><div class="steps">Step 3 of 3</div><h1>Create a new password</h1>
${options.errors?.length ? html`<div class="notice notice--error" role="alert"><p>We couldn't change your password:</p><ul>${options.errors.map((e) => html`<li>${e}</li>`)}</ul></div>` : ''}
<div class="policy" id="password-policy"><strong>Your password must:</strong><ul>${POLICY_ITEMS.map((item) => html`<li>${item}</li>`)}</ul></div>
<form method="post" action="/signin/recover/verify">
  <input type="hidden" name="token" value="${options.token}"><input type="hidden" name="uid" value="${options.uid}">
  <div class="lg-field"><label for="newPassword">New password</label>
    <input id="newPassword" name="newPassword" type="password" autocomplete="new-password" minlength="12" passwordrules="${PARTIAL_PASSWORDRULES}" aria-describedby="password-policy" required></div>
  <div class="lg-field"><label for="confirmPassword">Confirm new password</label>
    <input id="confirmPassword" name="confirmPassword" type="password" autocomplete="new-password" required></div>
  <button class="lg-btn" type="submit">Change password</button>
</form></main>`,
      );
    const linkProblem = (c: Context, status: string) =>
      c.html(
        shell(
          c,
          'Link expired',
          html`<main class="panel"><h1>${status === 'used' ? 'This link has already been used' : 'This link has expired'}</h1>
<div class="notice notice--error" role="alert"><p>${
            status === 'used'
              ? 'Reset links work once. If you still need to reset your password, start again.'
              : 'Reset links expire after 30 minutes, and only the most recent link works. Start again to get a new one.'
          }</p></div>
<p><a class="lg-btn" href="/signin/recover">Start again</a></p></main>`,
        ),
        410,
      );

    app.get('/signin/recover/verify', (c) => {
      const token = c.req.query('token') ?? '';
      const found = ctx.users.findBySecret('reset-link', token);
      if (found.status !== 'valid' || !found.user || found.user.id !== c.req.query('uid')) return linkProblem(c, found.status);
      return c.html(newPasswordPage(c, { token, uid: found.user.id }));
    });
    app.post('/signin/recover/verify', async (c) => {
      const body = await readForm(c);
      const token = field(body, 'token');
      const found = ctx.users.findBySecret('reset-link', token);
      if (found.status !== 'valid' || !found.user || !found.token || found.user.id !== field(body, 'uid')) return linkProblem(c, found.status);
      const password = field(body, 'newPassword');
      const errors = checkPassword(password, rules);
      if (password !== field(body, 'confirmPassword')) errors.push('The passwords you entered do not match.');
      if (!errors.length && ctx.users.passwordIs(found.user.id, password)) errors.push('Your new password must be different from your current password.');
      if (errors.length) return c.html(newPasswordPage(c, { token, uid: found.user.id, errors }), 422);
      completeReset(ctx, found.user, password, [found.token.id]);
      return c.redirect('/signin/recover/done', 303);
    });
    app.get('/signin/recover/done', (c) =>
      c.html(
        shell(
          c,
          'Password changed',
          html`<main class="panel"><h1>Password changed</h1>
<div class="notice notice--success" role="status"><p>Your password has been changed. For your security, we've signed you out on all devices.</p></div>
<p><a class="lg-btn" href="/signin">Sign in</a></p></main>`,
        ),
      ),
    );

    return { app };
  },
};
