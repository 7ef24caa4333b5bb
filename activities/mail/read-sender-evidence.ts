// What a message can prove about its sender, read with mailauth: its DKIM
// signatures, verified against the signer's published key, and the
// Authentication-Results header(s) the person's own mail provider stamped on
// delivery. The verdict is judgeSenderAuthentication's; this only gathers.
import { createRequire } from 'node:module';
import { dkimVerify, type DNSResolver } from 'mailauth';
import ipaddr from 'ipaddr.js';
import { hostBelongsTo, normalizeHost, registrableDomain } from '../../lib/domains.js';
import { domainOf, type ProviderCheck, type SenderEvidence } from './judge-sender-authentication.js';

export type { DNSResolver } from 'mailauth';

export interface SenderAuthenticationSettings {
  /** DNS for DKIM keys; absent: the system resolver. Tests inject one that answers for keys they made. */
  resolver?: DNSResolver;
  /**
   * Domains (or hosts) whose authserv-id marks an Authentication-Results header as the
   * person's provider's. Empty: no such header is trusted, DKIM alone counts.
   */
  authservIds: readonly string[];
}

interface ParsedAuthResults {
  parsed: { value?: string } & Partial<Record<'dkim' | 'spf' | 'dmarc', AuthResult | AuthResult[]>>;
}
interface AuthResult {
  value?: string;
  header?: { d?: string; i?: string; from?: string };
  smtp?: { mailfrom?: string };
}

// mailauth's RFC 8601 parser (comments, quoting, folding): the one its own ARC code uses.
// Not in its typed surface, hence the require and the local types; the version is pinned.
const parseHeader = createRequire(import.meta.url)('mailauth/lib/parse-dkim-headers.js') as (line: string) => ParsedAuthResults;

// Providers whose IMAP host is on another registrable domain than their receiving servers.
const PROVIDER_AUTHSERV_DOMAINS: Record<string, string[]> = {
  'gmail.com': ['google.com'],
  'googlemail.com': ['google.com'],
};

/**
 * The authserv-ids to trust for a mailbox, derived from its IMAP host: its registrable
 * domain (imap.fastmail.com → fastmail.com), plus the receiving domain of providers that
 * differ. Never for an IP literal, which names no organisation.
 */
export function providerAuthservIds(imapHost: string): string[] {
  const host = normalizeHost(imapHost);
  if (!host || ipaddr.isValid(host)) return [];
  const domain = registrableDomain(host);
  if (!domain) return [];
  return [domain, ...(PROVIDER_AUTHSERV_DOMAINS[domain] ?? [])];
}

export async function readSenderEvidence(source: Buffer, settings: SenderAuthenticationSettings): Promise<SenderEvidence> {
  let verified: Awaited<ReturnType<typeof dkimVerify>>;
  try {
    verified = await dkimVerify(source, settings.resolver ? { resolver: settings.resolver } : {});
  } catch {
    // A message mailauth cannot even read proves nothing, and is not let through as silent.
    return { fromDomains: [], dkim: [{ domain: '', result: 'permerror' }], provider: [] };
  }
  const headers = verified.headers?.parsed ?? [];
  const fromFields = headers.filter((h) => h.key === 'from').length;
  const fromDomains = fromFields === 1 ? verified.headerFrom.map((address) => domainOf(address) ?? '') : [];
  const dkim = verified.results
    .filter((r) => r.signingDomain)
    .map((r) => ({ domain: normalizeHost(r.signingDomain ?? ''), result: r.status.result }));
  return { fromDomains, dkim, provider: providerChecks(headers, settings.authservIds) };
}

/**
 * The provider's verdicts: the topmost run of Authentication-Results headers whose
 * authserv-id is the provider's. Every receiving server adds its header on top, so the
 * provider's comes above anything the sender wrote; a header under another id ends the
 * run, and whatever is below it, whatever id it claims, came from outside.
 */
function providerChecks(headers: ReadonlyArray<{ key: string; line: string | Buffer }>, authservIds: readonly string[]): ProviderCheck[] {
  if (!authservIds.length) return [];
  const checks: ProviderCheck[] = [];
  for (const header of headers) {
    if (header.key !== 'authentication-results') continue;
    const { parsed } = parseHeader(header.line.toString());
    const authservId = (parsed.value ?? '').trim().split(/\s+/)[0] ?? '';
    if (!authservId || !hostBelongsTo(authservId, authservIds)) break;
    for (const r of asList(parsed.dkim)) checks.push({ method: 'dkim', result: r.value ?? '', domain: domainOf(r.header?.d ?? r.header?.i) });
    for (const r of asList(parsed.spf)) checks.push({ method: 'spf', result: r.value ?? '', domain: domainOf(r.smtp?.mailfrom) });
    for (const r of asList(parsed.dmarc)) checks.push({ method: 'dmarc', result: r.value ?? '', domain: domainOf(r.header?.from) });
  }
  return checks;
}

function asList<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
