import { randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import type Mail from 'nodemailer/lib/mailer/index.js';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';

export const NETFLUX = { name: 'Netflux', domains: ['netflux.localhost'] };

export function compose(mail: Mail.Options): Promise<Buffer> {
  return new MailComposer({ to: 'person@example.test', date: new Date(), ...mail }).compile().build();
}

export async function parse(mail: Mail.Options) {
  return simpleParser(await compose(mail));
}

export function uniqueUser(prefix = 'user'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** A reset email shaped like the ones big senders send: preheader, logo, button, fallback URL, footer. */
export function resetEmail(link: string, options: { from?: string; subject?: string } = {}): Mail.Options {
  return {
    from: options.from ?? '"Netflux" <no-reply@netflux.localhost>',
    subject: options.subject ?? 'Reset your Netflux password',
    text: `Hi,\n\nSomeone asked to reset the password of your Netflux account.\nReset your password:\n${link}\n\nIf this was not you, ignore this email.\n\nUnsubscribe: https://netflux.localhost/unsubscribe?u=42\n`,
    html: `<!doctype html><html><head><title>Reset</title><style>.btn{color:#e50914}</style></head><body>
<div style="display:none;max-height:0">Reset your password now &#847; &zwnj;</div>
<table role="presentation"><tr><td><a href="https://netflux.localhost/?src=logo"><img src="https://netflux.localhost/logo.png" alt="Netflux"></a></td></tr>
<tr><td><h1>Password reset</h1><p>Hi, someone asked to reset the password of your account.</p></td></tr>
<tr><td><a class="btn" href="${escapeAttr(link)}">Reset password</a></td></tr>
<tr><td><p>Or paste this link in your browser: <a href="${escapeAttr(link)}">${escapeAttr(link)}</a></p></td></tr>
<tr><td style="font-size:11px"><p>Questions? Visit the <a href="https://help.netflux.localhost/">Help Center</a>.
<a href="https://netflux.localhost/unsubscribe?u=42&amp;t=token123">Unsubscribe</a> · <a href="https://netflux.localhost/privacy">Privacy</a></p>
<p>© 2024 Netflux, Inc. 100 Winchester Circle, Los Gatos, CA 95032</p></td></tr></table>
<img src="https://t.netflux.localhost/open.gif?id=99" width="1" height="1" alt="">
</body></html>`,
  };
}

export function codeEmail(code: string, options: { from?: string } = {}): Mail.Options {
  return {
    from: options.from ?? '"Netflux" <security@netflux.localhost>',
    subject: 'Your Netflux verification code',
    html: `<html><body><table>
<tr><td>Use this verification code to reset your password:</td></tr>
<tr><td style="font-size:32px;letter-spacing:6px"><b>${code}</b></td></tr>
<tr><td>The code expires in 15 minutes. Call us at +1 (555) 010-2030 if you need help.</td></tr>
<tr><td>© 2024 Netflux · Order #123456</td></tr></table></body></html>`,
  };
}

export function phishingEmail(link: string): Mail.Options {
  return resetEmail(link, { from: '"Netflux" <security@netflux-account-help.example>' });
}

function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}
