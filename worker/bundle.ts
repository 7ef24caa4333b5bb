// The workflow bundle. Building it (webpack) takes seconds, so it is cached
// under data/cache keyed by a hash of everything that goes into it; a warm
// start or a test run reuses it. Production can prebuild it the same way.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { projectRoot } from '../lib/config.js';
import { failureConverterPath } from '../lib/temporal/connection.js';

const workflowsDir = path.join(projectRoot, 'workflows');
/** Files outside workflows/ that workflow code imports (pure modules only). */
const sharedFiles = ['lib/errors.ts', 'lib/temporal/failure-converter.cjs'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : /\.ts$/.test(name) ? [full] : [];
  });
}

export function workflowBundleHash(): string {
  const hash = createHash('sha256');
  const files = [...sourceFiles(workflowsDir), ...sharedFiles.map((f) => path.join(projectRoot, f))].sort();
  for (const file of files) hash.update(path.relative(projectRoot, file)).update(readFileSync(file));
  const sdk = JSON.parse(readFileSync(path.join(projectRoot, 'node_modules/@temporalio/workflow/package.json'), 'utf8')).version;
  return hash.update(sdk).digest('hex').slice(0, 16);
}

export async function loadWorkflowBundle(opts: { cacheDir?: string; log?: (m: string) => void } = {}): Promise<{ code: string }> {
  const cacheDir = opts.cacheDir ?? path.join(projectRoot, 'data', 'cache');
  const file = path.join(cacheDir, `workflow-bundle-${workflowBundleHash()}.js`);
  if (existsSync(file)) return { code: readFileSync(file, 'utf8') };
  opts.log?.('Bundling workflows…');
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.join(workflowsDir, 'index.ts'),
    failureConverterPath,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: (m) => opts.log?.(m), error: (m) => opts.log?.(m) },
  });
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, code);
  renameSync(tmp, file); // atomic: parallel test workers may build at once
  return { code };
}
