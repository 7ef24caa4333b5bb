export { createCatalog, serviceForUrl, type Catalog, type CreateCatalogOptions } from './catalog.js';
export { resolveService, type ResolveResult, type ServiceLookup } from './resolve-service.js';
export { serviceSchema, type Service, type ServiceInput } from './service.js';
