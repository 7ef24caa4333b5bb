import type { Context } from 'hono';
import { documentPage, html, maskPhone, type Html } from '../layout.js';
import { englishFooter, renderEmail } from '../mail.js';
import { checkPassword } from '../policy.js';
import { completeReset, createSiteApp, field, readForm, sendResetLink, type Shell } from '../site-kit.js';
import type { Brand, SiteContext, SiteDefinition } from '../types.js';
import { randomCode, type TokenLookup } from '../user-store.js';

/**
 * Telewave Mobile — a phone carrier. After the emailed link is opened, the
 * site texts a 6-digit code to the account's phone (never emailed; read it
 * with `lastSmsCode` or the control API), then asks for a new password.
 * Opening the link sends the text; "Send a new code" voids the previous one.
 */
const brand: Brand = { name: 'Telewave', initials: 'T', color: '#0d9488', ink: '#134e4a', font: "'Trebuchet MS', Arial, sans-serif" };
const RESEND_AFTER_MS = 30_000;
const rules = { minLength: 8, maxLength: 20, upper: true, lower: true, digit: true };

const css = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 'Trebuchet MS',Arial,sans-serif;background:#f0fdfa;color:#134e4a}
.tw-nav{background:linear-gradient(90deg,#0d9488,#db2777);display:flex;justify-content:space-between;align-items:center;padding:14px 30px}
.tw-nav img{background:#fff;border-radius:8px;padding:2px 6px}.tw-nav a.tw-signin{color:#fff;font-weight:bold;text-decoration:none;border:2px solid #fff;border-radius:30px;padding:6px 18px}
.tw-sheet{max-width:480px;margin:36px auto;background:#fff;border-radius:20px;padding:32px;box-shadow:0 10px 30px rgba(13,148,136,.15)}
.tw-sheet h1{color:#db2777;margin-top:0}
.tw-row{margin:14px 0}.tw-row label{display:block;font-weight:bold;margin-bottom:4px}
.tw-row input{width:100%;padding:12px 16px;border:2px solid #99f6e4;border-radius:30px;font-size:16px}
.tw-cta{background:#db2777;color:#fff;border:0;border-radius:30px;padding:12px 30px;font-size:16px;font-weight:bold;cursor:pointer}
.tw-sub{background:none;border:0;color:#0d9488;text-decoration:underline;cursor:pointer;font:inherit}
.tw-note{border-radius:12px;padding:12px 16px;margin:12px 0}.tw-note.bad{background:#fdf2f8;color:#9d174d}.tw-note.good{background:#ccfbf1;color:#115e59}
.plans{display:flex;gap:16px;justify-content:center;margin:40px}.plans div{background:#fff;border-radius:16px;padding:24px;width:200px;text-align:center}
.tw-foot{text-align:center;font-size:13px;padding:30px}.tw-foot a{color:#0f766e;margin:0 10px}
`;

const makeShell =
  (ctx: SiteContext): Shell =>
  (c, title, body) =>
    documentPage({
      lang: 'en-GB',
      title: `${title} | Telewave Mobile`,
      css,
      body: html`<nav class="tw-nav"><a href="/"><img src="/static/logo.svg" alt="Telewave" height="34"></a>
${ctx.sessions.current(c) ? html`<a class="tw-signin" href="/my/account">My Telewave</a>` : html`<a class="tw-signin" href="/my/login">Sign in</a>`}</nav>
${body}
<footer class="tw-foot"><a href="/help">Help &amp; support</a><a href="/privacy">Privacy &amp; cookies</a><a href="/terms">Terms</a></footer>`,
    });

export const telewave: SiteDefinition = {
  slug: 'telewave',
  name: 'Telewave Mobile',
  description: 'A mobile carrier that texts a 6-digit code to the account phone after the reset link is opened.',
  kind: 'sms-otp',
  language: 'en-GB',
  loginPath: '/my/login',
  resetPath: '/my/forgotten-password',
  passwordPolicy: {
    description: '8 to 20 characters, with at least one capital letter, one lowercase letter and one number.',
    rules: 'minlength: 8; maxlength: 20; required: upper; required: lower; required: digit; allowed: special;',
  },
  otp: 'manual',
  successText: 'Your password has been changed.',
  sessionCookie: 'TW_SESSION',
  brand,
  build(ctx) {
    const shell = makeShell(ctx);
    const app = createSiteApp(ctx, { brand, shell });
    const sheet = (c: Context, title: string, body: Html, status: 200 | 401 | 410 | 422 = 200) => c.html(shell(c, title, html`<main class="tw-sheet"><h1>${title}</h1>${body}</main>`), status);
    const note = (text: string, good = false) => html`<div class="tw-note ${good ? 'good' : 'bad'}" role="${good ? 'status' : 'alert'}">${text}</div>`;

    app.get('/', (c) =>
      c.html(
        shell(
          c,
          'Unlimited 5G',
          html`<section style="text-align:center;padding:40px"><h1 style="font-size:48px;color:#db2777">Unlimited 5G. No drama.</h1><p>SIM-only plans from £8 a month.</p></section>
<div class="plans"><div><h3>Lite</h3><p>10GB · £8</p></div><div><h3>Plus</h3><p>50GB · £12</p></div><div><h3>Max</h3><p>Unlimited · £18</p></div></div>`,
        ),
      ),
    );

    const loginForm = (error?: string) => html`${error ? note(error) : ''}
<form method="post" action="/my/login">
  <div class="tw-row"><label for="username">Email address</label><input id="username" name="username" type="email" autocomplete="username"></div>
  <div class="tw-row"><label for="pass">Password</label><input id="pass" name="pass" type="password" autocomplete="current-password"></div>
  <button class="tw-cta" type="submit">Log in</button>
</form><p><a href="/my/forgotten-password">Forgotten your password?</a></p>`;
    app.get('/my/login', (c) => sheet(c, 'Log in to My Telewave', loginForm()));
    app.post('/my/login', async (c) => {
      const body = await readForm(c);
      const user = ctx.users.authenticate(field(body, 'username'), field(body, 'pass'));
      if (!user) return sheet(c, 'Log in to My Telewave', loginForm("Those details don't match our records. Check them and try again."), 401);
      ctx.users.recordLogin(user.id);
      ctx.sessions.start(c, user);
      return c.redirect('/my/account', 302);
    });
    app.post('/my/logout', (c) => {
      ctx.sessions.end(c);
      return c.redirect('/', 302);
    });
    app.get('/my/account', (c) => {
      const session = ctx.sessions.current(c);
      if (!session) return c.redirect('/my/login', 302);
      return sheet(c, 'My Telewave', html`<p>Signed in as ${session.email}</p><p>Plan: Plus 50GB · Renews on the 3rd</p><form method="post" action="/my/logout"><button class="tw-sub">Log out</button></form>`);
    });

    // Step 1: request the link.
    const forgotForm = (error?: string) => html`<p>Enter the email address for your account and we'll send you a link to reset your password.</p>${error ? note(error) : ''}
<form method="post" action="/my/forgotten-password"><div class="tw-row"><label for="email">Email address</label><input id="email" name="email" type="email" autocomplete="email"></div>
<button class="tw-cta" type="submit">Send reset email</button></form>`;
    app.get('/my/forgotten-password', (c) => sheet(c, 'Forgotten your password?', forgotForm()));
    app.post('/my/forgotten-password', async (c) => {
      const email = field(await readForm(c), 'email').trim();
      if (!email.includes('@')) return sheet(c, 'Forgotten your password?', forgotForm('Please enter a valid email address.'), 422);
      await sendResetLink(ctx, email, {
        url: (secret) => `${ctx.origin}/my/reset?key=${secret}`,
        mail: (_user, url) => ({
          subject: 'Reset your My Telewave password',
          ...renderEmail({
            brand,
            origin: ctx.origin,
            language: 'en',
            preheader: 'Tap the button to reset your password. We will text you a code to confirm.',
            greeting: 'Hi,',
            paragraphs: [
              'We got a request to reset the password for your My Telewave account.',
              "Tap the button below. To keep your account safe we'll then text a code to the mobile number on your account.",
            ],
            action: { label: 'Reset password', url },
            closing: ['This link expires in 30 minutes.', "Didn't ask for this? Ignore this email and your password won't change.", '', 'Telewave Mobile'],
            footer: englishFooter(brand),
          }),
        }),
      });
      return sheet(c, 'Check your email', note("If there's a Telewave account for that address, we've sent it a link to reset your password.", true));
    });

    // Step 2: the link texts a code.
    const linkIssue = (c: Context, found: TokenLookup) =>
      sheet(
        c,
        'This link has expired',
        html`${note(found.status === 'used' ? 'This reset link has already been used.' : 'This reset link has expired or is no longer valid.')}<p><a href="/my/forgotten-password">Request a new link</a></p>`,
        410,
      );
    const textCode = (found: Required<Pick<TokenLookup, 'token' | 'user'>>) => {
      const { user, token } = found;
      if (!user.phone) return;
      const code = randomCode();
      const sms = ctx.users.issueToken({ userId: user.id, purpose: 'sms-code', ttlMs: ctx.smsTtlMs, secret: code });
      ctx.users.updateToken(token.id, { smsTokenId: sms.token.id, smsSentAt: ctx.clock.now(), smsVerified: false });
      ctx.sendSms(user.email, user.phone, code, `Telewave: ${code} is your verification code. Never share it. It expires in ${Math.round(ctx.smsTtlMs / 60_000)} minutes.`);
    };
    const codePage = (c: Context, key: string, phone: string, message?: Html, status: 200 | 401 | 422 = 200) =>
      sheet(
        c,
        "Verify it's you",
        html`<p>We've sent a 6-digit code by text to <strong>${maskPhone(phone)}</strong>. Enter it below.</p>${message ?? ''}
<form method="post" action="/my/reset/verify"><input type="hidden" name="key" value="${key}">
  <div class="tw-row"><label for="sms_code">Text message code</label><input id="sms_code" name="sms_code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="6"></div>
  <button class="tw-cta" type="submit">Verify</button></form>
<form method="post" action="/my/reset/resend"><input type="hidden" name="key" value="${key}"><p>No text? <button class="tw-sub" type="submit">Send a new code</button></p></form>`,
        status,
      );
    const noPhone = (c: Context) =>
      sheet(c, "We can't verify you online", note('There is no mobile number on this account. Call us on 0800 000 000 and we will reset your password for you.'), 422);

    app.get('/my/reset', (c) => {
      const key = c.req.query('key') ?? '';
      const found = ctx.users.findBySecret('reset-link', key);
      if (found.status !== 'valid' || !found.user || !found.token) return linkIssue(c, found);
      if (!found.user.phone) return noPhone(c);
      if (found.token.data.smsVerified === true) return c.redirect(`/my/reset/new-password?key=${encodeURIComponent(key)}`, 302);
      const sentAt = Number(found.token.data.smsSentAt ?? 0);
      if (ctx.clock.now() - sentAt > RESEND_AFTER_MS) textCode({ user: found.user, token: found.token });
      return codePage(c, key, found.user.phone);
    });
    app.post('/my/reset/resend', async (c) => {
      const key = field(await readForm(c), 'key');
      const found = ctx.users.findBySecret('reset-link', key);
      if (found.status !== 'valid' || !found.user || !found.token) return linkIssue(c, found);
      if (!found.user.phone) return noPhone(c);
      textCode({ user: found.user, token: found.token });
      return codePage(c, key, found.user.phone, note('We have sent you a new code. Earlier codes no longer work.', true));
    });
    app.post('/my/reset/verify', async (c) => {
      const body = await readForm(c);
      const key = field(body, 'key');
      const found = ctx.users.findBySecret('reset-link', key);
      if (found.status !== 'valid' || !found.user || !found.token) return linkIssue(c, found);
      if (!found.user.phone) return noPhone(c);
      const check = ctx.users.checkCode(String(found.token.data.smsTokenId ?? ''), 'sms-code', field(body, 'sms_code'));
      if (check.result === 'valid' && check.token) {
        ctx.users.consumeToken(check.token.id);
        ctx.users.updateToken(found.token.id, { smsVerified: true });
        return c.redirect(`/my/reset/new-password?key=${encodeURIComponent(key)}`, 303);
      }
      const message =
        check.result === 'wrong'
          ? "That code isn't right. Check the text message and try again."
          : check.result === 'locked'
            ? 'Too many attempts. Send a new code and try again.'
            : 'That code has expired. Send a new code.';
      return codePage(c, key, found.user.phone, note(message), 401);
    });

    // Step 3: the new password.
    const passwordForm = (key: string, errors: string[] = []) => html`${errors.length ? note(errors.join(' ')) : ''}
<p>8 to 20 characters, with at least one capital letter, one lowercase letter and one number.</p>
<form method="post" action="/my/reset/new-password"><input type="hidden" name="key" value="${key}">
  <div class="tw-row"><label for="password">New password</label><input id="password" name="password" type="password" autocomplete="new-password" maxlength="20"></div>
  <div class="tw-row"><label for="password2">Re-enter new password</label><input id="password2" name="password2" type="password" autocomplete="new-password" maxlength="20"></div>
  <button class="tw-cta" type="submit">Change password</button></form>`;
    const verified = (key: string) => {
      const found = ctx.users.findBySecret('reset-link', key);
      return { found, ok: found.status === 'valid' && found.token?.data.smsVerified === true };
    };
    app.get('/my/reset/new-password', (c) => {
      const key = c.req.query('key') ?? '';
      const { found, ok } = verified(key);
      if (found.status !== 'valid') return linkIssue(c, found);
      if (!ok) return c.redirect(`/my/reset?key=${encodeURIComponent(key)}`, 302);
      return sheet(c, 'Choose a new password', passwordForm(key));
    });
    app.post('/my/reset/new-password', async (c) => {
      const body = await readForm(c);
      const key = field(body, 'key');
      const { found, ok } = verified(key);
      if (found.status !== 'valid' || !found.user || !found.token) return linkIssue(c, found);
      if (!ok) return c.redirect(`/my/reset?key=${encodeURIComponent(key)}`, 303);
      const password = field(body, 'password');
      const errors = checkPassword(password, rules);
      if (password !== field(body, 'password2')) errors.push("The passwords don't match.");
      if (errors.length) return sheet(c, 'Choose a new password', passwordForm(key, errors), 422);
      completeReset(ctx, found.user, password, [found.token.id]);
      return sheet(c, 'All done!', html`${note('Your password has been changed.', true)}<p><a href="/my/login">Log in to My Telewave</a></p>`);
    });

    return { app };
  },
};
