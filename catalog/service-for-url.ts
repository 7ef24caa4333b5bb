import { registrableDomain } from '../lib/domains.js';
import { lookupAppleData } from './apple-data.js';
import type { Service } from './service.js';

/**
 * A service for a site the catalog does not know, named after its registrable domain:
 * `https://login.acme-bank.co.uk/x` → id `acme-bank-co-uk`, name `acme-bank.co.uk`.
 * Apple's data still contributes what it knows (rules, change-password URL, sibling
 * domains). `supported` is false: there is no curated reset page, discovery must find one.
 */
export function serviceForUrl(url: string): Service {
  const site = /^https?:\/\//i.test(url.trim()) ? registrableDomain(url) : null;
  if (!site) throw new TypeError('serviceForUrl needs an http(s) URL with a registrable host');
  const apple = lookupAppleData([site]);
  return Object.freeze({
    id: site.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''),
    name: site,
    aliases: Object.freeze([]),
    domains: Object.freeze([site, ...apple.relatedDomains]),
    ...(apple.changePasswordUrl ? { changePasswordUrl: apple.changePasswordUrl } : {}),
    ...(apple.passwordRules ? { passwordRules: apple.passwordRules } : {}),
    supported: false,
  });
}
