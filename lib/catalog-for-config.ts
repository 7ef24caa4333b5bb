// The catalog a process uses: the built-in services, plus the sandbox sites
// when the sandbox runs (dev), so "Reset my Papercrane password" just works.
import { createCatalog, type Catalog, type ServiceInput } from '../catalog/index.js';
import type { SiteInfo } from '../sandbox/sites/types.js';
import { readSandboxInfo } from '../sandbox/sandbox-info.js';
import type { Config } from './config.js';

export function sandboxServices(sites: readonly SiteInfo[]): ServiceInput[] {
  return sites.map((site) => ({
    id: site.slug,
    name: site.name,
    aliases: [site.slug],
    domains: site.domains,
    resetUrl: site.resetUrl,
    changePasswordUrl: site.changePasswordUrl,
    loginUrl: site.loginUrl,
    passwordRules: site.passwordPolicy?.rules,
    supported: true,
  }));
}

export function createRekeyCatalog(config: Config, extraSites: readonly SiteInfo[] = []): Catalog {
  const sites = [...(readSandboxInfo(config)?.sites ?? []), ...extraSites];
  return createCatalog({ extra: sandboxServices(sites) });
}
