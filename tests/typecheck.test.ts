// The suite runs TypeScript through esbuild, which strips types without
// checking them, and Vite builds the web UI the same way. So the type check
// is a test of its own: the server code (tsconfig.json) and the web UI
// (web/tsconfig.json), with the compiler's own messages when it fails.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../lib/config.js';

const run = promisify(execFile);
const tsc = path.join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc');

async function typecheck(project: string): Promise<string> {
  try {
    // Niced: the check has no time bound, the browser tests running beside it do.
    await run('nice', ['-n', '10', process.execPath, tsc, '--noEmit', '--pretty', 'false', '-p', project], { cwd: projectRoot, maxBuffer: 16 * 1024 * 1024 });
    return '';
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    return `${e.stdout ?? ''}${e.stderr ?? ''}` || e.message;
  }
}

describe('types', { timeout: 240_000 }, () => {
  it('the server, workers, scripts and tests type-check', async () => {
    expect(await typecheck('tsconfig.json')).toBe('');
  });

  it('the web UI type-checks', async () => {
    expect(await typecheck('web/tsconfig.json')).toBe('');
  });
});
