import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { dkimSign } from 'mailauth';
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

/** A DNS TXT answer, or the error a resolver gives for a name with no records. */
export type TxtResolver = (name: string, rrtype: string) => Promise<string[][]>;

/**
 * A DKIM key made for the test, for one domain: signs messages and answers for its
 * public key through a resolver the test injects (no DNS is queried).
 */
export function dkimKey(domain: string, selector = 'test') {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const record = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
  return {
    domain,
    /** Prepends a DKIM-Signature made with this key (d=`domain`). */
    async sign(raw: Buffer | string): Promise<Buffer> {
      const { signatures, errors } = await dkimSign(raw, {
        canonicalization: 'relaxed/relaxed',
        signatureData: [{ signingDomain: domain, selector, privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string }],
      } as Parameters<typeof dkimSign>[1]);
      if (errors.length || !signatures.trim()) throw new Error(`test DKIM signing failed: ${errors.length} error(s)`);
      return Buffer.concat([Buffer.from(signatures), Buffer.isBuffer(raw) ? raw : Buffer.from(raw)]);
    },
    records: { [`${selector}._domainkey.${domain}`]: record } as Record<string, string>,
  };
}

/** Answers TXT queries from the given keys' records; everything else does not exist. */
export function resolverFor(...keys: Array<{ records: Record<string, string> }>): TxtResolver & { queries: string[] } {
  const records = Object.assign({}, ...keys.map((key) => key.records)) as Record<string, string>;
  const queries: string[] = [];
  const resolver = async (name: string, rrtype: string) => {
    queries.push(`${rrtype} ${name}`);
    const record = rrtype === 'TXT' ? records[name.toLowerCase()] : undefined;
    if (record === undefined) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    return [[record]];
  };
  return Object.assign(resolver, { queries });
}

/** Header lines put on top of a composed message, as a receiving server would stamp them. */
export function stamp(raw: Buffer, ...headerLines: string[]): Buffer {
  return Buffer.concat([Buffer.from(headerLines.map((line) => `${line}\r\n`).join('')), raw]);
}
