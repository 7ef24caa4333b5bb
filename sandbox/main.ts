// The sandbox process `npm start` runs when REKEY_SANDBOX is on: a real
// Dovecot IMAP server and the sandbox sites, which "send" their emails into
// it. It writes data/run/sandbox.json (ports, sites, the provisioning URL)
// for the API and worker, and serves POST /provision on loopback.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { getConfig } from '../lib/config.js';
import { exitWithParent } from '../lib/exit-with-parent.js';
import { createLogger } from '../lib/logger.js';
import { findDovecotBinary, startDovecot } from './mail/dovecot.js';
import { provisionDemo } from './provision.js';
import { startSandbox } from './sites/index.js';
import { sandboxInfoFile, type SandboxInfo } from './sandbox-info.js';

const config = getConfig();
const logger = createLogger({ level: config.logLevel, name: 'sandbox' });
const baseDir = path.join(config.dataDir, 'sandbox');
mkdirSync(path.join(baseDir, 'mail'), { recursive: true });

// The same lookup `npm start` made before starting this process (scripts/provision.ts).
const dovecot = await startDovecot({ binary: findDovecotBinary(config.tools.searchDirs), baseDir: path.join(baseDir, 'mail'), port: config.sandboxPorts.imap });
const sandbox = await startSandbox({
  port: config.sandboxPorts.web,
  dataDir: path.join(baseDir, 'sites'),
  deliver: async (to, raw) => {
    try {
      await dovecot.deliver(to, raw);
    } catch (err) {
      // Mail to an address without a sandbox mailbox bounces, as it would anywhere.
      logger.warn({ err: (err as Error).message }, 'sandbox mail could not be delivered');
    }
  },
});

const control = new Hono().post('/provision', async (c) => {
  const body = (await c.req.json().catch(() => ({}))) as { label?: string };
  return c.json(await provisionDemo({ sandbox, dovecot, label: String(body.label ?? 'demo') }));
});
const controlServer = serve({ fetch: control.fetch, port: 0, hostname: '127.0.0.1' }, (addr) => {
  const info: SandboxInfo = {
    webPort: sandbox.port,
    imap: { host: dovecot.host, port: dovecot.port },
    provisionUrl: `http://127.0.0.1:${addr.port}/provision`,
    controlUrl: sandbox.controlUrl,
    sites: sandbox.sites,
  };
  mkdirSync(path.dirname(sandboxInfoFile(config)), { recursive: true });
  writeFileSync(sandboxInfoFile(config), JSON.stringify(info, null, 2));
  logger.info({ sites: sandbox.sites.length, web: sandbox.port, imap: dovecot.port }, 'sandbox ready');
});

let stopping = false;
async function stop(reason: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ reason }, 'sandbox stopping');
  rmSync(sandboxInfoFile(config), { force: true });
  controlServer.close();
  await sandbox.stop();
  await dovecot.stop();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
if (config.supervised) exitWithParent((reason) => void stop(reason));
