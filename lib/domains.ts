import { parse } from 'tldts';

// Private suffixes (github.io, herokuapp.com, …) count as public here: two tenants of
// one hosting platform must never vouch for each other.
const TLDTS_OPTIONS = { allowPrivateDomains: true } as const;

/** Lower-case ASCII (punycode) hostname of a host, `host:port` or URL; '' if there is none. */
export function normalizeHost(hostOrUrl: string): string {
  const input = hostOrUrl.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(input) ? input : `http://${input}`;
  try {
    // WHATWG URL parsing lower-cases, punycodes and strips ports and IPv6 brackets for us.
    return new URL(withScheme).hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  } catch {
    return '';
  }
}

/**
 * The registrable domain ("eTLD+1") of a host or URL: `www.netflux.com` → `netflux.com`.
 * Sandbox sites live on `<name>.localhost`, so `*.localhost` names are their own
 * registrable domain. IP literals are returned as they are. `null` for bare suffixes.
 */
export function registrableDomain(hostOrUrl: string): string | null {
  const host = normalizeHost(hostOrUrl);
  if (!host) return null;
  const parsed = parse(host, TLDTS_OPTIONS);
  if (parsed.isIp) return host;
  if (host.endsWith('.localhost')) {
    const labels = host.split('.');
    return labels.slice(-2).join('.');
  }
  return parsed.domain ?? null;
}

/**
 * Whether `host` is one of `domains` or a subdomain of one. Entries that are bare public
 * suffixes (`com`, `co.uk`) are ignored, so a bad catalog entry cannot match the world.
 */
export function hostBelongsTo(host: string, domains: readonly string[]): boolean {
  const candidate = normalizeHost(host);
  if (!candidate) return false;
  return domains.some((entry) => {
    const domain = normalizeHost(entry);
    if (!domain || registrableDomain(domain) === null) return false;
    if (parse(domain).isIp) return candidate === domain;
    return candidate === domain || candidate.endsWith(`.${domain}`);
  });
}
