import { z } from 'zod';
import { normalizeHost, registrableDomain } from '../lib/domains.js';
import changePasswordUrlsJson from './password-manager-resources/change-password-URLs.json' with { type: 'json' };
import passwordRulesJson from './password-manager-resources/password-rules.json' with { type: 'json' };
import sharedCredentialsJson from './password-manager-resources/shared-credentials.json' with { type: 'json' };

// Parsed rather than cast: a newer copy of Apple's files with a changed shape should fail
// loudly at start, not hand half-read data to the resets.
const changePasswordUrls = z.record(z.string(), z.url()).parse(changePasswordUrlsJson);
const passwordRules = z
  .record(z.string(), z.object({ 'password-rules': z.string() }))
  .parse(passwordRulesJson);
const sharedCredentials = z
  .array(
    z.union([
      z.object({ shared: z.array(z.string()) }),
      z.object({ from: z.array(z.string()), to: z.array(z.string()), fromDomainsAreObsoleted: z.boolean().optional() }),
    ]),
  )
  .parse(sharedCredentialsJson);

/** What Apple's data says about a site, looked up by its domains. */
export interface AppleSiteData {
  /** Other domains that share the same account (shared-credentials.json), without the ones asked for. */
  relatedDomains: string[];
  changePasswordUrl?: string;
  passwordRules?: string;
}

const domainGroups = buildDomainGroups();
const changePasswordUrlKeys = keysBySite(Object.keys(changePasswordUrls));
const passwordRulesKeys = keysBySite(Object.keys(passwordRules));

/**
 * Apple's data for a site known by `domains` (own domains first, most important first).
 * Exact domain entries win over subdomain entries (`account.samsung.com` for `samsung.com`),
 * own domains over related ones.
 */
export function lookupAppleData(domains: readonly string[]): AppleSiteData {
  const own = unique(domains.map((domain) => normalizeHost(domain)).filter(Boolean));
  const related = unique(own.flatMap((domain) => domainGroups.get(domain) ?? [])).filter((d) => !own.includes(d));
  const searchOrder = [...own, ...related];
  const changePasswordUrl = findEntry(searchOrder, changePasswordUrlKeys, (key) => changePasswordUrls[key]);
  const rules = findEntry(searchOrder, passwordRulesKeys, (key) => passwordRules[key]?.['password-rules']);
  return {
    relatedDomains: related,
    ...(changePasswordUrl ? { changePasswordUrl } : {}),
    ...(rules ? { passwordRules: rules } : {}),
  };
}

function findEntry(
  domains: readonly string[],
  keysBySiteIndex: ReadonlyMap<string, readonly string[]>,
  read: (key: string) => string | undefined,
): string | undefined {
  for (const domain of domains) {
    const exact = read(domain);
    if (exact) return exact;
  }
  for (const domain of domains) {
    const site = registrableDomain(domain);
    const subdomainKey = site ? keysBySiteIndex.get(site)?.find((key) => key.endsWith(`.${domain}`)) : undefined;
    if (subdomainKey) return read(subdomainKey);
  }
  return undefined;
}

/** Apple keys some entries by subdomain; index them by registrable domain to find them. */
function keysBySite(keys: readonly string[]): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const key of keys) {
    const site = registrableDomain(key);
    if (!site || site === key) continue;
    index.set(site, [...(index.get(site) ?? []), key]);
  }
  return index;
}

/**
 * Connected groups of domains sharing one account. "shared" groups and "from → to"
 * migrations both count: mail and links from an obsoleted domain (twitter.com → x.com)
 * still belong to the same service.
 */
function buildDomainGroups(): Map<string, readonly string[]> {
  const parent = new Map<string, string>();
  const find = (domain: string): string => {
    let root = domain;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(domain, root);
    return root;
  };
  const join = (domains: readonly string[]) => {
    const [first, ...rest] = domains.map((domain) => domain.toLowerCase());
    if (!first) return;
    if (!parent.has(first)) parent.set(first, first);
    for (const domain of rest) {
      if (!parent.has(domain)) parent.set(domain, domain);
      parent.set(find(domain), find(first));
    }
  };
  for (const entry of sharedCredentials) join('shared' in entry ? entry.shared : [...entry.to, ...entry.from]);

  const members = new Map<string, string[]>();
  for (const domain of parent.keys()) {
    const root = find(domain);
    members.set(root, [...(members.get(root) ?? []), domain]);
  }
  const groups = new Map<string, readonly string[]>();
  for (const group of members.values()) for (const domain of group) groups.set(domain, group);
  return groups;
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
