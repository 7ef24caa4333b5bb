// The one rule for every outbound target Rekey touches: a task's serviceUrl, a
// discovery url, webhook URLs, the mailbox host and every request the browser
// makes. Only public unicast addresses are reachable, plus the private
// listeners a policy names (by default the sandbox's own sites and mailbox,
// exactly their address and port); cloud metadata endpoints never are, even
// when every private target is allowed for development.
//
// Hosts are first canonicalised with the WHATWG URL parser, the same algorithm
// Chromium uses, so every odd IPv4 spelling (2130706433, 0x7f.1, 0177.0.0.1,
// 127.1, full-width digits…) becomes one dotted quad before it is judged.
// Addresses are classified with ipaddr.js ranges; there is no CIDR math here.
import dns from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { AppError } from '../errors.js';

export type TargetProtocol = 'http:' | 'https:' | 'imap:' | 'imaps:';

export const WEB_PROTOCOLS = ['http:', 'https:'] as const satisfies readonly TargetProtocol[];
export const MAILBOX_PROTOCOLS = ['imap:', 'imaps:'] as const satisfies readonly TargetProtocol[];

export type TargetRefusalReason =
  | 'invalid_url'
  | 'protocol'
  | 'credentials'
  | 'no_host'
  | 'invalid_host'
  | 'blocked_address'
  | 'metadata'
  | 'unresolvable';

/**
 * A target Rekey will not connect to. An `AppError` with code `target_not_allowed`
 * (HTTP 400) for the API; `type` is the reset failure type for activities.
 * Messages name the host at most, never a path or query (they may hold tokens).
 */
export class TargetNotAllowedError extends AppError {
  override name = 'TargetNotAllowedError';
  readonly type = 'TargetNotAllowed';
  /** A name that does not resolve may resolve later; nothing else gets better by retrying. */
  readonly retryable: boolean;
  constructor(
    readonly reason: TargetRefusalReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('target_not_allowed', message, { reason });
    if (options?.cause !== undefined) this.cause = options.cause;
    this.retryable = reason === 'unresolvable';
  }
}

/** Turns a host name into its addresses. Injectable so tests need no DNS. */
export type HostResolver = (hostname: string) => Promise<string[]>;

/** `dns.lookup` (getaddrinfo, what the OS and Node clients use), both families, every address. */
export const systemResolver: HostResolver = async (hostname) =>
  (await dns.lookup(hostname, { all: true, family: 0, verbatim: true })).map((a) => a.address);

/** A loopback or private listener, by the address it is bound to and its port. */
export interface PrivateListener {
  address: string;
  port: number;
}

/**
 * Which loopback and private targets may be reached (metadata never may):
 * `true` every one (REKEY_ALLOW_PRIVATE_TARGETS=true), `false` none, or exactly
 * these listeners, address and port, e.g. the sandbox's own sites and mailbox.
 */
export type PrivateTargets = boolean | readonly PrivateListener[];

export interface HostPolicy {
  allowPrivate: PrivateTargets;
  resolver?: HostResolver;
}

export interface CheckedHost {
  /** Canonical host: lower-case, punycode, no brackets, no trailing dot. */
  host: string;
  /** Every address the host resolved to, all of them allowed. Connect to these, not the name. */
  addresses: string[];
}

// Cloud metadata services: credentials live behind these. Refused always.
const METADATA_ADDRESSES = new Set(
  [
    '169.254.169.254', // AWS, GCP, Azure, Oracle, DigitalOcean, OpenStack
    '169.254.170.2', // AWS ECS task credentials
    '169.254.170.23', // AWS EKS pod identity
    'fd00:ec2::254', // AWS IMDS over IPv6
    'fd00:ec2::23', // AWS EKS pod identity over IPv6
    '100.100.100.200', // Alibaba Cloud
    '168.63.129.16', // Azure WireServer: a public address, so the range rules alone miss it
  ].map((a) => ipaddr.parse(a).toNormalizedString()),
);
const METADATA_HOSTNAMES = ['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data', 'instance-data.ec2.internal'];

// IPv6 prefixes that carry an IPv4 address inside them; the IPv4 address is what gets reached.
const NAT64 = ipaddr.IPv6.parseCIDR('64:ff9b::/96'); // RFC 6052 well-known prefix: v4 in the last 32 bits
const IPV4_COMPATIBLE = ipaddr.IPv6.parseCIDR('::/96'); // deprecated RFC 4291 form: v4 in the last 32 bits
const IPV4_TRANSLATED = ipaddr.IPv6.parseCIDR('::ffff:0:0:0/96'); // RFC 6145: v4 in the last 32 bits
const SIX_TO_FOUR = ipaddr.IPv6.parseCIDR('2002::/16'); // RFC 3056: v4 in bits 16..47
// IANA global unicast. ipaddr.js calls anything outside its special ranges "unicast", unassigned space included.
const GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3');

const RANGE_WORDS: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT address',
  private: 'a private network address',
  uniqueLocal: 'a private (unique local) address',
  reserved: 'a reserved, documentation or benchmarking address',
  benchmarking: 'a benchmarking address',
  rfc6052: 'a local-use NAT64 address',
  teredo: 'a Teredo tunnel address',
  unassigned: 'an unassigned address',
};

export interface AddressRefusal {
  reason: 'metadata' | 'blocked_address';
  /** The ipaddr.js range name, or `metadata`. */
  range: string;
  /** Reads after "is": "a loopback address". */
  description: string;
}

/**
 * Why `address` may not be reached, or null when it may. `address` must be an IP literal;
 * `port` is where the connection goes, unknown (undefined) when only a host is checked:
 * a listener-only policy then allows nothing private.
 */
export function classifyAddress(address: string, policy: Pick<HostPolicy, 'allowPrivate'>, port?: number): AddressRefusal | null {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    // process() also unwraps IPv4-mapped IPv6 (::ffff:127.0.0.1) into IPv4.
    ip = ipaddr.process(address);
  } catch {
    return { reason: 'blocked_address', range: 'invalid', description: 'not an IP address' };
  }
  const embedded = ip.kind() === 'ipv6' ? embeddedIPv4(ip as ipaddr.IPv6) : null;
  if (isMetadataAddress(ip) || (embedded && isMetadataAddress(embedded))) {
    return { reason: 'metadata', range: 'metadata', description: 'a cloud metadata address' };
  }
  if (policy.allowPrivate === true) return null;
  if (port !== undefined && Array.isArray(policy.allowPrivate) && isListener(ip, port, policy.allowPrivate)) return null;

  const effective = embedded ?? ip;
  let range: string = effective.range();
  if (effective.kind() === 'ipv6' && range === 'unicast' && !effective.match(GLOBAL_UNICAST)) range = 'unassigned';
  if (range === 'unicast') return null;
  const description = RANGE_WORDS[range] ?? `a special-purpose address (${range})`;
  return { reason: 'blocked_address', range, description: embedded ? `${description} inside an IPv6 address` : description };
}

function isListener(ip: ipaddr.IPv4 | ipaddr.IPv6, port: number, listeners: readonly PrivateListener[]): boolean {
  const normalized = ip.toNormalizedString();
  return listeners.some((l) => l.port === port && ipaddr.process(l.address).toNormalizedString() === normalized);
}

function embeddedIPv4(ip: ipaddr.IPv6): ipaddr.IPv4 | null {
  const bytes = ip.toByteArray();
  if (ip.match(NAT64) || ip.match(IPV4_COMPATIBLE) || ip.match(IPV4_TRANSLATED)) {
    return ipaddr.fromByteArray(bytes.slice(12, 16)) as ipaddr.IPv4;
  }
  if (ip.match(SIX_TO_FOUR)) return ipaddr.fromByteArray(bytes.slice(2, 6)) as ipaddr.IPv4;
  return null;
}

function isMetadataAddress(ip: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  return METADATA_ADDRESSES.has(ip.toNormalizedString());
}

function isMetadataHostname(host: string): boolean {
  return METADATA_HOSTNAMES.some((name) => host === name || (name.includes('.') && host.endsWith(`.${name}`)));
}

/** RFC 6761: `localhost` and `*.localhost` are loopback, whatever DNS says. Chromium agrees. */
export function isLocalhostName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

/**
 * The canonical form of a bare host (no scheme, port or path): lower-case, punycode,
 * IPv4 in dotted quad, IPv6 without brackets, no trailing dot.
 * Throws `invalid_host` for anything else, `host:port` included.
 */
export function canonicalHost(host: string): string {
  const raw = host.trim();
  const invalid = () => new TargetNotAllowedError('invalid_host', `"${raw.slice(0, 100)}" is not a valid host name.`);
  // Ports are refused outright: the URL parser would silently drop a default one ("[::1]:80").
  if (!raw || /[/?#@\\\s]/.test(raw) || (raw.startsWith('[') && !raw.endsWith(']'))) throw invalid();
  let candidate = raw;
  if (!raw.startsWith('[') && raw.includes(':')) {
    if (!ipaddr.IPv6.isValid(raw)) throw invalid(); // "host:port" lands here too
    candidate = `[${raw}]`;
  }
  let url: URL;
  try {
    url = new URL(`http://${candidate}/`);
  } catch {
    throw invalid(); // also zone ids (fe80::1%eth0) and IPv4 out of range (999.1.1.1)
  }
  const canonical = url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.+$/, '');
  if (!canonical) throw invalid();
  return canonical;
}

/**
 * The addresses a host reaches. IP literals are their own address; `localhost` and
 * `*.localhost` are 127.0.0.1 without asking DNS; anything else goes to `resolver`.
 */
export async function resolveHost(host: string, resolver: HostResolver = systemResolver): Promise<string[]> {
  const canonical = canonicalHost(host);
  if (ipaddr.isValid(canonical)) return [canonical];
  if (isLocalhostName(canonical)) return ['127.0.0.1'];
  let addresses: string[];
  try {
    addresses = await resolver(canonical);
  } catch (err) {
    throw new TargetNotAllowedError('unresolvable', `${canonical} could not be resolved.`, { cause: err });
  }
  if (addresses.length === 0) throw new TargetNotAllowedError('unresolvable', `${canonical} could not be resolved.`);
  return addresses;
}

/**
 * Resolves `host` and checks every address it resolves to: one private answer is
 * enough to refuse, since a client may connect to any of them. `port` is the port
 * the connection goes to; a policy that allows only certain private listeners
 * needs it (without it nothing private passes).
 */
export async function assertAllowedHost(host: string, policy: HostPolicy, port?: number): Promise<CheckedHost> {
  const canonical = canonicalHost(host);
  if (isMetadataHostname(canonical)) {
    throw new TargetNotAllowedError('metadata', `${canonical} is a cloud metadata service, which Rekey never contacts.`);
  }
  const addresses = await resolveHost(canonical, policy.resolver);
  for (const address of addresses) {
    const refusal = classifyAddress(address, policy, port);
    if (!refusal) continue;
    const subject = canonical === address ? address : `${canonical} resolves to ${address}, which`;
    const tail = refusal.reason === 'metadata' ? 'Rekey never contacts it.' : 'only public addresses are allowed.';
    throw new TargetNotAllowedError(refusal.reason, `${subject} is ${refusal.description}; ${tail}`);
  }
  return { host: canonical, addresses };
}

export interface TargetOptions {
  /** Default: http and https. The mailbox passes MAILBOX_PROTOCOLS. */
  protocols?: readonly TargetProtocol[];
}

/**
 * Parses a target URL: one of `protocols`, no `user:pass@`, a host present.
 * Does not resolve anything; see {@link assertAllowedTarget}.
 */
export function parseTarget(input: string | URL, options: TargetOptions = {}): URL {
  const protocols = options.protocols ?? WEB_PROTOCOLS;
  let url: URL;
  try {
    url = new URL(String(input).trim());
  } catch {
    throw new TargetNotAllowedError('invalid_url', 'This is not a valid URL.');
  }
  if (!(protocols as readonly string[]).includes(url.protocol)) {
    const allowed = protocols.map((p) => p.slice(0, -1)).join(' or ');
    throw new TargetNotAllowedError('protocol', `Only ${allowed} URLs are allowed, not ${url.protocol.slice(0, 20)}.`);
  }
  if (url.username || url.password) {
    throw new TargetNotAllowedError('credentials', 'The URL must not contain a user name or password.');
  }
  if (!url.hostname) throw new TargetNotAllowedError('no_host', 'The URL has no host.');
  return url;
}

/** {@link parseTarget} then {@link assertAllowedHost}: the check for every URL a person gives Rekey. */
export async function assertAllowedTarget(
  input: string | URL,
  options: HostPolicy & TargetOptions,
): Promise<CheckedHost & { url: URL }> {
  const url = parseTarget(input, options);
  // Non-special schemes (imap:) keep hosts opaque, e.g. "2130706433" or "%31%32%37.0.0.1";
  // canonicalHost() runs them through the http host parser, which decodes and normalises them.
  const checked = await assertAllowedHost(url.hostname, options, targetPort(url));
  return { url, ...checked };
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443, 'imap:': 143, 'imaps:': 993 };

/** The port a target URL connects to: its own, else its scheme's default. */
export function targetPort(url: URL): number | undefined {
  return url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol];
}

/**
 * A `lookup` for `net.connect`, `http.request` or `tls.connect` that checks the host
 * with `check` at connect time and answers only the addresses it approved. Passing
 * it to a client pins the connection to what was checked, so a DNS answer that
 * changes between check and connect (rebinding) cannot reach a private address.
 *
 *   const lookup = createGuardedLookup((h) => assertAllowedHost(h, { allowPrivate }, port));
 *   net.connect({ host, port, lookup });
 */
export function createGuardedLookup(check: (host: string) => Promise<CheckedHost>): LookupFunction {
  return (hostname, options, callback) => {
    check(hostname).then(
      ({ addresses }) => {
        const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
        const found: LookupAddress[] = addresses
          .map((address) => ({ address, family: ipaddr.parse(address).kind() === 'ipv6' ? 6 : 4 }))
          .filter((a) => wanted === 0 || a.family === wanted);
        if (found.length === 0) {
          const err: NodeJS.ErrnoException = new Error(`${hostname} has no allowed IPv${wanted} address`);
          err.code = 'ENOTFOUND';
          return callback(err, '');
        }
        if (options.all) return callback(null, found);
        callback(null, found[0]!.address, found[0]!.family);
      },
      (err: Error) => callback(err, ''),
    );
  };
}
