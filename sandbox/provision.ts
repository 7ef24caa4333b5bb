// A ready-to-use demo for one Rekey user: a mailbox on the sandbox Dovecot and
// an account with that address on every sandbox site (a TOTP secret and a
// phone where the site asks for them). Rekey stores the mailbox settings and
// the accounts in the person's vault, so a reset can run with no real account.
import { randomBytes } from 'node:crypto';
import { Secret } from 'otpauth';
import type { DovecotServer } from './mail/dovecot.js';
import type { Sandbox } from './sites/index.js';

export interface SandboxProvision {
  mailbox: { host: string; port: number; secure: false; user: string; password: string; folder: 'INBOX' };
  accounts: { slug: string; name: string; url: string; email: string; password: string; totpSecret?: string }[];
}

const secret = () => randomBytes(12).toString('base64url');

export async function provisionDemo(args: { sandbox: Sandbox; dovecot: DovecotServer; label: string }): Promise<SandboxProvision> {
  const local = args.label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 24) || 'demo';
  const email = `${local}-${randomBytes(3).toString('hex')}@mail.localhost`;
  const mailboxPassword = secret();
  await args.dovecot.addUser(email, mailboxPassword);
  const accounts = args.sandbox.sites.map((site) => {
    const password = `Start-${secret()}-9a`;
    const totpSecret = site.otp === 'totp' ? new Secret({ size: 20 }).base32 : undefined;
    args.sandbox.createUser(site.slug, { email, password, totpSecret, phone: '+15555550142', displayName: args.label }, { onConflict: 'replace' });
    return { slug: site.slug, name: site.name, url: site.homeUrl, email, password, totpSecret };
  });
  return {
    mailbox: { host: args.dovecot.host, port: args.dovecot.port, secure: false, user: email, password: mailboxPassword, folder: 'INBOX' },
    accounts,
  };
}
