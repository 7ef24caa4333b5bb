// Runs `temporal server start-dev` with the settings of temporal-dev.yaml and
// makes sure the namespace and Rekey's search attributes exist (also in a
// persisted namespace created by an earlier start with fewer attributes).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, createWriteStream } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { projectRoot } from '../config.js';
import { waitForPort } from '../free-port.js';
import { ensureSearchAttributes } from './search-attributes.js';
import type { TemporalDevSettings } from './dev-settings.js';

export interface DevServerOptions {
  cliPath: string;
  settings: TemporalDevSettings;
  port?: number;
  uiPort?: number;
  /** Absolute, or relative to the project root. */
  dbFile?: string;
  codecEndpoint?: string;
  /** Where the server's own output goes (default: data/logs/temporal.log). */
  logFile?: string;
  headless?: boolean;
}

export interface DevServer {
  address: string;
  uiUrl: string;
  namespace: string;
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

export function devServerArgs(opts: DevServerOptions): string[] {
  const { settings } = opts;
  const port = opts.port ?? settings.server.port;
  const dbFile = path.resolve(projectRoot, opts.dbFile ?? settings.server.dbFile);
  const args = [
    'server', 'start-dev',
    '--ip', settings.server.ip,
    '--port', String(port),
    '--db-filename', dbFile,
    '--namespace', settings.namespace,
    '--log-level', settings.server.logLevel,
  ];
  if (opts.headless) args.push('--headless');
  else args.push('--ui-port', String(opts.uiPort ?? settings.server.uiPort));
  for (const [key, kind] of Object.entries(settings.searchAttributes)) args.push('--search-attribute', `${key}=${kind}`);
  for (const [key, value] of Object.entries(settings.dynamicConfig)) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  if (opts.codecEndpoint && !opts.headless) args.push('--ui-codec-endpoint', opts.codecEndpoint);
  return args;
}

export async function startTemporalDevServer(opts: DevServerOptions): Promise<DevServer> {
  const { settings } = opts;
  const port = opts.port ?? settings.server.port;
  const uiPort = opts.uiPort ?? settings.server.uiPort;
  const dbFile = path.resolve(projectRoot, opts.dbFile ?? settings.server.dbFile);
  mkdirSync(path.dirname(dbFile), { recursive: true });
  const logFile = opts.logFile ?? path.join(projectRoot, 'data', 'logs', 'temporal.log');
  mkdirSync(path.dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile, { flags: 'a' });

  // Own process group, so stop() reaches everything the CLI starts.
  const child = spawn(opts.cliPath, devServerArgs(opts), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));

  const stop = async () => {
    if (exited) return;
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const killer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 10_000);
    await exit;
    clearTimeout(killer);
    log.end();
  };

  const address = `${settings.server.ip}:${port}`;
  try {
    await Promise.race([
      waitForPort(port, settings.server.ip, 60_000),
      exit.then(() => {
        throw new Error(`temporal server start-dev exited early; see ${logFile}`);
      }),
    ]);
    const connection = await Connection.connect({ address, connectTimeout: 10_000 });
    try {
      await waitForNamespace(connection, settings.namespace);
      await ensureSearchAttributes(connection, settings.namespace, settings.searchAttributes);
    } finally {
      await connection.close();
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { address, uiUrl: `http://localhost:${uiPort}`, namespace: settings.namespace, pid: child.pid!, child, stop };
}

async function waitForNamespace(connection: Connection, namespace: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await connection.workflowService.describeNamespace({ namespace });
      return;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`namespace ${namespace} not ready: ${(e as Error).message}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
