// What activities need to know about the service a task resets: its domains
// (for sender and link checks), its reset and login pages, its password rules.
// From the catalog when the task names a known service, else derived from the
// task's URL (the registrable domain is the only trusted domain then).
import type { Catalog, Service } from '../catalog/index.js';
import { serviceForUrl } from '../catalog/index.js';

export interface TaskServiceInfo {
  id: string;
  name: string;
  domains: string[];
  resetUrl?: string;
  loginUrl?: string;
  passwordRules?: string;
}

export interface ServiceDirectory {
  forTask(task: { serviceId: string; serviceUrl: string; serviceName: string }): TaskServiceInfo;
}

export function createServiceDirectory(catalog: Catalog): ServiceDirectory {
  const info = (s: Service, name: string): TaskServiceInfo => ({
    id: s.id,
    name,
    domains: [...s.domains],
    resetUrl: s.resetUrl,
    loginUrl: s.loginUrl,
    passwordRules: s.passwordRules,
  });
  return {
    forTask(task) {
      const known = catalog.get(task.serviceId);
      if (known) return info(known, task.serviceName);
      return info(serviceForUrl(task.serviceUrl), task.serviceName);
    },
  };
}
