import { describe, expect, it } from 'vitest';
import { fillerWords } from '../../catalog/filler-words.js';
import { createCatalog, serviceForUrl, type Service } from '../../catalog/index.js';
import { curatedServices } from '../../catalog/services.js';
import { parsePasswordRules } from '../../activities/vault/password/index.js';

const catalog = createCatalog();
const services = catalog.all();

function compact(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

describe('catalog contents', () => {
  it('has at least 40 services with unique kebab-case ids', () => {
    expect(services.length).toBeGreaterThanOrEqual(40);
    const ids = services.map((service) => service.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });

  it('has valid https URLs only, on one of the service domains or a known sign-in host', () => {
    for (const service of services) {
      for (const url of [service.resetUrl, service.changePasswordUrl, service.loginUrl]) {
        if (url === undefined) continue;
        const parsed = new URL(url);
        expect(parsed.protocol, `${service.id}: ${url}`).toBe('https:');
        expect(parsed.username + parsed.password).toBe('');
      }
      for (const url of [service.resetUrl, service.loginUrl]) {
        if (url) expect(catalog.byDomain(url)?.id, `${service.id}: ${url}`).toBe(service.id);
      }
    }
  });

  it('marks a service supported exactly when it has a reset page', () => {
    for (const service of services) expect(service.supported, service.id).toBe(Boolean(service.resetUrl));
    expect(services.filter((service) => service.supported).length).toBeGreaterThanOrEqual(30);
  });

  it('lists lower-case domains, and no service claims another one’s own domain', () => {
    const owner = new Map<string, string>();
    for (const curated of curatedServices) {
      for (const domain of curated.domains) {
        expect(domain).toBe(domain.toLowerCase());
        expect(owner.get(domain), `${domain} claimed by ${owner.get(domain)} and ${curated.id}`).toBeUndefined();
        owner.set(domain, curated.id);
      }
    }
  });

  it('keeps names and aliases distinct between services and away from filler words', () => {
    const keyOwner = new Map<string, string>();
    for (const service of services) {
      for (const key of new Set([service.name, service.id, ...service.aliases].map(compact))) {
        expect(fillerWords.has(key), `${service.id} alias "${key}" is a filler word`).toBe(false);
        expect(keyOwner.get(key) ?? service.id, `"${key}" used by two services`).toBe(service.id);
        keyOwner.set(key, service.id);
      }
    }
  });

  it('carries password rules that parse', () => {
    const withRules = services.filter((service) => service.passwordRules);
    expect(withRules.length).toBeGreaterThan(5);
    for (const service of withRules) expect(() => parsePasswordRules(service.passwordRules ?? '')).not.toThrow();
  });
});

describe("Apple's data merged at load time", () => {
  const get = (id: string): Service => {
    const service = catalog.get(id);
    if (!service) throw new Error(`no ${id}`);
    return service;
  };

  it('takes change-password URLs and password rules from Apple', () => {
    expect(get('google').changePasswordUrl).toBe('https://myaccount.google.com/signinoptions/password');
    expect(get('paypal').passwordRules).toContain('max-consecutive: 3');
  });

  it('finds rules Apple keys by subdomain', () => {
    expect(get('samsung').passwordRules).toContain('maxlength: 15');
  });

  it('adds shared-credential groups to the domains, own domains first', () => {
    expect(get('x').domains.slice(0, 2)).toEqual(['x.com', 'twitter.com']);
    expect(get('instagram').domains).toEqual(expect.arrayContaining(['threads.net', 'threads.com']));
    expect(get('adobe').domains).toEqual(expect.arrayContaining(['adobelogin.com', 'behance.net']));
    expect(get('ebay').domains).toEqual(expect.arrayContaining(['ebay.de', 'ebay.co.uk']));
    expect(get('hulu').domains).toEqual(expect.arrayContaining(['disney.com', 'disneyplus.com']));
  });

  it('leaves no change-password URL unset that Apple knows for an own domain', () => {
    expect(get('github').changePasswordUrl).toBe('https://github.com/settings/security');
    expect(get('npm').changePasswordUrl).toBeUndefined();
  });
});

describe('byDomain', () => {
  it.each([
    ['accounts.google.com', 'google'],
    ['google.com', 'google'],
    ['https://mailer.netflix.com/x?y=1', 'netflix'],
    ['www.youtube.com', 'google'],
    ['ACCOUNTS.Spotify.com.', 'spotify'],
    ['twitter.com', 'x'],
    ['account.live.com', 'microsoft'],
    ['help.steampowered.com', 'steam'],
    ['www.amazon.co.uk', 'amazon'],
    ['id.heroku.com', 'heroku'],
    ['verify.salesforce.com', 'heroku'],
  ])('%s → %s', (host, id) => {
    expect(catalog.byDomain(host)?.id).toBe(id);
  });

  it('prefers a service’s own domain over one it only shares', () => {
    expect(catalog.byDomain('www.hulu.com')?.id).toBe('hulu');
    expect(catalog.byDomain('my.disney.com')?.id).toBe('disney-plus');
  });

  it.each(['github.com.evil.example', 'evil-github.com', 'evil.github.io', 'com', 'localhost', '', 'not a host'])(
    'knows nothing about %j',
    (host) => {
      expect(catalog.byDomain(host)).toBeUndefined();
    },
  );
});

describe('extra services (dev mode)', () => {
  const sandbox = {
    id: 'papercrane',
    name: 'Paper Crane',
    aliases: [],
    domains: ['papercrane.localhost'],
    resetUrl: 'http://papercrane.localhost:4100/forgot',
  };

  it('treats x.localhost as its own registrable domain', () => {
    const withSandbox = createCatalog({ extra: [sandbox] });
    expect(withSandbox.byDomain('papercrane.localhost')?.id).toBe('papercrane');
    expect(withSandbox.byDomain('http://mail.papercrane.localhost:4100/')?.id).toBe('papercrane');
    expect(withSandbox.byDomain('evilpapercrane.localhost')).toBeUndefined();
    expect(withSandbox.byDomain('localhost')).toBeUndefined();
    expect(withSandbox.get('papercrane')?.supported).toBe(true);
    expect(withSandbox.all()).toHaveLength(services.length + 1);
  });

  it('refuses plain http outside localhost, duplicate ids and bad domains', () => {
    expect(() => createCatalog({ extra: [{ ...sandbox, resetUrl: 'http://example.com/forgot' }] })).toThrow();
    expect(() => createCatalog({ extra: [{ ...sandbox, id: 'netflix' }] })).toThrow(/used twice/);
    expect(() => createCatalog({ extra: [{ ...sandbox, domains: ['Not A Domain'] }] })).toThrow();
  });

  it('does not change the default catalog', () => {
    createCatalog({ extra: [sandbox] });
    expect(createCatalog().get('papercrane')).toBeUndefined();
  });
});

describe('serviceForUrl', () => {
  it('names an unknown site after its registrable domain', () => {
    expect(serviceForUrl('https://login.acme-bank.co.uk/forgot')).toEqual({
      id: 'acme-bank-co-uk',
      name: 'acme-bank.co.uk',
      aliases: [],
      domains: ['acme-bank.co.uk'],
      supported: false,
    });
  });

  it("still uses Apple's data for the domain", () => {
    const service = serviceForUrl('https://www.1800flowers.com/');
    expect(service.passwordRules).toBe('minlength: 6; required: lower, upper; required: digit;');
    expect(serviceForUrl('https://www.themeforest.net/').domains).toEqual(expect.arrayContaining(['envato.com']));
  });

  it('handles sandbox hosts and refuses what is not an http(s) URL', () => {
    expect(serviceForUrl('http://papercrane.localhost:4100/x').id).toBe('papercrane-localhost');
    expect(() => serviceForUrl('papercrane.localhost')).toThrow(TypeError);
    expect(() => serviceForUrl('ftp://example.com/')).toThrow(TypeError);
    expect(() => serviceForUrl('https://co.uk/')).toThrow(TypeError);
  });
});

describe('extra services typed as Service', () => {
  it('accepts a Service object as it is', () => {
    const service: Service = {
      id: 'acme',
      name: 'Acme',
      aliases: Object.freeze(['acme corp']),
      domains: Object.freeze(['acme.localhost']),
      loginUrl: 'http://acme.localhost:4100/login',
      passwordRules: 'minlength: 12;',
      supported: false,
    };
    expect(createCatalog({ extra: [service] }).get('acme')).toEqual(service);
  });
});
