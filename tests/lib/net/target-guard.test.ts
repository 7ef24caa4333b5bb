import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../lib/errors.js';
import {
  MAILBOX_PROTOCOLS,
  WEB_PROTOCOLS,
  assertAllowedHost,
  assertAllowedTarget,
  canonicalHost,
  createGuardedLookup,
  parseTarget,
  resolveHost,
  TargetNotAllowedError,
  type HostResolver,
} from '../../../lib/net/target-guard.js';

// DNS is unavailable here, and tests should not depend on it anyway: names resolve from this table.
const dnsTable: Record<string, string[]> = {
  'example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'v6only.example': ['2606:4700:4700::1111'],
  'internal.example': ['10.1.2.3'],
  'rebind.example': ['93.184.215.14', '127.0.0.1'], // one bad answer is enough
  'mapped.example': ['::ffff:192.168.0.1'],
  'meta-alias.example': ['169.254.169.254'],
};
const resolver: HostResolver = async (host) => {
  const found = dnsTable[host];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return found;
};

type Verdict = 'allow' | TargetNotAllowedError['reason'];
const LOOP = 'blocked_address';
const META = 'metadata';

async function verdict(host: string, allowPrivate: boolean): Promise<Verdict> {
  try {
    await assertAllowedHost(host, { allowPrivate, resolver });
    return 'allow';
  } catch (err) {
    if (err instanceof TargetNotAllowedError) return err.reason;
    throw err;
  }
}

// [host as given, verdict by default, verdict with REKEY_ALLOW_PRIVATE_TARGETS=true]
const cases: [string, Verdict, Verdict][] = [
  // loopback, every spelling
  ['127.0.0.1', LOOP, 'allow'],
  ['2130706433', LOOP, 'allow'],
  ['0x7f000001', LOOP, 'allow'],
  ['0x7f.0.0.1', LOOP, 'allow'],
  ['0177.0.0.1', LOOP, 'allow'],
  ['127.1', LOOP, 'allow'],
  ['127.0.0.1.', LOOP, 'allow'],
  ['１２７.０.０.１', LOOP, 'allow'], // full-width digits, IDNA-mapped like Chromium does
  ['::1', LOOP, 'allow'],
  ['[::1]', LOOP, 'allow'],
  ['::ffff:127.0.0.1', LOOP, 'allow'],
  ['[::ffff:7f00:1]', LOOP, 'allow'],
  ['::7f00:1', LOOP, 'allow'], // IPv4-compatible (deprecated)
  ['::ffff:0:7f00:1', LOOP, 'allow'], // RFC 6145 translated
  ['64:ff9b::7f00:1', LOOP, 'allow'], // NAT64 of 127.0.0.1
  ['2002:7f00:1::', LOOP, 'allow'], // 6to4 of 127.0.0.1
  ['localhost', LOOP, 'allow'],
  ['LOCALHOST.', LOOP, 'allow'],
  ['sandbox.localhost', LOOP, 'allow'],
  ['a.b.localhost.', LOOP, 'allow'],
  // unspecified
  ['0', LOOP, 'allow'],
  ['0.0.0.0', LOOP, 'allow'],
  ['::', LOOP, 'allow'],
  // private networks
  ['10.0.0.1', LOOP, 'allow'],
  ['012.0.0.1', LOOP, 'allow'], // octal 10.0.0.1
  ['172.16.5.4', LOOP, 'allow'],
  ['192.168.1.1', LOOP, 'allow'],
  ['0xc0a80101', LOOP, 'allow'],
  ['fc00::1', LOOP, 'allow'],
  ['fd12:3456::1', LOOP, 'allow'],
  ['64:ff9b::a00:1', LOOP, 'allow'], // NAT64 of 10.0.0.1
  ['2002:c0a8:101::1', LOOP, 'allow'], // 6to4 of 192.168.1.1
  ['64:ff9b:1::a00:1', LOOP, 'allow'], // RFC 8215 local-use NAT64
  // link-local, CGNAT, multicast, broadcast
  ['169.254.1.1', LOOP, 'allow'],
  ['fe80::1', LOOP, 'allow'],
  ['100.64.0.1', LOOP, 'allow'],
  ['224.0.0.1', LOOP, 'allow'],
  ['ff02::1', LOOP, 'allow'],
  ['255.255.255.255', LOOP, 'allow'],
  // reserved, documentation, benchmarking, tunnels
  ['192.0.2.1', LOOP, 'allow'],
  ['198.51.100.7', LOOP, 'allow'],
  ['203.0.113.9', LOOP, 'allow'],
  ['2001:db8::1', LOOP, 'allow'],
  ['3fff::1', LOOP, 'allow'],
  ['198.18.0.1', LOOP, 'allow'],
  ['198.19.255.254', LOOP, 'allow'],
  ['240.0.0.1', LOOP, 'allow'],
  ['2001::1', LOOP, 'allow'], // Teredo
  ['4000::1', LOOP, 'allow'], // outside 2000::/3: unassigned
  // cloud metadata: refused even when private targets are allowed
  ['169.254.169.254', META, META],
  ['0xa9fea9fe', META, META],
  ['2852039166', META, META],
  ['0251.0376.0251.0376', META, META],
  ['::ffff:169.254.169.254', META, META],
  ['::ffff:a9fe:a9fe', META, META],
  ['64:ff9b::a9fe:a9fe', META, META],
  ['2002:a9fe:a9fe::', META, META],
  ['fd00:ec2::254', META, META],
  ['169.254.170.2', META, META],
  ['100.100.100.200', META, META],
  ['168.63.129.16', META, META],
  ['metadata.google.internal', META, META],
  ['METADATA.GOOGLE.INTERNAL.', META, META],
  ['metadata', META, META],
  ['meta-alias.example', META, META],
  // public: allowed
  ['93.184.215.14', 'allow', 'allow'],
  ['8.8.8.8', 'allow', 'allow'],
  ['1.1.1.1', 'allow', 'allow'],
  ['2606:2800:21f:cb07:6820:80da:af6b:8b2c', 'allow', 'allow'],
  ['[2001:4860:4860::8888]', 'allow', 'allow'],
  ['::ffff:93.184.215.14', 'allow', 'allow'],
  ['64:ff9b::5db8:d70e', 'allow', 'allow'], // DNS64 answer for a public v4 site
  ['2002:5db8:d70e::1', 'allow', 'allow'],
  ['example.com', 'allow', 'allow'],
  ['EXAMPLE.COM.', 'allow', 'allow'],
  ['v6only.example', 'allow', 'allow'],
  // names resolving to private addresses: every address is checked
  ['internal.example', LOOP, 'allow'],
  ['rebind.example', LOOP, 'allow'],
  ['mapped.example', LOOP, 'allow'],
  // not hosts at all
  ['nxdomain.example', 'unresolvable', 'unresolvable'],
  ['999.1.1.1', 'invalid_host', 'invalid_host'],
  ['1.2.3.4.5', 'invalid_host', 'invalid_host'],
  ['0x100000000', 'invalid_host', 'invalid_host'],
  ['fe80::1%eth0', 'invalid_host', 'invalid_host'],
  ['example.com:80', 'invalid_host', 'invalid_host'],
  ['[::1]:80', 'invalid_host', 'invalid_host'],
  ['user@example.com', 'invalid_host', 'invalid_host'],
  ['exa mple.com', 'invalid_host', 'invalid_host'],
  ['', 'invalid_host', 'invalid_host'],
];

describe('assertAllowedHost', () => {
  it.each(cases)('%s → %s (private allowed: %s)', async (host, byDefault, withPrivate) => {
    expect(await verdict(host, false)).toBe(byDefault);
    expect(await verdict(host, true)).toBe(withPrivate);
  });

  it('returns the canonical host and every address', async () => {
    await expect(assertAllowedHost('Example.COM.', { allowPrivate: false, resolver })).resolves.toEqual({
      host: 'example.com',
      addresses: dnsTable['example.com'],
    });
    await expect(assertAllowedHost('2130706433', { allowPrivate: true })).resolves.toEqual({
      host: '127.0.0.1',
      addresses: ['127.0.0.1'],
    });
  });

  it('says why, naming the host but nothing else', async () => {
    const err = await assertAllowedHost('rebind.example', { allowPrivate: false, resolver }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TargetNotAllowedError);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'target_not_allowed', status: 400, type: 'TargetNotAllowed', retryable: false });
    expect((err as Error).message).toBe(
      'rebind.example resolves to 127.0.0.1, which is a loopback address; only public addresses are allowed.',
    );
    await expect(assertAllowedHost('0x7f.1', { allowPrivate: false })).rejects.toThrow(
      '127.0.0.1 is a loopback address; only public addresses are allowed.',
    );
  });

  it('only an unresolvable name is worth retrying', async () => {
    await expect(assertAllowedHost('nxdomain.example', { allowPrivate: false, resolver })).rejects.toMatchObject({
      reason: 'unresolvable',
      retryable: true,
    });
  });
});

describe('resolveHost', () => {
  it('answers *.localhost and localhost with 127.0.0.1 without asking DNS (RFC 6761)', async () => {
    const spy = vi.fn(resolver);
    await expect(resolveHost('shop.localhost', spy)).resolves.toEqual(['127.0.0.1']);
    await expect(resolveHost('LOCALHOST.', spy)).resolves.toEqual(['127.0.0.1']);
    await expect(resolveHost('0x7f000001', spy)).resolves.toEqual(['127.0.0.1']);
    expect(spy).not.toHaveBeenCalled();
  });

  it('asks the resolver for other names', async () => {
    await expect(resolveHost('example.com', resolver)).resolves.toEqual(dnsTable['example.com']);
  });

  it('uses the system resolver by default', async () => {
    // "localhost" never reaches DNS; a real lookup of a name the hosts file knows does.
    await expect(resolveHost('localhost')).resolves.toEqual(['127.0.0.1']);
  });
});

describe('canonicalHost', () => {
  it.each([
    ['0x7f.1', '127.0.0.1'],
    ['[::FFFF:127.0.0.1]', '::ffff:7f00:1'],
    ['::1', '::1'],
    ['Bücher.example.', 'xn--bcher-kva.example'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalHost(input)).toBe(expected);
  });
});

describe('parseTarget', () => {
  const refusal = (input: string, protocols: readonly ('http:' | 'https:' | 'imap:' | 'imaps:')[] = WEB_PROTOCOLS) => {
    try {
      parseTarget(input, { protocols });
      return 'allow';
    } catch (err) {
      return (err as TargetNotAllowedError).reason;
    }
  };

  it.each([
    ['https://example.com/reset?token=x', 'allow'],
    ['http://example.com', 'allow'],
    ['ftp://example.com', 'protocol'],
    ['file:///etc/passwd', 'protocol'],
    ['javascript:alert(1)', 'protocol'],
    ['data:text/html,hi', 'protocol'],
    ['http://user:pass@example.com/', 'credentials'],
    ['http://user@example.com/', 'credentials'],
    ['http://:pass@example.com/', 'credentials'],
    ['not a url', 'invalid_url'],
    ['', 'invalid_url'],
  ])('%s → %s', (input, expected) => {
    expect(refusal(input)).toBe(expected);
  });

  it('takes imap(s) for the mailbox, and only that', () => {
    expect(refusal('imaps://mail.example.com:993', MAILBOX_PROTOCOLS)).toBe('allow');
    expect(refusal('imap://mail.example.com', MAILBOX_PROTOCOLS)).toBe('allow');
    expect(refusal('https://mail.example.com', MAILBOX_PROTOCOLS)).toBe('protocol');
    expect(refusal('imaps://me:secret@mail.example.com', MAILBOX_PROTOCOLS)).toBe('credentials');
    expect(refusal('imap:mail.example.com', MAILBOX_PROTOCOLS)).toBe('no_host');
  });

  it('never repeats the URL in its message', () => {
    expect(() => parseTarget('ftp://example.com/?token=s3cret', { protocols: WEB_PROTOCOLS })).toThrow(
      'Only http or https URLs are allowed, not ftp:.',
    );
    // Refused, and the refusal does not repeat the password in the URL.
    expect(() => parseTarget('http://me:s3cret@example.com/', { protocols: WEB_PROTOCOLS })).toThrow(TargetNotAllowedError);
    expect(() => parseTarget('http://me:s3cret@example.com/', { protocols: WEB_PROTOCOLS })).not.toThrow(/s3cret/);
  });
});

describe('assertAllowedTarget', () => {
  it('returns the parsed URL, the canonical host and the checked addresses', async () => {
    const result = await assertAllowedTarget('https://EXAMPLE.com./reset?token=abc', {
      protocols: WEB_PROTOCOLS,
      allowPrivate: false,
      resolver,
    });
    expect(result.url.searchParams.get('token')).toBe('abc');
    expect(result.host).toBe('example.com');
    expect(result.addresses).toEqual(dnsTable['example.com']);
  });

  it('defaults to http and https', async () => {
    await expect(assertAllowedTarget('https://example.com/', { allowPrivate: false, resolver })).resolves.toMatchObject({
      host: 'example.com',
    });
    await expect(assertAllowedTarget('imaps://example.com/', { allowPrivate: false, resolver })).rejects.toMatchObject({
      reason: 'protocol',
    });
  });

  it.each([
    'http://2130706433/',
    'http://0x7f.0.0.1:8080/admin',
    'http://[::ffff:127.0.0.1]/',
    'http://[64:ff9b::7f00:1]/',
    'http://localhost./',
    'imap://2130706433', // opaque host in a non-special scheme
    'imaps://%31%32%37.0.0.1:993', // percent-encoded opaque host
    'imaps://[::1]:993',
  ])('refuses %s', async (input) => {
    const protocols = input.startsWith('imap') ? MAILBOX_PROTOCOLS : WEB_PROTOCOLS;
    await expect(assertAllowedTarget(input, { protocols, allowPrivate: false, resolver })).rejects.toMatchObject({
      code: 'target_not_allowed',
      reason: 'blocked_address',
    });
  });

  it('refuses metadata even when private targets are allowed', async () => {
    await expect(
      assertAllowedTarget('http://169.254.169.254/latest/meta-data/', { protocols: WEB_PROTOCOLS, allowPrivate: true }),
    ).rejects.toMatchObject({ reason: 'metadata' });
  });
});

describe('createGuardedLookup', () => {
  let server: net.Server;
  let port: number;
  beforeAll(async () => {
    server = net.createServer((socket) => socket.end('hi'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const connect = (host: string, allowPrivate: boolean) =>
    new Promise<string>((resolve, reject) => {
      const lookup = createGuardedLookup((h) => assertAllowedHost(h, { allowPrivate, resolver: async () => ['127.0.0.1'] }));
      const socket = net.connect({ host, port, lookup });
      socket.once('data', (data) => resolve(data.toString()));
      socket.once('error', reject);
    });

  it('refuses at connect time', async () => {
    await expect(connect('pinned.example', false)).rejects.toMatchObject({ code: 'target_not_allowed' });
  });

  it('connects to the checked address only', async () => {
    await expect(connect('pinned.example', true)).resolves.toBe('hi');
  });
});
