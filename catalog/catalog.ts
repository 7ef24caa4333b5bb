import { hostBelongsTo, normalizeHost } from '../lib/domains.js';
import { mergeAppleData, type CatalogEntry } from './merge-apple-data.js';
import { resolveService, type ResolveResult, type ServiceLookup } from './resolve-service.js';
import { serviceSchema, type Service, type ServiceInput } from './service.js';
import { curatedServices } from './services.js';

export { serviceForUrl } from './service-for-url.js';

export interface Catalog extends ServiceLookup {
  /** Every service, curated ones first, in a stable order. */
  all(): readonly Service[];
  get(id: string): Service | undefined;
  /** The service a host (or URL) belongs to, subdomains included: `accounts.google.com` → google. */
  byDomain(hostOrUrl: string): Service | undefined;
  /** What a person typed → a service, a short list to choose from, or unknown. */
  resolve(text: string): ResolveResult;
}

export interface CreateCatalogOptions {
  /** More services, e.g. dev-mode sandbox sites on `<slug>.localhost`. Validated. */
  extra?: readonly ServiceInput[];
}

// Apple's files are read once per process, not once per catalog.
let builtIn: readonly CatalogEntry[] | undefined;

export function createCatalog({ extra = [] }: CreateCatalogOptions = {}): Catalog {
  builtIn ??= mergeAppleData(curatedServices);
  const entries = [...builtIn, ...extra.map(toCatalogEntry)];
  const services = Object.freeze(entries.map((entry) => entry.service));
  const byId = new Map<string, Service>();
  for (const service of services) {
    if (byId.has(service.id)) throw new Error(`Service id "${service.id}" is used twice in the catalog`);
    byId.set(service.id, service);
  }
  const findByHost = indexDomains(entries);

  const catalog: Catalog = {
    all: () => services,
    get: (id) => byId.get(id),
    byDomain: findByHost,
    resolve: (text) => resolveService(text, catalog),
  };
  return catalog;
}

function toCatalogEntry(input: ServiceInput): CatalogEntry {
  const parsed = serviceSchema.parse(input);
  const { supported, ...rest } = parsed;
  const service: Service = Object.freeze({
    ...rest,
    aliases: Object.freeze(parsed.aliases),
    domains: Object.freeze(parsed.domains),
    supported: supported ?? Boolean(parsed.resetUrl),
  });
  return { service, ownDomains: service.domains };
}

/**
 * Domain lookup: the most specific listed domain wins, and a service's own domains beat
 * domains it only shares through Apple's groups (hulu.com is Hulu's even though Disney+
 * shares the account). `x.localhost` is its own registrable domain, like any sandbox site.
 */
function indexDomains(entries: readonly CatalogEntry[]): (hostOrUrl: string) => Service | undefined {
  const own = new Map<string, Service>();
  const shared = new Map<string, Service>();
  for (const { service, ownDomains } of entries) {
    for (const domain of ownDomains) if (!own.has(domain)) own.set(domain, service);
  }
  for (const { service } of entries) {
    for (const domain of service.domains) if (!shared.has(domain)) shared.set(domain, service);
  }

  return (hostOrUrl) => {
    const host = normalizeHost(hostOrUrl);
    if (!host) return undefined;
    const labels = host.split('.');
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.');
      const service = own.get(suffix) ?? shared.get(suffix);
      // hostBelongsTo refuses bare public suffixes and treats IP literals as exact-only.
      if (service && hostBelongsTo(host, [suffix])) return service;
    }
    return undefined;
  };
}
