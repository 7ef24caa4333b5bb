// Rekey drives the system's Chromium (Debian package), never a browser that
// Playwright downloads: one binary, updated with the OS's security fixes.
import { accessSync, constants, statSync } from 'node:fs';

export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'] as const;

export class ChromiumNotFoundError extends Error {
  override name = 'ChromiumNotFoundError';
}

/**
 * The Chromium executable: `configured` (config.chromiumPath, i.e. CHROMIUM_PATH)
 * when given, which must then exist; otherwise the first of the usual Debian paths.
 */
export function findChromium(configured?: string, candidates: readonly string[] = CHROMIUM_CANDIDATES): string {
  if (configured) {
    if (isExecutableFile(configured)) return configured;
    // A wrong explicit path is a mistake to report, not a reason to pick another browser.
    throw new ChromiumNotFoundError(
      `CHROMIUM_PATH is ${configured}, but no executable file is there. Fix the path, or unset it and install Chromium: apt-get install -y chromium`,
    );
  }
  const found = candidates.find(isExecutableFile);
  if (found) return found;
  throw new ChromiumNotFoundError(
    `Chromium not found (looked for ${candidates.join(', ')}). Install it with: apt-get install -y chromium — or set CHROMIUM_PATH.`,
  );
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
