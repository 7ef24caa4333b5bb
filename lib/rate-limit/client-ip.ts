// The client's address: the socket's, unless the deployment says it runs
// behind N trusted proxies (REKEY_TRUST_PROXY), in which case it is the entry
// the outermost trusted proxy appended to X-Forwarded-For. Entries further
// left are written by the client and never trusted.
import ipaddr from 'ipaddr.js';

export function resolveClientIp(opts: {
  socketAddress: string | undefined;
  forwardedFor: string | undefined;
  trustProxyHops: number;
}): string | undefined {
  let candidate = opts.socketAddress;
  if (opts.trustProxyHops > 0 && opts.forwardedFor) {
    const chain = opts.forwardedFor
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (chain.length > 0) candidate = chain[Math.max(0, chain.length - opts.trustProxyHops)];
  }
  return normalizeIp(candidate);
}

/** Canonical text form; IPv4-mapped IPv6 becomes IPv4. Undefined when not an address. */
export function normalizeIp(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const bare = value.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!ipaddr.isValid(bare)) return undefined;
  return ipaddr.process(bare).toString();
}

/**
 * What an address-based throttle counts: the address for IPv4, the /64 for
 * IPv6 (one host usually owns a whole /64, so per-address limits would not bite).
 */
export function ipThrottleSubject(ip: string | undefined): string {
  if (!ip) return 'unknown';
  if (!ipaddr.isValid(ip)) return 'unknown';
  const addr = ipaddr.process(ip);
  if (addr.kind() === 'ipv4') return addr.toString();
  return `${(addr as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16)).join(':')}::/64`;
}
