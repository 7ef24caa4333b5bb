import { hostBelongsTo, normalizeHost } from '../../lib/domains.js';

/**
 * How Rekey knows the reset email is the service's. Non-secret: it goes into the
 * workflow's step detail.
 * - `dkim_aligned`: a DKIM signature by the service's domain verified here.
 * - `provider_verified`: the person's own mail provider vouched for the service's domain
 *   (DMARC, or a DKIM or SPF pass aligned with it) in its Authentication-Results header.
 * - `unauthenticated`: nothing authenticates the message, nothing contradicts it either;
 *   only the sender and link rules chose it.
 */
export type SenderAuthentication = 'dkim_aligned' | 'provider_verified' | 'unauthenticated';

/** One DKIM-Signature of the message as verified here. */
export interface DkimSignatureCheck {
  /** The d= domain. */
  domain: string;
  /** RFC 8601 result: pass, fail, neutral, policy, permerror, temperror. */
  result: string;
}

/** One method result from the person's provider's Authentication-Results header. */
export interface ProviderCheck {
  method: 'dkim' | 'spf' | 'dmarc';
  result: string;
  /** header.d / header.i (dkim), smtp.mailfrom (spf), header.from (dmarc), as a domain. */
  domain?: string;
}

export interface SenderEvidence {
  /** Domain of each From address in each From field; RFC 5322 allows exactly one. */
  fromDomains: string[];
  dkim: DkimSignatureCheck[];
  /** Empty when the provider stamped nothing Rekey can trust. */
  provider: ProviderCheck[];
}

export type SenderVerdict = { authentication: SenderAuthentication } | { refused: 'authentication_failed' };

// Results that say nothing either way: no signature, or a DNS failure on our side (a
// signature we could not check is no better and no worse than no signature).
const SILENT = new Set(['none', 'temperror', '']);

/**
 * Decides whether a message whose From claims the service really comes from it. Pure.
 *
 * The message must have exactly one From address, on the service's domain (sender
 * alignment is judged before this). Then, in order:
 * 1. the provider's DMARC verdict `fail` for the From domain refuses it;
 * 2. a passing DKIM signature by the service's domain (relaxed alignment: the service's
 *    domains or their subdomains) accepts it as `dkim_aligned`;
 * 3. a provider pass aligned with the service's domain (DMARC pass, DKIM pass by it, SPF
 *    pass for a MAIL FROM under it) accepts it as `provider_verified`;
 * 4. any other authentication result (a failing or broken signature, a signature or SPF
 *    pass only for another domain) means it fails alignment: refused, never followed;
 * 5. no authentication at all: accepted as `unauthenticated`.
 */
export function judgeSenderAuthentication(evidence: SenderEvidence, serviceDomains: readonly string[]): SenderVerdict {
  const refused = { refused: 'authentication_failed' } as const;
  const aligned = (domain: string | undefined) => Boolean(domain) && hostBelongsTo(domain!, serviceDomains);
  // Two From addresses let a reader show one while a verifier checks the other.
  if (evidence.fromDomains.length !== 1 || !aligned(evidence.fromDomains[0])) return refused;

  const provider = evidence.provider.map((check) => ({ ...check, result: check.result.toLowerCase() }));
  const dkim = evidence.dkim.map((check) => ({ ...check, result: check.result.toLowerCase() }));
  if (provider.some((c) => c.method === 'dmarc' && c.result === 'fail' && (!c.domain || aligned(c.domain)))) return refused;

  if (dkim.some((c) => c.result === 'pass' && aligned(c.domain))) return { authentication: 'dkim_aligned' };
  if (provider.some((c) => c.result === 'pass' && aligned(c.domain))) return { authentication: 'provider_verified' };

  const spoken = dkim.some((c) => !SILENT.has(c.result)) || provider.some(speaks);
  return spoken ? refused : { authentication: 'unauthenticated' };
}

// SPF neutral/softfail say "not sure": no verdict against a domain without a strict SPF
// record, so they count as silence, like SPF none.
const WEAK_SPF = new Set(['neutral', 'softfail']);

function speaks(check: ProviderCheck): boolean {
  return !SILENT.has(check.result) && !(check.method === 'spf' && WEAK_SPF.has(check.result));
}

/** `@mail.example.com` or `bounce@mail.example.com` or `mail.example.com` → `mail.example.com`. */
export function domainOf(identity: string | undefined): string | undefined {
  if (!identity) return undefined;
  const domain = normalizeHost(identity.slice(identity.lastIndexOf('@') + 1));
  return domain || undefined;
}
