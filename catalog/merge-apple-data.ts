import { lookupAppleData } from './apple-data.js';
import type { CuratedService, Service } from './service.js';

/** A service and the domains it lists itself, which win domain lookups over shared ones. */
export interface CatalogEntry {
  readonly service: Service;
  readonly ownDomains: readonly string[];
}

/**
 * Completes curated services with Apple's data: the domains that share their account,
 * their change-password URL and their password rules. Done at load time so Apple's
 * files stay the only place those facts live.
 */
export function mergeAppleData(curated: readonly CuratedService[]): CatalogEntry[] {
  return curated.map((entry) => {
    const apple = lookupAppleData(entry.domains);
    const service: Service = {
      id: entry.id,
      name: entry.name,
      aliases: Object.freeze([...entry.aliases]),
      domains: Object.freeze([...new Set([...entry.domains, ...apple.relatedDomains])]),
      ...(entry.resetUrl ? { resetUrl: entry.resetUrl } : {}),
      ...(apple.changePasswordUrl ? { changePasswordUrl: apple.changePasswordUrl } : {}),
      ...(entry.loginUrl ? { loginUrl: entry.loginUrl } : {}),
      ...(apple.passwordRules ? { passwordRules: apple.passwordRules } : {}),
      supported: entry.supported ?? Boolean(entry.resetUrl),
    };
    return { service: Object.freeze(service), ownDomains: Object.freeze([...entry.domains]) };
  });
}
