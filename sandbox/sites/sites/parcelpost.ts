import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { documentPage, html, maskEmail, raw } from '../layout.js';
import { englishFooter, renderEmail } from '../mail.js';
import { checkPassword } from '../policy.js';
import { completeReset, createSiteApp, field, FlowStore, readForm, type Shell } from '../site-kit.js';
import type { Brand, SiteContext, SiteDefinition } from '../types.js';
import { MAX_CODE_ATTEMPTS, randomCode } from '../user-store.js';

/**
 * ParcelPost — a courier. The reset email carries a 6-digit code, not a
 * link: email → code page (six one-digit boxes) → new password. Five wrong
 * codes void the code; "Send a new code" voids the previous one.
 */
const brand: Brand = { name: 'ParcelPost', initials: 'PP', color: '#ca8a04', ink: '#111111', font: "'Arial Black', Arial, sans-serif" };
const GRANT_COOKIE = 'pp_reset_grant';
const rules = { minLength: 10 };

const css = `
*{box-sizing:border-box}body{margin:0;font:16px/1.45 Arial,Helvetica,sans-serif;background:#fafaf9;color:#111}
.pp-top{background:#facc15;display:flex;align-items:center;justify-content:space-between;padding:12px 28px}
.pp-top nav a{color:#111;font-weight:bold;text-decoration:none;margin-left:20px}
.pp-wrap{max-width:440px;margin:40px auto;padding:0 16px}.pp-box{background:#fff;border:2px solid #111;padding:28px}
.pp-box h1{font-family:'Arial Black',Arial,sans-serif;font-size:24px;margin:0 0 12px;text-transform:uppercase}
.pp-in{display:block;width:100%;padding:12px;border:2px solid #111;font-size:16px;margin:6px 0 16px}
.pp-lbl{font-weight:bold;font-size:14px}
.pp-go{background:#111;color:#facc15;border:0;padding:14px 20px;width:100%;font-weight:bold;font-size:16px;text-transform:uppercase;cursor:pointer}
.pp-go:disabled{opacity:.5}
.pp-link{background:none;border:0;color:#111;text-decoration:underline;cursor:pointer;font:inherit;padding:0}
.otp{display:flex;gap:8px;margin:18px 0}.otp input{width:48px;height:58px;text-align:center;font-size:26px;border:2px solid #111}
.pp-msg{padding:10px 12px;margin-bottom:14px;font-weight:bold}.pp-msg.err{background:#fee2e2;color:#991b1b}.pp-msg.ok{background:#dcfce7;color:#166534}
.pp-track{background:#111;color:#fff;padding:48px 28px;text-align:center}.pp-track input{padding:14px;width:320px;max-width:80%;border:0}
.pp-foot{text-align:center;font-size:13px;color:#57534e;padding:28px}.pp-foot a{color:#57534e;margin:0 8px}
`;

const otpScript = `(function () {
  var boxes = Array.prototype.slice.call(document.querySelectorAll('.otp input'));
  function spread(from, digits) {
    digits.split('').slice(0, boxes.length - from).forEach(function (d, j) { boxes[from + j].value = d; });
    var next = Math.min(from + digits.length, boxes.length - 1);
    boxes[next].focus();
  }
  boxes.forEach(function (box, i) {
    box.addEventListener('input', function () {
      var digits = box.value.replace(/\\D/g, '');
      if (digits.length > 1) spread(i, digits);
      else { box.value = digits; if (digits && i < boxes.length - 1) boxes[i + 1].focus(); }
    });
    box.addEventListener('keydown', function (e) {
      if (e.key === 'Backspace' && !box.value && i > 0) { boxes[i - 1].focus(); boxes[i - 1].value = ''; e.preventDefault(); }
    });
    box.addEventListener('paste', function (e) {
      e.preventDefault();
      spread(i, ((e.clipboardData && e.clipboardData.getData('text')) || '').replace(/\\D/g, ''));
    });
  });
})();`;

const makeShell =
  (ctx: SiteContext): Shell =>
  (c, title, body) =>
    documentPage({
      lang: 'en-GB',
      title: `${title} | ParcelPost`,
      css,
      body: html`<header class="pp-top"><a href="/"><img src="/static/logo.svg" alt="ParcelPost" height="38"></a>
<nav><a href="/">Track</a><a href="/">Send a parcel</a>${ctx.sessions.current(c) ? html`<a href="/my-parcels">My parcels</a>` : html`<a href="/login">Sign in</a>`}</nav></header>
${body}
<footer class="pp-foot"><a href="/help">Help</a><a href="/privacy">Privacy</a><a href="/terms">Terms &amp; conditions</a></footer>`,
    });

export const parcelpost: SiteDefinition = {
  slug: 'parcelpost',
  name: 'ParcelPost',
  description: 'A courier that emails a 6-digit reset code instead of a link.',
  kind: 'email-code',
  language: 'en-GB',
  loginPath: '/login',
  resetPath: '/login/reset',
  passwordPolicy: { description: 'Use at least 10 characters.', rules: 'minlength: 10;' },
  otp: 'email_code',
  successText: 'Your password has been changed.',
  sessionCookie: 'pp_session',
  brand,
  build(ctx) {
    const shell = makeShell(ctx);
    const app = createSiteApp(ctx, { brand, shell });
    /** A reset request: unknown emails get one too, so the code page never tells who has an account. */
    const requests = new FlowStore<{ email: string; tokenId?: string }>(ctx.clock);

    app.get('/', (c) =>
      c.html(
        shell(
          c,
          'Track your parcel',
          html`<section class="pp-track"><h1>Where's my parcel?</h1><p>Enter your 16-digit tracking number.</p>
<input type="text" placeholder="e.g. PP 1234 5678 9012 3456" aria-label="Tracking number"></section>`,
        ),
      ),
    );

    const loginPage = (c: Context, error?: string) =>
      shell(
        c,
        'Log in',
        html`<div class="pp-wrap"><div class="pp-box"><h1>Log in</h1>
${error ? html`<div class="pp-msg err" role="alert">${error}</div>` : ''}
<form method="post" action="/login">
  <label class="pp-lbl" for="login_email">Email</label><input class="pp-in" id="login_email" name="login_email" type="email" autocomplete="email">
  <label class="pp-lbl" for="login_password">Password</label><input class="pp-in" id="login_password" name="login_password" type="password" autocomplete="current-password">
  <button class="pp-go" type="submit">Log in</button>
</form><p><a href="/login/reset">Trouble signing in?</a></p></div></div>`,
      );
    app.get('/login', (c) => c.html(loginPage(c)));
    app.post('/login', async (c) => {
      const body = await readForm(c);
      const user = ctx.users.authenticate(field(body, 'login_email'), field(body, 'login_password'));
      if (!user) return c.html(loginPage(c, 'Wrong email or password. Try again or reset your password.'), 401);
      ctx.users.recordLogin(user.id);
      ctx.sessions.start(c, user);
      return c.redirect('/my-parcels', 302);
    });
    app.post('/logout', (c) => {
      ctx.sessions.end(c);
      return c.redirect('/', 302);
    });
    app.get('/my-parcels', (c) => {
      const session = ctx.sessions.current(c);
      if (!session) return c.redirect('/login', 302);
      return c.html(
        shell(
          c,
          'My parcels',
          html`<div class="pp-wrap"><div class="pp-box"><h1>My parcels</h1><p>Signed in as ${session.email}</p><p>No parcels on the way.</p>
<form method="post" action="/logout"><button class="pp-link">Log out</button></form></div></div>`,
        ),
      );
    });

    // Step 1: the email.
    const emailPage = (c: Context, error?: string) =>
      shell(
        c,
        'Reset your password',
        html`<div class="pp-wrap"><div class="pp-box"><h1>Reset your password</h1><p>We'll email you a 6-digit code to confirm it's you.</p>
${error ? html`<div class="pp-msg err" role="alert">${error}</div>` : ''}
<form method="post" action="/login/reset"><label class="pp-lbl" for="email">Email address</label><input class="pp-in" id="email" name="email" type="email" autocomplete="email">
<button class="pp-go" type="submit">Send code</button></form></div></div>`,
      );
    const sendCode = async (email: string): Promise<string | undefined> => {
      const user = ctx.users.findByEmail(email);
      if (!user) return undefined;
      const code = randomCode();
      const { token } = ctx.users.issueToken({ userId: user.id, purpose: 'reset-code', ttlMs: ctx.tokenTtlMs, secret: code });
      await ctx.sendMail({
        to: user.email,
        subject: `${code} is your ParcelPost verification code`,
        ...renderEmail({
          brand,
          origin: ctx.origin,
          language: 'en',
          preheader: `Your code is ${code}. It expires in 30 minutes.`,
          greeting: 'Hello,',
          paragraphs: ['Use this code to reset your ParcelPost password. It expires in 30 minutes.'],
          code,
          closing: ["If you didn't ask for a code, you can ignore this email. Never share this code — ParcelPost staff will never ask for it.", '', 'ParcelPost'],
          footer: englishFooter(brand),
        }),
      });
      return token.id;
    };
    app.get('/login/reset', (c) => c.html(emailPage(c)));
    app.post('/login/reset', async (c) => {
      const email = field(await readForm(c), 'email').trim();
      if (!email.includes('@')) return c.html(emailPage(c, 'Enter a valid email address.'), 422);
      const tokenId = await sendCode(email);
      const rid = requests.create({ email, ...(tokenId ? { tokenId } : {}) }, ctx.tokenTtlMs);
      return c.redirect(`/login/reset/code?rid=${rid}`, 303);
    });

    // Step 2: the code.
    const codePage = (c: Context, rid: string, email: string, message?: { text: string; ok?: boolean }) =>
      shell(
        c,
        'Enter your code',
        html`<div class="pp-wrap"><div class="pp-box"><h1>Check your email</h1>
<p>Enter the 6-digit code we sent to <strong>${maskEmail(email)}</strong>.</p>
${message ? html`<div class="pp-msg ${message.ok ? 'ok' : 'err'}" role="${message.ok ? 'status' : 'alert'}">${message.text}</div>` : ''}
<form method="post" action="/login/reset/code" autocomplete="off">
  <input type="hidden" name="rid" value="${rid}">
  <fieldset class="otp" style="border:0;padding:0"><legend class="pp-lbl">Verification code</legend>
  ${[1, 2, 3, 4, 5, 6].map((n) => html`<input name="code_${n}" type="text" inputmode="numeric" pattern="[0-9]" maxlength="1" aria-label="Digit ${n}" ${n === 1 ? 'autocomplete="one-time-code"' : ''}>`)}
  </fieldset>
  <button class="pp-go" type="submit">Verify</button>
</form>
<form method="post" action="/login/reset/resend"><input type="hidden" name="rid" value="${rid}"><p>Didn't get it? <button class="pp-link" type="submit">Send a new code</button></p></form>
</div></div><script>${raw(otpScript)}</script>`,
      );
    app.get('/login/reset/code', (c) => {
      const rid = c.req.query('rid') ?? '';
      const request = requests.get(rid);
      if (!request) return c.redirect('/login/reset', 302);
      return c.html(codePage(c, rid, request.email, c.req.query('sent') ? { text: 'We sent a new code. Earlier codes no longer work.', ok: true } : undefined));
    });
    app.post('/login/reset/resend', async (c) => {
      const rid = field(await readForm(c), 'rid');
      const request = requests.get(rid);
      if (!request) return c.redirect('/login/reset', 303);
      const tokenId = await sendCode(request.email);
      if (tokenId) request.tokenId = tokenId;
      return c.redirect(`/login/reset/code?rid=${rid}&sent=1`, 303);
    });
    app.post('/login/reset/code', async (c) => {
      const body = await readForm(c);
      const rid = field(body, 'rid');
      const request = requests.get(rid);
      if (!request) return c.redirect('/login/reset', 303);
      const code = [1, 2, 3, 4, 5, 6].map((n) => field(body, `code_${n}`).trim()).join('');
      if (!/^\d{6}$/.test(code)) return c.html(codePage(c, rid, request.email, { text: 'Enter all 6 digits of the code.' }), 422);
      const check = request.tokenId ? ctx.users.checkCode(request.tokenId, 'reset-code', code) : { result: 'wrong' as const, token: undefined };
      if (check.result === 'valid' && check.token && check.user) {
        ctx.users.consumeToken(check.token.id);
        const { secret } = ctx.users.issueToken({ userId: check.user.id, purpose: 'recovery', ttlMs: ctx.tokenTtlMs });
        requests.delete(rid);
        setCookie(c, GRANT_COOKIE, secret, { path: '/login/reset', httpOnly: true, sameSite: 'Strict' });
        return c.redirect('/login/reset/password', 303);
      }
      const left = MAX_CODE_ATTEMPTS - (check.token?.attempts ?? 0);
      const text =
        check.result === 'wrong' && check.token
          ? `That code isn't right. You have ${left} ${left === 1 ? 'attempt' : 'attempts'} left.`
          : check.result === 'wrong'
            ? "That code isn't right."
            : 'This code has expired or was entered wrongly too many times. Send a new code.';
      return c.html(codePage(c, rid, request.email, { text }), 422);
    });

    // Step 3: the new password, behind the grant the code earned.
    const grant = (c: Context) => {
      const found = ctx.users.findBySecret('recovery', getCookie(c, GRANT_COOKIE) ?? '');
      return found.status === 'valid' && found.user && found.token ? { user: found.user, token: found.token } : undefined;
    };
    const passwordPage = (c: Context, errors: string[] = []) =>
      shell(
        c,
        'Choose a new password',
        html`<div class="pp-wrap"><div class="pp-box"><h1>Choose a new password</h1>
${errors.length ? html`<div class="pp-msg err" role="alert">${errors.map((e) => html`<div>${e}</div>`)}</div>` : ''}
<form method="post" action="/login/reset/password">
  <label class="pp-lbl" for="new_password">New password</label>
  <div style="display:flex;gap:8px;align-items:center"><input class="pp-in" id="new_password" name="new_password" type="password" autocomplete="new-password" aria-describedby="pw-hint">
  <button class="pp-link" type="button" onclick="var i=document.getElementById('new_password');i.type=i.type==='password'?'text':'password';this.textContent=i.type==='password'?'Show':'Hide'">Show</button></div>
  <p id="pw-hint" style="margin-top:-8px;font-size:13px">Use at least 10 characters.</p>
  <button class="pp-go" type="submit">Save password</button>
</form></div></div>`,
      );
    const grantGone = (c: Context) =>
      c.html(
        shell(c, 'Session expired', html`<div class="pp-wrap"><div class="pp-box"><h1>Session expired</h1><div class="pp-msg err" role="alert">Your reset session has expired. Start again.</div><p><a href="/login/reset">Reset your password</a></p></div></div>`),
        410,
      );
    app.get('/login/reset/password', (c) => (grant(c) ? c.html(passwordPage(c)) : grantGone(c)));
    app.post('/login/reset/password', async (c) => {
      const current = grant(c);
      if (!current) return grantGone(c);
      const password = field(await readForm(c), 'new_password');
      const errors = checkPassword(password, rules);
      if (errors.length) return c.html(passwordPage(c, errors), 422);
      completeReset(ctx, current.user, password, [current.token.id]);
      deleteCookie(c, GRANT_COOKIE, { path: '/login/reset' });
      return c.html(
        shell(
          c,
          'Password changed',
          html`<div class="pp-wrap"><div class="pp-box"><h1>All set</h1><div class="pp-msg ok" role="status">Your password has been changed.</div><p><a href="/login">Log in</a></p></div></div>`,
        ),
      );
    });

    return { app };
  },
};
