import { describe, expect, it } from 'vitest';
import { hostBelongsTo, normalizeHost, registrableDomain } from '../../lib/domains.js';

describe('registrableDomain', () => {
  it.each([
    ['www.netflux.com', 'netflux.com'],
    ['https://accounts.bbc.co.uk/reset?x=1', 'bbc.co.uk'],
    ['netflux.localhost', 'netflux.localhost'],
    ['a.b.netflux.localhost:3000', 'netflux.localhost'],
    ['foo.github.io', 'foo.github.io'],
    ['Bücher.Example', 'xn--bcher-kva.example'],
    ['127.0.0.1:8080', '127.0.0.1'],
    ['co.uk', null],
    ['localhost', null],
    ['', null],
  ])('%s → %s', (input, expected) => {
    expect(registrableDomain(input)).toBe(expected);
  });
});

describe('hostBelongsTo', () => {
  const domains = ['netflux.localhost', 'netflux.com'];
  it.each([
    ['netflux.com', true],
    ['WWW.Netflux.com.', true],
    ['mail.netflux.localhost', true],
    ['https://accounts.netflux.com/reset', true],
    ['netflux.com.evil.example', false],
    ['evilnetflux.com', false],
    ['netflux.co', false],
    ['localhost', false],
  ])('%s → %s', (host, expected) => {
    expect(hostBelongsTo(host, domains)).toBe(expected);
  });

  it('ignores catalog entries that are bare public suffixes', () => {
    expect(hostBelongsTo('anything.co.uk', ['co.uk'])).toBe(false);
    expect(hostBelongsTo('x.github.io', ['github.io'])).toBe(false);
  });

  it('matches IP literals exactly', () => {
    expect(hostBelongsTo('127.0.0.1', ['127.0.0.1'])).toBe(true);
    expect(hostBelongsTo('1.127.0.0.1', ['127.0.0.1'])).toBe(false);
  });
});

describe('normalizeHost', () => {
  it('strips ports, brackets, trailing dots and case', () => {
    expect(normalizeHost('[::1]:993')).toBe('::1');
    expect(normalizeHost('Mail.Example.COM.:143')).toBe('mail.example.com');
    expect(normalizeHost('not a host')).toBe('');
  });
});
