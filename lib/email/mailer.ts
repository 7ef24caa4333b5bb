// Account emails (password reset, email verification, notices) over SMTP with
// nodemailer. SMTP_URL unset: in development the emails go to the local dev
// outbox (dev-outbox.ts), which counts as configured since they can be read;
// otherwise the mailer is "not configured" and sends nothing, which the API
// reports as `configured: false`. Tests inject a nodemailer jsonTransport or
// streamTransport instead of a server.
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../config.js';
import { createDevOutbox, type DevOutbox } from './dev-outbox.js';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  readonly configured: boolean;
  /** Rejects when the transport fails; callers running in the background log it. */
  send(email: OutgoingEmail): Promise<void>;
}

export function createMailer(opts: { from: string; smtpUrl?: string; transport?: Transporter; devOutbox?: DevOutbox }): Mailer {
  const transport =
    opts.transport ??
    (opts.smtpUrl
      ? nodemailer.createTransport({
          url: opts.smtpUrl,
          // A dead SMTP server must not hold a background job for minutes.
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 30_000,
        })
      : undefined);
  if (!transport && opts.devOutbox) {
    const outbox = opts.devOutbox;
    return {
      configured: true,
      async send(email) {
        await outbox.deliver(email);
      },
    };
  }
  if (!transport) {
    return {
      configured: false,
      async send() {
        // Not configured: nothing to send, by design.
      },
    };
  }
  return {
    configured: true,
    async send(email) {
      await transport.sendMail({ from: opts.from, to: email.to, subject: email.subject, text: email.text, html: email.html });
    },
  };
}

const fromConfig = new WeakMap<object, Mailer>();

/** The injected mailer, else one built (once per config) from SMTP_URL and SMTP_FROM, or the dev outbox. */
export function resolveMailer(deps: { mailer?: Mailer; config: Pick<Config, 'smtp' | 'devOutbox'> }): Mailer {
  if (deps.mailer) return deps.mailer;
  let mailer = fromConfig.get(deps.config);
  if (!mailer) {
    const { smtp, devOutbox } = deps.config;
    mailer = createMailer({ from: smtp.from, smtpUrl: smtp.url, devOutbox: devOutbox ? createDevOutbox(devOutbox.dir) : undefined });
    fromConfig.set(deps.config, mailer);
  }
  return mailer;
}
