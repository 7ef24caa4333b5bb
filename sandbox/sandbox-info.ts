// What the sandbox process tells the API and worker about itself.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../lib/config.js';
import type { SiteInfo } from './sites/types.js';

export interface SandboxInfo {
  webPort: number;
  imap: { host: string; port: number };
  provisionUrl: string;
  controlUrl: string;
  sites: SiteInfo[];
}

export const sandboxInfoFile = (config: Config) => path.join(config.dataDir, 'run', 'sandbox.json');

export function readSandboxInfo(config: Config): SandboxInfo | null {
  if (!config.sandbox) return null;
  const file = sandboxInfoFile(config);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SandboxInfo) : null;
}
