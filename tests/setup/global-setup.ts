// Once per test run: one real Temporal dev server (free ports, throwaway
// database), the workflow bundle, and migrated template databases (SQLite
// file and PostgreSQL database) that each test file copies in milliseconds.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../lib/free-port.js';
import { resolveTemporalCli } from '../../lib/temporal/cli.js';
import { loadDevSettings } from '../../lib/temporal/dev-settings.js';
import { startTemporalDevServer, type DevServer } from '../../lib/temporal/dev-server.js';
import { loadWorkflowBundle } from '../../worker/bundle.js';
import { dropTemplates, prepareTemplates, type TestDbTemplates } from '../support/db-templates.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalNamespace: string;
    temporalCliPath: string;
    workDir: string;
    dbTemplates: TestDbTemplates;
    workflowBundlePath: string;
  }
}

let server: DevServer | undefined;
let workDir: string | undefined;
let templates: TestDbTemplates | undefined;

export async function setup(project: TestProject) {
  workDir = mkdtempSync(path.join(os.tmpdir(), 'rekey-test-'));
  const settings = loadDevSettings();
  const cliPath = await resolveTemporalCli({
    version: settings.cli.version,
    explicitPath: process.env.TEMPORAL_CLI,
    log: (m) => console.log(m),
  });
  let bundleFile: string;
  [templates, bundleFile] = await Promise.all([
    prepareTemplates(workDir),
    (async () => {
      await loadWorkflowBundle({ cacheDir: path.join(workDir!, 'bundle') });
      const { workflowBundleHash } = await import('../../worker/bundle.js');
      return path.join(workDir!, 'bundle', `workflow-bundle-${workflowBundleHash()}.js`);
    })(),
  ]);
  server = await startTemporalDevServer({
    cliPath,
    settings,
    port: await freePort(),
    headless: true,
    dbFile: path.join(workDir, 'temporal.db'),
    logFile: path.join(workDir, 'temporal.log'),
  });
  project.provide('temporalAddress', server.address);
  project.provide('temporalNamespace', server.namespace);
  project.provide('temporalCliPath', cliPath);
  project.provide('workDir', workDir);
  project.provide('dbTemplates', templates);
  project.provide('workflowBundlePath', bundleFile);
}

export async function teardown() {
  await server?.stop();
  if (templates) await dropTemplates(templates);
  if (workDir) rmSync(workDir, { recursive: true, force: true });
}
