import type { ParsedMail } from 'mailparser';
import { hostBelongsTo, normalizeHost, registrableDomain } from '../../lib/domains.js';
import { extractReset, foldText as fold, type ParsedEmail } from './extract-reset.js';

export interface ServiceIdentity {
  name: string;
  /** Registrable domains (or hosts) the service sends from and links to. */
  domains: string[];
}

export type ResetKind = 'link' | 'code' | 'either';

export type ResetEmailMatch =
  | { uid: number; kind: 'link'; link: string }
  | { uid: number; kind: 'code'; code: string };

export type RejectReason =
  /** The From domain is not the service's. */
  | 'sender_not_aligned'
  /**
   * The reset link points outside the service (a look-alike's, or a click tracker's).
   * Never opened, not even to see where it leads: opening is what a single-use link counts.
   */
  | 'link_host_not_allowed'
  /** From claims the service, but DKIM or the person's provider says otherwise. */
  | 'authentication_failed'
  /** From the service, but no usable link or code of the kind we wait for. */
  | 'no_reset_content'
  | 'too_large'
  | 'unparseable';

/** Reported to the person, never opened. Holds no link, code or body text. */
export interface RejectedEmail {
  uid: number;
  reason: RejectReason;
  /** Host of the link the email wanted us to open, when there is one. */
  host?: string;
}

export type Verdict = { match: ResetEmailMatch } | { rejected: RejectedEmail } | { ignored: true };

export interface JudgeResetEmailOptions {
  uid: number;
  email: ParsedEmail & Pick<ParsedMail, 'from'>;
  service: ServiceIdentity;
  kind: ResetKind;
}

/**
 * Decides whether one new email is the service's reset email by what it shows: sender
 * alignment and link host both count, look-alikes are reported as rejected, unrelated
 * mail is ignored. Whether the sender is who From says is judgeSenderAuthentication's.
 */
export function judgeResetEmail({ uid, email, service, kind }: JudgeResetEmailOptions): Verdict {
  const senderDomain = (email.from?.value[0]?.address ?? '').split('@').pop() ?? '';
  const aligned = senderDomain !== '' && hostBelongsTo(senderDomain, service.domains);
  const extracted = extractReset(email);
  const links = kind === 'code' ? [] : extracted.links;
  const codes = kind === 'link' ? [] : extracted.codes;
  const onDomain = links.filter((link) => hostBelongsTo(link.host, service.domains));

  if (!aligned) {
    if (!links.length && !codes.length) return { ignored: true };
    if (!claimsToBeService(email, senderDomain, links.map((l) => l.host), service)) return { ignored: true };
    const host = links[0]?.host;
    const reason = host && !onDomain.length ? 'link_host_not_allowed' : 'sender_not_aligned';
    return { rejected: { uid, reason, ...(host ? { host } : {}) } };
  }

  // A plain link to the service beats a tracker that only redirects there; a tracker
  // alone is reported, never opened (a redirect check would be the one allowed open).
  const best = links[0];
  const direct = onDomain.find((link) => link.explicit) ?? (best && onDomain.includes(best) ? best : undefined);
  if (direct) return { match: { uid, kind: 'link', link: direct.url } };
  if (codes[0]) return { match: { uid, kind: 'code', code: codes[0] } };
  if (best) return { rejected: { uid, reason: 'link_host_not_allowed', host: best.host } };
  return { rejected: { uid, reason: 'no_reset_content' } };
}

/** The email borrows the service's name or domain label: worth reporting, not just ignoring. */
function claimsToBeService(
  email: JudgeResetEmailOptions['email'],
  senderDomain: string,
  linkHosts: string[],
  service: ServiceIdentity,
): boolean {
  const name = fold(service.name);
  const labels = service.domains
    .map((domain) => registrableDomain(domain)?.split('.')[0] ?? '')
    .filter((label) => label.length >= 3);
  const visible = fold(`${email.from?.value[0]?.name ?? ''} ${email.subject ?? ''} ${email.text ?? ''}`);
  const hosts = [senderDomain, ...linkHosts].map((host) => normalizeHost(host));
  return (name.length >= 3 && visible.includes(name))
    || labels.some((label) => visible.includes(label) || hosts.some((host) => host.includes(label)));
}
