// Plain-text and HTML bodies for account emails. Every interpolated value is
// escaped in the HTML part; links carry their token in the fragment, so it
// never reaches a server log or a Referer header.
import type { OutgoingEmail } from './mailer.js';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

function layout(opts: { title: string; paragraphs: string[]; action?: { label: string; url: string }; footer: string }): string {
  const p = opts.paragraphs.map((t) => `<p style="margin:0 0 16px">${escapeHtml(t)}</p>`).join('\n');
  const action = opts.action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(opts.action.url)}" style="background:#111;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">${escapeHtml(opts.action.label)}</a></p>
<p style="margin:0 0 16px;font-size:13px;color:#555">Or paste this link into your browser:<br>${escapeHtml(opts.action.url)}</p>`
    : '';
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(opts.title)}</title></head>
<body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;color:#111;max-width:560px;margin:0 auto;padding:24px">
<h1 style="font-size:20px">${escapeHtml(opts.title)}</h1>
${p}
${action}
<p style="margin:32px 0 0;font-size:12px;color:#777">${escapeHtml(opts.footer)}</p>
</body></html>`;
}

const footer = 'You receive this email because of an account on this Rekey server. Rekey never asks for your password by email.';

export function passwordResetEmail(opts: { to: string; appOrigin: string; token: string; expiresInMinutes: number }): OutgoingEmail {
  const url = `${opts.appOrigin}/reset-password#token=${encodeURIComponent(opts.token)}`;
  const lines = [
    'Someone asked to reset the password of your Rekey account.',
    `Choose a new password with the link below. It works once and expires in ${opts.expiresInMinutes} minutes.`,
    'If this was not you, ignore this email: your password stays as it is.',
  ];
  return {
    to: opts.to,
    subject: 'Reset your Rekey password',
    text: `${lines[0]}\n\n${lines[1]}\n\n${url}\n\n${lines[2]}\n\n-- \n${footer}\n`,
    html: layout({ title: 'Reset your Rekey password', paragraphs: lines, action: { label: 'Choose a new password', url }, footer }),
  };
}

export function verifyEmailEmail(opts: { to: string; appOrigin: string; token: string; expiresInHours: number }): OutgoingEmail {
  const url = `${opts.appOrigin}/verify-email#token=${encodeURIComponent(opts.token)}`;
  const lines = [
    'Confirm that this address belongs to your Rekey account.',
    `The link below works once and expires in ${opts.expiresInHours} hours.`,
    'If you did not create a Rekey account, ignore this email.',
  ];
  return {
    to: opts.to,
    subject: 'Confirm your email for Rekey',
    text: `${lines[0]}\n\n${lines[1]}\n\n${url}\n\n${lines[2]}\n\n-- \n${footer}\n`,
    html: layout({ title: 'Confirm your email', paragraphs: lines, action: { label: 'Confirm my email', url }, footer }),
  };
}

/** Sent to an existing account's owner when someone tries to sign up with that address. */
export function signupAttemptEmail(opts: { to: string; appOrigin: string }): OutgoingEmail {
  const url = `${opts.appOrigin}/signin`;
  const lines = [
    'Someone tried to create a Rekey account with this email address, which already has one.',
    'If it was you, sign in instead (or reset your password from the sign-in page).',
    'If it was not you, nothing changed: no account was created and your password stays as it is.',
  ];
  return {
    to: opts.to,
    subject: 'Sign-up attempt with your email',
    text: `${lines.join('\n\n')}\n\n${url}\n\n-- \n${footer}\n`,
    html: layout({ title: 'Sign-up attempt with your email', paragraphs: lines, action: { label: 'Sign in', url }, footer }),
  };
}

/** Sent after a password change or reset, so a takeover does not go unnoticed. */
export function passwordChangedEmail(opts: { to: string; appOrigin: string; how: 'changed' | 'reset' }): OutgoingEmail {
  const url = `${opts.appOrigin}/signin`;
  const lines = [
    opts.how === 'reset'
      ? 'The password of your Rekey account was reset with an emailed link, and every device was signed out.'
      : 'The password of your Rekey account was changed, and your other devices were signed out.',
    'If this was not you, reset your password now and review your sessions and API keys.',
  ];
  return {
    to: opts.to,
    subject: 'Your Rekey password was changed',
    text: `${lines.join('\n\n')}\n\n${url}\n\n-- \n${footer}\n`,
    html: layout({ title: 'Your password was changed', paragraphs: lines, action: { label: 'Open Rekey', url }, footer }),
  };
}
