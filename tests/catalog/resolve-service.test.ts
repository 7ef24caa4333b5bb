import { describe, expect, it } from 'vitest';
import { createCatalog, type Catalog, type ResolveResult } from '../../catalog/index.js';

const catalog = createCatalog();

function matchedId(result: ResolveResult): string | undefined {
  return 'match' in result ? result.match.id : undefined;
}

function candidateIds(result: ResolveResult): string[] {
  return 'candidates' in result ? result.candidates.map((service) => service.id) : [];
}

describe('resolveService: names and aliases', () => {
  it.each([
    ['Reset my Netflix password', 'netflix'],
    ['reset netflx', 'netflix'],
    ['change my spotify pw', 'spotify'],
    ['please reset my GitHub account password', 'github'],
    ['Can you rotate the password for my Google account?', 'google'],
    ['reset fb', 'facebook'],
    ['insta pwd', 'instagram'],
    ['ms', 'microsoft'],
    ['my hotmail password', 'microsoft'],
    ['reset hbo', 'hbo-max'],
    ['HBO Max', 'hbo-max'],
    ['Disney+', 'disney-plus'],
    ['disney plus', 'disney-plus'],
    ['reset twitter', 'x'],
    ['x', 'x'],
    ['apple id', 'apple'],
    ['Epic Games', 'epic-games'],
    ['docker hub', 'docker-hub'],
    ['prime video', 'amazon'],
  ])('%s → %s', (text, id) => {
    const result = catalog.resolve(text);
    expect(matchedId(result)).toBe(id);
    expect('match' in result && result.confidence).toBe(1);
  });
});

describe('resolveService: misspellings', () => {
  it.each([
    ['reset my spotifu password', 'spotify'],
    ['gihtub', 'github'],
    ['instagarm', 'instagram'],
    ['linkdin password', 'linkedin'],
    ['reset amazn', 'amazon'],
    ['dropbx', 'dropbox'],
    ['paypall', 'paypal'],
    ['cloudfare', 'cloudflare'],
    ['zomo', 'zoom'],
  ])('%s → %s with less than full confidence', (text, id) => {
    const result = catalog.resolve(text);
    expect(matchedId(result)).toBe(id);
    const confidence = 'match' in result ? result.confidence : 0;
    expect(confidence).toBeGreaterThan(0.6);
    expect(confidence).toBeLessThan(1);
  });

  it('offers both when a typo is as close to two services', () => {
    expect(candidateIds(catalog.resolve('reset gitlub'))).toEqual(expect.arrayContaining(['github', 'gitlab']));
  });

  it('offers both when two services are named', () => {
    expect(candidateIds(catalog.resolve('reset disney and hulu'))).toEqual(['disney-plus', 'hulu']);
  });
});

describe('resolveService: other languages', () => {
  it.each([
    ["Réinitialiser mon mot de passe Netflix, s'il vous plaît", 'netflix'],
    ['Bitte setze mein Passwort für Spotify zurück', 'spotify'],
    ['Passwort ändern: Dropbox', 'dropbox'],
    ['Cambiar la contraseña de mi cuenta de Amazon, por favor', 'amazon'],
    ['Restablecer la clave de PayPal', 'paypal'],
    ['reimposta la password di Reddit', 'reddit'],
  ])('%s → %s', (text, id) => {
    expect(matchedId(catalog.resolve(text))).toBe(id);
  });
});

describe('resolveService: domains and URLs', () => {
  it.each([
    ['github.com', 'github'],
    ['reset my booking.com password', 'booking'],
    ['https://accounts.google.com/signin/v2', 'google'],
    ['<https://www.netflix.com/browse>', 'netflix'],
    ['reset the account at mailer.netflix.com please', 'netflix'],
    ['twitter.com', 'x'],
    ['https://www.amazon.de/gp/css', 'amazon'],
  ])('%s → %s', (text, id) => {
    const result = catalog.resolve(text);
    expect(matchedId(result)).toBe(id);
    expect('match' in result && result.confidence).toBe(1);
  });

  it('guesses the registrable domain of an unknown URL', () => {
    expect(catalog.resolve('reset https://login.acme-widgets.co.uk/account')).toEqual({
      unknown: true,
      domainGuess: 'acme-widgets.co.uk',
    });
  });

  it('lets a written domain decide over a name', () => {
    expect(catalog.resolve('reset my netflix password at netflix-account-help.com')).toEqual({
      unknown: true,
      domainGuess: 'netflix-account-help.com',
    });
  });

  it('does not take e-mail addresses, file names or versions for domains', () => {
    expect(matchedId(catalog.resolve('reset spotify for me@gmail.com'))).toBe('spotify');
    expect(catalog.resolve('reset node.js')).toEqual({ unknown: true });
    expect(catalog.resolve('reset v1.2.3')).toEqual({ unknown: true });
  });
});

describe('resolveService: unknown services', () => {
  it.each([
    'reset my password',
    'reset my acmebank password',
    'change my user password',
    'reset the team password',
    'reset my email password',
    'mot de passe',
    '',
  ])('%j → unknown, no guessed domain', (text) => {
    expect(catalog.resolve(text)).toEqual({ unknown: true });
  });
});

describe('resolveService: dev-mode sandbox sites', () => {
  const withSandbox: Catalog = createCatalog({
    extra: [
      {
        id: 'papercrane',
        name: 'Paper Crane',
        aliases: ['crane'],
        domains: ['papercrane.localhost'],
        resetUrl: 'http://papercrane.localhost:4100/forgot',
      },
    ],
  });

  it.each([
    ['reset paper crane', 'papercrane'],
    ['reset papercrane', 'papercrane'],
    ['reset crane', 'papercrane'],
    ['http://papercrane.localhost:4100/login', 'papercrane'],
    ['papercrane.localhost', 'papercrane'],
  ])('%s → %s', (text, id) => {
    expect(matchedId(withSandbox.resolve(text))).toBe(id);
  });

  it('treats an unknown *.localhost host as its own site', () => {
    expect(withSandbox.resolve('http://evil-papercrane.localhost:4100/')).toEqual({
      unknown: true,
      domainGuess: 'evil-papercrane.localhost',
    });
  });
});
