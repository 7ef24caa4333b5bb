import { describe, expect, it } from 'vitest';
import { ipThrottleSubject, normalizeIp, resolveClientIp } from '../../../lib/rate-limit/client-ip.js';

describe('resolveClientIp', () => {
  it('uses the socket and ignores X-Forwarded-For unless a proxy is trusted', () => {
    expect(resolveClientIp({ socketAddress: '198.51.100.7', forwardedFor: '1.2.3.4', trustProxyHops: 0 })).toBe('198.51.100.7');
  });

  it('behind one trusted proxy: the last X-Forwarded-For entry (client-written entries to its left are ignored)', () => {
    expect(resolveClientIp({ socketAddress: '10.0.0.2', forwardedFor: '6.6.6.6, 203.0.113.9', trustProxyHops: 1 })).toBe('203.0.113.9');
  });

  it('behind two trusted proxies: the entry the outer one wrote', () => {
    expect(resolveClientIp({ socketAddress: '10.0.0.2', forwardedFor: '6.6.6.6, 203.0.113.9, 10.0.0.1', trustProxyHops: 2 })).toBe('203.0.113.9');
  });

  it('a garbage header gives no address rather than a spoofed key', () => {
    expect(resolveClientIp({ socketAddress: '10.0.0.2', forwardedFor: 'not-an-ip', trustProxyHops: 1 })).toBeUndefined();
  });

  it('normalizes IPv4-mapped IPv6 and brackets', () => {
    expect(normalizeIp('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(normalizeIp('[2001:DB8::1]')).toBe('2001:db8::1');
    expect(normalizeIp(undefined)).toBeUndefined();
  });
});

describe('ipThrottleSubject', () => {
  it('is the address for IPv4 and the /64 for IPv6', () => {
    expect(ipThrottleSubject('192.0.2.1')).toBe('192.0.2.1');
    expect(ipThrottleSubject('2001:db8:1:2:aaaa::1')).toBe(ipThrottleSubject('2001:db8:1:2:bbbb::9'));
    expect(ipThrottleSubject('2001:db8:1:2:aaaa::1')).not.toBe(ipThrottleSubject('2001:db8:1:3::1'));
    expect(ipThrottleSubject(undefined)).toBe('unknown');
  });
});
