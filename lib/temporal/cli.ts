// Finds (or obtains) the Temporal CLI, whose `server start-dev` is Rekey's
// local Temporal. Order: $TEMPORAL_CLI, `temporal` on PATH, our cache, a build
// from the Go module proxy. Rekey fetches only from the Go module proxy, Debian
// and npm, so there is deliberately no download of the official release archive.
// The binary is cached per version and never committed.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync, accessSync, constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ResolveCliOptions {
  version: string;
  /** $TEMPORAL_CLI */
  explicitPath?: string;
  log?: (msg: string) => void;
}

export function temporalCacheDir(version: string): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'rekey', 'temporal-cli', `v${version}`);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Where the CLI came from: the provisioner prints it. */
export type TemporalCliSource = 'TEMPORAL_CLI' | 'PATH' | 'cache' | 'built from the Go module proxy';

export async function resolveTemporalCli(opts: ResolveCliOptions): Promise<string> {
  return (await locateTemporalCli(opts)).path;
}

export async function locateTemporalCli(opts: ResolveCliOptions): Promise<{ path: string; source: TemporalCliSource }> {
  const log = opts.log ?? (() => {});
  if (opts.explicitPath) {
    if (!isExecutable(opts.explicitPath)) throw new Error(`TEMPORAL_CLI=${opts.explicitPath} is not an executable file`);
    return { path: opts.explicitPath, source: 'TEMPORAL_CLI' };
  }
  const onPath = findOnPath('temporal');
  if (onPath) return { path: onPath, source: 'PATH' };

  const dir = temporalCacheDir(opts.version);
  const cached = path.join(dir, 'temporal');
  if (isExecutable(cached)) return { path: cached, source: 'cache' };
  mkdirSync(dir, { recursive: true });

  log(`Building Temporal CLI v${opts.version} from the Go module proxy (first run only, a few minutes)…`);
  await buildWithGo(opts.version, dir);
  if (!isExecutable(cached)) throw new Error(`go build finished but ${cached} is missing`);
  return { path: cached, source: 'built from the Go module proxy' };
}

/**
 * `go install …@v1.6.0+` fails because the module's go.mod carries a `replace`
 * (cliext); v1.5.x installs as is. For newer versions we build from a small
 * wrapper module that requires the CLI and repeats that replace.
 */
async function buildWithGo(version: string, dir: string): Promise<void> {
  const go = findOnPath('go') ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (!go) {
    throw new Error(
      'The Temporal CLI is not installed and Go is not available to build it from the Go module proxy. ' +
        'Install Go 1.24 or newer, or put a `temporal` binary on PATH or in TEMPORAL_CLI.',
    );
  }
  const [major, minor] = version.split('.').map(Number);
  const ldflags = `-X github.com/temporalio/cli/temporalcli.Version=${version} -X github.com/temporalio/cli/internal/temporalcli.Version=${version}`;
  const env = { ...process.env, CGO_ENABLED: '0', GOBIN: dir, GOFLAGS: '-mod=mod' };
  if (major === 1 && (minor ?? 0) < 6) {
    await runLogged(go, ['install', '-ldflags', ldflags, `github.com/temporalio/cli/cmd/temporal@v${version}`], { env });
    return;
  }
  const work = path.join(dir, 'wrapper');
  mkdirSync(work, { recursive: true });
  writeFileSync(path.join(work, 'go.mod'), 'module rekey/temporalcli\n\ngo 1.24\n');
  writeFileSync(
    path.join(work, 'main.go'),
    'package main\n\nimport _ "github.com/temporalio/cli/cmd/temporal"\n\nfunc main() {}\n',
  );
  await runLogged(go, ['get', `github.com/temporalio/cli@v${version}`], { env, cwd: work });
  // Repeat the CLI's own replace of cliext with the pseudo-version at the same commit.
  const { stdout } = await run(go, ['mod', 'download', '-json', `github.com/temporalio/cli@v${version}`], { env, cwd: work });
  const modDir = JSON.parse(stdout).Dir as string;
  const { stdout: goMod } = await run('cat', [path.join(modDir, 'go.mod')]);
  for (const m of goMod.matchAll(/^replace\s+(\S+)\s+=>\s+(\S+)(?:\s+(\S+))?/gm)) {
    const target = m[3] ? `${m[2]}@${m[3]}` : path.join(modDir, m[2]!);
    await runLogged(go, ['mod', 'edit', `-replace=${m[1]}=${target}`], { env, cwd: work });
  }
  await runLogged(go, ['mod', 'tidy'], { env, cwd: work });
  await runLogged(go, ['build', '-o', path.join(dir, 'temporal.tmp'), '-ldflags', ldflags, 'github.com/temporalio/cli/cmd/temporal'], { env, cwd: work });
  renameSync(path.join(dir, 'temporal.tmp'), path.join(dir, 'temporal'));
}

function runLogged(cmd: string, args: string[], opts: { env: NodeJS.ProcessEnv; cwd?: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
  });
}
