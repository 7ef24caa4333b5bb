import { describe, expect, it } from 'vitest';
import { judgeSenderAuthentication, type SenderEvidence } from '../../../activities/mail/judge-sender-authentication.js';
import { providerAuthservIds, readSenderEvidence } from '../../../activities/mail/read-sender-evidence.js';
import { NETFLUX, compose, dkimKey, resetEmail, resolverFor, stamp } from './fixtures.js';

const judge = (evidence: Partial<SenderEvidence>) =>
  judgeSenderAuthentication({ fromDomains: ['netflux.localhost'], dkim: [], provider: [], ...evidence }, NETFLUX.domains);
const REFUSED = { refused: 'authentication_failed' };

describe('judgeSenderAuthentication', () => {
  it('accepts a passing signature by the service or one of its subdomains as dkim_aligned', () => {
    expect(judge({ dkim: [{ domain: 'netflux.localhost', result: 'pass' }] })).toEqual({ authentication: 'dkim_aligned' });
    expect(judge({ dkim: [{ domain: 'mail.netflux.localhost', result: 'pass' }, { domain: 'esp.example', result: 'pass' }] }))
      .toEqual({ authentication: 'dkim_aligned' });
  });

  it("accepts the provider's aligned DMARC, DKIM or SPF pass as provider_verified", () => {
    expect(judge({ provider: [{ method: 'dmarc', result: 'pass', domain: 'netflux.localhost' }] })).toEqual({ authentication: 'provider_verified' });
    expect(judge({ provider: [{ method: 'dkim', result: 'pass', domain: 'netflux.localhost' }] })).toEqual({ authentication: 'provider_verified' });
    expect(judge({ provider: [{ method: 'spf', result: 'pass', domain: 'bounce.netflux.localhost' }, { method: 'dkim', result: 'none' }] }))
      .toEqual({ authentication: 'provider_verified' });
  });

  it('refuses what the provider says fails DMARC, even beside a signature that verifies', () => {
    const failed = { method: 'dmarc', result: 'fail', domain: 'netflux.localhost' } as const;
    expect(judge({ provider: [failed] })).toEqual(REFUSED);
    expect(judge({ provider: [failed], dkim: [{ domain: 'netflux.localhost', result: 'pass' }] })).toEqual(REFUSED);
  });

  it('refuses a message that is signed or vouched for, but not for the service (fails alignment)', () => {
    expect(judge({ dkim: [{ domain: 'attacker.example', result: 'pass' }] })).toEqual(REFUSED);
    expect(judge({ dkim: [{ domain: 'netflux.localhost', result: 'fail' }] })).toEqual(REFUSED);
    expect(judge({ dkim: [{ domain: 'netflux.localhost', result: 'neutral' }] })).toEqual(REFUSED);
    expect(judge({ provider: [{ method: 'spf', result: 'pass', domain: 'attacker.example' }] })).toEqual(REFUSED);
    expect(judge({ provider: [{ method: 'spf', result: 'fail', domain: 'netflux.localhost' }] })).toEqual(REFUSED);
    expect(judge({ provider: [{ method: 'dkim', result: 'pass', domain: 'netflux.localhost.attacker.example' }] })).toEqual(REFUSED);
  });

  it('refuses a message with two From addresses, or none, or one outside the service', () => {
    expect(judge({ fromDomains: ['netflux.localhost', 'attacker.example'], dkim: [{ domain: 'netflux.localhost', result: 'pass' }] })).toEqual(REFUSED);
    expect(judge({ fromDomains: [] })).toEqual(REFUSED);
    expect(judge({ fromDomains: ['attacker.example'], dkim: [{ domain: 'attacker.example', result: 'pass' }] })).toEqual(REFUSED);
  });

  it('accepts a message with no authentication at all as unauthenticated; a DNS failure or a soft SPF says nothing', () => {
    expect(judge({})).toEqual({ authentication: 'unauthenticated' });
    expect(judge({ dkim: [{ domain: 'netflux.localhost', result: 'temperror' }] })).toEqual({ authentication: 'unauthenticated' });
    expect(judge({ provider: [{ method: 'spf', result: 'softfail', domain: 'netflux.localhost' }, { method: 'dkim', result: 'none' }, { method: 'dmarc', result: 'none', domain: 'netflux.localhost' }] }))
      .toEqual({ authentication: 'unauthenticated' });
  });
});

describe('providerAuthservIds', () => {
  it("derives the provider's domain from the IMAP host, with the receiving domain of providers that differ", () => {
    expect(providerAuthservIds('imap.fastmail.com')).toEqual(['fastmail.com']);
    expect(providerAuthservIds('imap.gmail.com')).toEqual(['gmail.com', 'google.com']);
    expect(providerAuthservIds('127.0.0.1')).toEqual([]);
    expect(providerAuthservIds('com')).toEqual([]);
  });
});

describe('readSenderEvidence', () => {
  const key = dkimKey('netflux.localhost');
  const settings = { resolver: resolverFor(key), authservIds: ['mail.localhost'] };
  const message = () => compose(resetEmail('https://netflux.localhost/reset?token=t'));

  it('verifies DKIM with the injected resolver', async () => {
    const evidence = await readSenderEvidence(await key.sign(await message()), settings);
    expect(evidence).toEqual({ fromDomains: ['netflux.localhost'], dkim: [{ domain: 'netflux.localhost', result: 'pass' }], provider: [] });
    expect(settings.resolver.queries).toContain('TXT test._domainkey.netflux.localhost');
  });

  it("reads only the topmost run of the provider's Authentication-Results headers", async () => {
    const raw = stamp(
      await message(),
      'Authentication-Results: mx.mail.localhost; dmarc=fail header.from=netflux.localhost',
      'Authentication-Results: mx.forwarder.example; dkim=pass header.d=netflux.localhost',
      'Authentication-Results: mx2.mail.localhost; spf=pass smtp.mailfrom=x@netflux.localhost',
    );
    expect((await readSenderEvidence(raw, settings)).provider).toEqual([
      { method: 'dmarc', result: 'fail', domain: 'netflux.localhost' },
    ]);
    // Under another server's header, a line in the provider's name came from outside.
    const below = stamp(await message(), 'Authentication-Results: mx.forwarder.example; none', 'Authentication-Results: mx.mail.localhost; dmarc=pass header.from=netflux.localhost');
    expect((await readSenderEvidence(below, settings)).provider).toEqual([]);
    // Several headers of the provider on top all count; comments and folding are read.
    const several = stamp(
      await message(),
      'Authentication-Results: mx.mail.localhost;\r\n\tdkim=pass (2048-bit key) header.d=netflux.localhost header.s=test',
      'Authentication-Results: mx.mail.localhost 1; spf=pass (domain of bounce@netflux.localhost) smtp.mailfrom=bounce@netflux.localhost',
    );
    expect((await readSenderEvidence(several, settings)).provider).toEqual([
      { method: 'dkim', result: 'pass', domain: 'netflux.localhost' },
      { method: 'spf', result: 'pass', domain: 'netflux.localhost' },
    ]);
  });

  it('trusts no Authentication-Results header when the provider is unknown', async () => {
    const raw = stamp(await message(), 'Authentication-Results: mx.mail.localhost; dmarc=pass header.from=netflux.localhost');
    expect((await readSenderEvidence(raw, { ...settings, authservIds: [] })).provider).toEqual([]);
  });

  it('counts From fields: a second one leaves no single sender to vouch for', async () => {
    const raw = stamp(await key.sign(await message()), 'From: Netflux <no-reply@netflux.localhost>');
    expect((await readSenderEvidence(raw, settings)).fromDomains).toEqual([]);
  });
});
