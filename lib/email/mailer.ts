// Account emails (password reset, email verification, notices) over SMTP with
// nodemailer. SMTP_URL unset: the mailer is "not configured" and sends nothing,
// which the API reports as `configured: false`. Tests inject a nodemailer
// jsonTransport or streamTransport instead of a server.
import nodemailer, { type Transporter } from 'nodemailer';

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

export function createMailer(opts: { from: string; smtpUrl?: string; transport?: Transporter }): Mailer {
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

/** The injected mailer, else one built (once per config) from SMTP_URL and SMTP_FROM. */
export function resolveMailer(deps: { mailer?: Mailer; config: { smtp: { url?: string; from: string } } }): Mailer {
  if (deps.mailer) return deps.mailer;
  let mailer = fromConfig.get(deps.config);
  if (!mailer) {
    mailer = createMailer({ from: deps.config.smtp.from, smtpUrl: deps.config.smtp.url });
    fromConfig.set(deps.config, mailer);
  }
  return mailer;
}
