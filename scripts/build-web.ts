// Builds the web UI (web/ → web/dist) with Vite's JS API when web/dist is
// missing or older than any web source. `npm start` and `npm test` call
// `ensureWebBuilt()`; `npx tsx scripts/build-web.ts [--force]` runs it by hand.
// Two processes asking at once (parallel test files) build once: the first
// takes a lock file, the others wait for it and find the build fresh.
import { existsSync, mkdirSync, openSync, closeSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const webDir = fileURLToPath(new URL('../web/', import.meta.url));
export const webDistDir = path.join(webDir, 'dist');
const marker = path.join(webDistDir, 'index.html');
const lockFile = path.join(webDir, '.build.lock');
const STALE_LOCK_MS = 5 * 60_000;

/** The newest modification time among the sources the build reads. */
function newestSourceMtime(): number {
  let newest = 0;
  const visit = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) for (const name of readdirSync(p)) visit(path.join(p, name));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const name of ['src', 'index.html', 'vite.config.ts', 'tsconfig.json']) {
    const p = path.join(webDir, name);
    if (existsSync(p)) visit(p);
  }
  visit(path.join(webDir, '..', 'package-lock.json'));
  return newest;
}

export function webBuildIsFresh(): boolean {
  return existsSync(marker) && statSync(marker).mtimeMs >= newestSourceMtime();
}

function tryLock(): boolean {
  try {
    closeSync(openSync(lockFile, 'wx'));
    return true;
  } catch {
    // A lock left by a killed build would block every later one.
    try {
      if (Date.now() - statSync(lockFile).mtimeMs > STALE_LOCK_MS) rmSync(lockFile, { force: true });
    } catch {
      /* gone meanwhile */
    }
    return false;
  }
}

export async function ensureWebBuilt(opts: { force?: boolean; log?: (message: string) => void } = {}): Promise<{ built: boolean }> {
  const log = opts.log ?? ((m: string) => console.log(`[web] ${m}`));
  if (!opts.force && webBuildIsFresh()) return { built: false };
  const deadline = Date.now() + STALE_LOCK_MS;
  while (!tryLock()) {
    if (Date.now() > deadline) throw new Error(`web build lock ${lockFile} is held too long`);
    await new Promise((r) => setTimeout(r, 200));
    if (!opts.force && webBuildIsFresh()) return { built: false };
  }
  try {
    if (!opts.force && webBuildIsFresh()) return { built: false };
    const started = Date.now();
    log('building the web UI…');
    const { build } = await import('vite');
    mkdirSync(webDistDir, { recursive: true });
    // Vite sets process.env.NODE_ENV=production for the build; npm start and npm
    // test run it in-process, and their children must keep the environment they had.
    const nodeEnv = process.env.NODE_ENV;
    try {
      await build({ root: webDir, configFile: path.join(webDir, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
    }
    log(`web UI built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { built: true };
  } finally {
    rmSync(lockFile, { force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureWebBuilt({ force: process.argv.includes('--force') }).then(
    ({ built }) => {
      if (!built) console.log('[web] web/dist is up to date');
    },
    (err) => {
      console.error(`[web] build failed: ${(err as Error).message}`);
      process.exit(1);
    },
  );
}
