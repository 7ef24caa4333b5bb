// Finding programs the way a shell would, plus the `sbin` beside each `bin`:
// Dovecot lives in /usr/sbin, which is not on an ordinary user's PATH. The
// lookups that decide whether Chromium and Dovecot are "installed" use these
// directories only, so what PATH hides is hidden (tests rely on that).
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/** The directories of a PATH value, each `…/bin` followed by its sibling `…/sbin`. */
export function executableSearchDirs(pathValue: string | undefined): string[] {
  const dirs: string[] = [];
  for (const dir of (pathValue ?? '').split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue; // a relative PATH entry depends on the cwd: never trusted
    dirs.push(dir);
    if (path.basename(dir) === 'bin') dirs.push(path.join(path.dirname(dir), 'sbin'));
  }
  return [...new Set(dirs)];
}

/** The first `dir/name` that is an executable file, over names then dirs. */
export function findExecutable(names: readonly string[], dirs: readonly string[]): string | undefined {
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

export function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
