// The phone OTP prompt: `GET /otp/{token}` is a small mobile page to type the
// code a site sent; it posts to `POST /api/otp/{token}`. No sign-in: the token
// is the capability — scoped to one task's wait, single-use once a code is
// accepted, void after 5 submissions, expired when the wait ends. After
// sending, the page asks `GET /api/otp/{token}/outcome` what became of the
// code (the site took it, asked again, or the reset failed).
//
// Status codes: 404 for a token that never existed; 410 for one that is over
// (expired, used or void) — the person followed a real link, and "gone" tells
// them to look at the reset rather than retype the address. A reset that is no
// longer waiting for a code is 409, as on the task API.
//
// The CSP forbids inline scripts and styles, so the page's script and style
// are their own routes.
import { createRoute, z } from '@hono/zod-openapi';
import { html } from 'hono/html';
import { AppError } from '../../lib/errors.js';
import { findPhoneOtpToken, type PhoneOtpTokenState } from '../../lib/tasks/phone-otp-link.js';
import { phoneOtpOutcomeStates, readPhoneOtpOutcome } from '../../lib/tasks/phone-otp-outcome.js';
import { submitPhoneOtp } from '../../lib/tasks/submit-phone-otp.js';
import { createTaskSecrets } from '../../lib/tasks/task-secrets.js';
import { temporalClient } from '../../lib/tasks/temporal-client.js';
import { nowOf } from '../context.js';
import { createApi } from '../create-api.js';
import { errorResponse } from './auth.js';

const TokenParam = z.object({
  token: z.string().min(1).max(200).openapi({ param: { name: 'token', in: 'path' }, description: 'The token from the phone link' }),
});
const PhoneOtpBody = z
  .object({ code: z.string().trim().min(1).max(32).openapi({ description: 'The code the site sent', example: '123456' }) })
  .openapi('PhoneOtpRequest');
const PhoneOtpAccepted = z.object({ accepted: z.literal(true) }).openapi('PhoneOtpAccepted');
const PhoneOtpOutcome = z
  .object({
    state: z.enum(phoneOtpOutcomeStates).openapi({
      description: '`waiting`: no code sent yet; `entering`: the reset is using it; `asked_again`: the site wants another code (a new prompt); then how the reset ended',
      example: 'completed',
    }),
    message: z.string().openapi({ example: 'Done: Telewave took the code and your password was reset. You can close this page.' }),
  })
  .openapi('PhoneOtpOutcome');

const pageRoute = createRoute({
  method: 'get',
  path: '/otp/{token}',
  tags: ['Phone OTP'],
  summary: 'The phone page to type a code (HTML, no sign-in)',
  request: { params: TokenParam },
  responses: {
    200: { description: 'The page', content: { 'text/html': { schema: z.string() } } },
    404: { description: 'Unknown link (a page saying so)', content: { 'text/html': { schema: z.string() } } },
    410: { description: 'Expired, used or void link (a page saying so)', content: { 'text/html': { schema: z.string() } } },
  },
});

const scriptRoute = createRoute({
  method: 'get',
  path: '/otp/assets/phone-otp.js',
  tags: ['Phone OTP'],
  summary: 'The phone page’s script',
  responses: { 200: { description: 'JavaScript', content: { 'text/javascript': { schema: z.string() } } } },
});

const styleRoute = createRoute({
  method: 'get',
  path: '/otp/assets/phone-otp.css',
  tags: ['Phone OTP'],
  summary: 'The phone page’s style sheet',
  responses: { 200: { description: 'CSS', content: { 'text/css': { schema: z.string() } } } },
});

const submitRoute = createRoute({
  method: 'post',
  path: '/api/otp/{token}',
  tags: ['Phone OTP'],
  summary: 'Give the code typed on the phone to the waiting reset',
  description: 'No session: the token is the credential. 5 submissions per token, then it is void; used up once a code is accepted.',
  security: [],
  request: { params: TokenParam, body: { required: true, content: { 'application/json': { schema: PhoneOtpBody } } } },
  responses: {
    200: { description: 'The code went to the reset', content: { 'application/json': { schema: PhoneOtpAccepted } } },
    400: errorResponse('Malformed code (`field: code`)'),
    403: errorResponse('Cross-origin request (`csrf_rejected`)'),
    404: errorResponse('Unknown link'),
    409: errorResponse('The reset is not waiting for a code (`not_waiting`)'),
    410: errorResponse('The link expired, was used, or had 5 submissions (`gone`)'),
  },
});

const outcomeRoute = createRoute({
  method: 'get',
  path: '/api/otp/{token}/outcome',
  tags: ['Phone OTP'],
  summary: 'What became of the code sent with this link',
  description: 'No session: the token is the credential. A used link answers for 30 minutes after its code was sent.',
  security: [],
  request: { params: TokenParam },
  responses: {
    200: { description: 'The outcome so far', content: { 'application/json': { schema: PhoneOtpOutcome } } },
    404: errorResponse('Unknown link'),
    410: errorResponse('The link is over: expired or void without a code, or used more than 30 minutes ago (`gone`)'),
  },
});

export const otpRoutes = createApi()
  .openapi(scriptRoute, (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(PHONE_OTP_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  })
  .openapi(styleRoute, (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(PHONE_OTP_STYLE, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  })
  .openapi(pageRoute, async (c) => {
    const deps = c.get('deps');
    const { token } = c.req.valid('param');
    c.header('Cache-Control', 'no-store');
    const found = await findPhoneOtpToken({ db: deps.db, now: () => nowOf(deps) }, token);
    if (!found) return c.html(page({ title: 'This link does not work', message: 'Check that you opened the whole link, or start from the reset on your computer.' }), 404);
    if (found.state !== 'live') return c.html(page(overPage(found.state, found.row.task.serviceName)), 410);
    return c.html(page({ title: `${found.row.task.serviceName} asks for a code`, service: found.row.task.serviceName, token }), 200);
  })
  .openapi(submitRoute, async (c) => {
    const deps = c.get('deps');
    const { token } = c.req.valid('param');
    const { code } = c.req.valid('json');
    const temporal = await temporalClient(deps.temporal);
    const result = await submitPhoneOtp(
      { db: deps.db, temporal, secrets: createTaskSecrets(deps), now: () => nowOf(deps) },
      { token, code },
    );
    return c.json(result, 200);
  })
  .openapi(outcomeRoute, async (c) => {
    const deps = c.get('deps');
    c.header('Cache-Control', 'no-store');
    const outcome = await readPhoneOtpOutcome({ db: deps.db, now: () => nowOf(deps) }, c.req.valid('param').token);
    if (outcome === null) throw new AppError('not_found', 'Unknown link');
    if (outcome === 'gone') throw new AppError('gone', 'This link is over');
    return c.json(outcome, 200);
  });

function overPage(state: Exclude<PhoneOtpTokenState, 'live'>, service: string) {
  switch (state) {
    case 'used':
      return { title: 'Code already sent', message: `This link already gave ${service} a code. Follow the reset on your computer.` };
    case 'void':
      return { title: 'Too many tries', message: 'This link took 5 codes and no longer works. If the reset asks again, it shows a new link.' };
    case 'expired':
      return { title: 'This link has expired', message: `The ${service} reset is no longer waiting for this code. If it asks again, it shows a new link.` };
  }
}

function page(p: { title: string; message?: string; service?: string; token?: string }) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${p.title} — Rekey</title>
<link rel="stylesheet" href="/otp/assets/phone-otp.css">
${p.token ? html`<script src="/otp/assets/phone-otp.js" defer></script>` : ''}
</head>
<body>
<main>
<p class="brand">Rekey</p>
<h1>${p.title}</h1>
${p.token
  ? html`<p>Type the code <strong>${p.service}</strong> just sent you, to finish resetting your password.</p>
<form id="otp-form" data-action="/api/otp/${p.token}" novalidate>
<label for="code">Code</label>
<input id="code" name="code" type="text" autocomplete="one-time-code" inputmode="numeric" maxlength="14" required autofocus>
<button type="submit">Send code</button>
</form>
<p id="status" role="status" aria-live="polite"></p>`
  : html`<p>${p.message}</p>`}
</main>
</body>
</html>`;
}

const PHONE_OTP_STYLE = `*{box-sizing:border-box}
body{margin:0;font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;background:#f5f7fa}
main{max-width:360px;margin:0 auto;padding:28px 20px}
.brand{font-weight:700;color:#3e4c59;margin:0 0 12px;letter-spacing:.02em}
h1{font-size:22px;line-height:1.3;margin:0 0 12px}
label{display:block;font-weight:600;margin:20px 0 6px}
input{width:100%;font-size:28px;letter-spacing:.3em;padding:10px 12px;border:2px solid #9aa5b1;border-radius:8px;text-align:center}
input:focus{outline:none;border-color:#2563eb}
button{width:100%;margin-top:14px;padding:14px;font-size:18px;font-weight:600;color:#fff;background:#2563eb;border:0;border-radius:8px}
button[disabled]{background:#9aa5b1}
#status{min-height:1.5em;margin-top:16px}
#status.ok{color:#166534;font-weight:600}
#status.error{color:#b91c1c}
#status.busy{color:#3e4c59}
`;

const PHONE_OTP_SCRIPT = `'use strict';
(function () {
  var form = document.getElementById('otp-form');
  if (!form) return;
  var input = document.getElementById('code');
  var button = form.querySelector('button');
  var status = document.getElementById('status');
  function say(text, kind) { status.textContent = text; status.className = kind || ''; }
  // After the code went to the reset: ask what became of it until the reset moves on.
  function follow(url, until) {
    fetch(url, { credentials: 'omit', cache: 'no-store' }).then(function (res) {
      return res.ok ? res.json() : null;
    }).then(function (outcome) {
      if (!outcome) { say('Code accepted. You can close this page; the reset continues on your computer.', 'ok'); return; }
      var done = outcome.state === 'completed';
      var over = done || outcome.state === 'failed' || outcome.state === 'cancelled';
      say(outcome.message, done ? 'ok' : over || outcome.state === 'asked_again' ? 'error' : 'busy');
      if (over) return;
      if (Date.now() > until) { say('Code accepted. You can close this page; the reset continues on your computer.', 'ok'); return; }
      setTimeout(function () { follow(url, until); }, 1500);
    }, function () {
      if (Date.now() > until) return;
      setTimeout(function () { follow(url, until); }, 3000);
    });
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var code = input.value.replace(/[\\s-]/g, '');
    if (!/^[0-9A-Za-z]{4,10}$/.test(code)) { say('Type the code as the site sent it (4 to 10 digits).', 'error'); return; }
    button.disabled = true;
    say('Sending…');
    fetch(form.getAttribute('data-action'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      credentials: 'omit',
      body: JSON.stringify({ code: code })
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (body) {
        if (res.ok && body.accepted) {
          say('Code accepted. Entering it on the site…', 'busy');
          input.disabled = true;
          follow(form.getAttribute('data-action') + '/outcome', Date.now() + 180000);
          return;
        }
        var message = (body && body.error && body.error.message) || 'That did not work. Try again.';
        say(message, 'error');
        if (res.status !== 404 && res.status !== 410) { button.disabled = false; input.select(); }
      });
    }, function () {
      say('No connection. Try again.', 'error');
      button.disabled = false;
    });
  });
})();
`;
