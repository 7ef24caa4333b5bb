// Rekey drives a Chromium that is already on the machine — never a browser it
// downloads: one binary, updated with the OS's security fixes. Where it looks,
// in order (the first found wins):
//   1. CHROMIUM_PATH, which must then exist (a wrong explicit path is reported,
//      not silently replaced by another browser);
//   2. a system browser: `chromium`, `chromium-browser`, `google-chrome` … in the
//      PATH directories (on macOS also the usual application bundles);
//   3. a browser the person installed with `npx playwright install chromium`
//      (~/.cache/ms-playwright/chromium-<revision>/…), the newest revision.
// Used by the worker and by `npm start` / `npm test` (scripts/provision.ts).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { findExecutable, isExecutableFile } from '../../lib/executables.js';

export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'] as const;

/** Names a system Chromium goes by on PATH (Debian's package is `chromium`). */
export const SYSTEM_BROWSER_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'] as const;

const MACOS_APPLICATIONS = [
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
] as const;

/** Inside a Playwright `chromium-<revision>` directory, per platform and Playwright version. */
const PLAYWRIGHT_EXECUTABLES = [
  'chrome-linux/chrome',
  'chrome-linux64/chrome',
  'chrome-mac/Chromium.app/Contents/MacOS/Chromium',
  'chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
] as const;

export class ChromiumNotFoundError extends Error {
  override name = 'ChromiumNotFoundError';
}

export type ChromiumSource = 'CHROMIUM_PATH' | 'system' | 'Playwright cache';

export interface ChromiumSearch {
  /** config.chromiumPath (CHROMIUM_PATH). */
  configured?: string;
  /** config.tools.searchDirs: where a system browser counts as installed. */
  searchDirs: readonly string[];
  /** config.tools.playwrightBrowsersDir. */
  playwrightBrowsersDir?: string;
  /** Absolute paths tried after PATH (macOS application bundles by default). */
  applications?: readonly string[];
}

/**
 * The browser and where it came from, or undefined when there is none.
 * Throws ChromiumNotFoundError only for a CHROMIUM_PATH that points nowhere.
 */
export function locateChromium(search: ChromiumSearch): { path: string; source: ChromiumSource } | undefined {
  if (search.configured) {
    if (isExecutableFile(search.configured)) return { path: search.configured, source: 'CHROMIUM_PATH' };
    throw new ChromiumNotFoundError(
      `CHROMIUM_PATH is ${search.configured}, but no executable file is there. Fix the path, or unset it and install Chromium: apt-get install -y chromium`,
    );
  }
  const onPath = findExecutable(SYSTEM_BROWSER_NAMES, search.searchDirs);
  if (onPath) return { path: onPath, source: 'system' };
  const applications = search.applications ?? (process.platform === 'darwin' ? MACOS_APPLICATIONS : []);
  const app = applications.find(isExecutableFile);
  if (app) return { path: app, source: 'system' };
  const fromPlaywright = search.playwrightBrowsersDir ? newestPlaywrightChromium(search.playwrightBrowsersDir) : undefined;
  if (fromPlaywright) return { path: fromPlaywright, source: 'Playwright cache' };
  return undefined;
}

/** `chromium-1187` beats `chromium-1169`; headless shells and other browsers are not candidates. */
function newestPlaywrightChromium(dir: string): string | undefined {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return undefined;
  }
  const revisions = entries
    .map((name) => ({ name, revision: /^chromium-(\d+)$/.exec(name)?.[1] }))
    .filter((e): e is { name: string; revision: string } => e.revision !== undefined)
    .sort((a, b) => Number(b.revision) - Number(a.revision));
  for (const { name } of revisions) {
    const found = PLAYWRIGHT_EXECUTABLES.map((rel) => path.join(dir, name, rel)).find(isExecutableFile);
    if (found) return found;
  }
  return undefined;
}

/**
 * The Chromium executable: `configured` (config.chromiumPath, i.e. CHROMIUM_PATH)
 * when given, which must then exist; otherwise the first of `candidates`.
 * For tests and tools on this machine; the worker and `npm start` use locateChromium.
 */
export function findChromium(configured?: string, candidates: readonly string[] = CHROMIUM_CANDIDATES): string {
  const found = locateChromium({ configured, searchDirs: [], applications: candidates });
  if (found) return found.path;
  throw new ChromiumNotFoundError(
    `Chromium not found (looked for ${candidates.join(', ')}). Install it with: apt-get install -y chromium — or set CHROMIUM_PATH.`,
  );
}
