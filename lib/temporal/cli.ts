// Finds (or obtains) the Temporal CLI, whose `server start-dev` is Rekey's
// local Temporal. Order: $TEMPORAL_CLI, `temporal` on PATH, our cache, the
// official download, a build from the Go module proxy. The binary is cached
// per version and never committed.
import { execFile, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync, writeFileSync, chmodSync, accessSync, constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ResolveCliOptions {
  version: string;
  /** $TEMPORAL_CLI */
  explicitPath?: string;
  /** Skip the official download (tests, CI, machines without internet). */
  allowDownload?: boolean;
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

export async function resolveTemporalCli(opts: ResolveCliOptions): Promise<string> {
  const log = opts.log ?? (() => {});
  if (opts.explicitPath) {
    if (!isExecutable(opts.explicitPath)) throw new Error(`TEMPORAL_CLI=${opts.explicitPath} is not an executable file`);
    return opts.explicitPath;
  }
  const onPath = findOnPath('temporal');
  if (onPath) return onPath;

  const dir = temporalCacheDir(opts.version);
  const cached = path.join(dir, 'temporal');
  if (isExecutable(cached)) return cached;
  mkdirSync(dir, { recursive: true });

  if (opts.allowDownload !== false) {
    try {
      log(`Downloading Temporal CLI v${opts.version}…`);
      await downloadOfficial(opts.version, cached);
      return cached;
    } catch (e) {
      log(`Official download unavailable (${(e as Error).message}); building from the Go module proxy instead.`);
    }
  }
  log(`Building Temporal CLI v${opts.version} from the Go module proxy (first run only, a few minutes)…`);
  await buildWithGo(opts.version, dir);
  if (!isExecutable(cached)) throw new Error(`go build finished but ${cached} is missing`);
  return cached;
}

async function downloadOfficial(version: string, target: string): Promise<void> {
  const platform = process.platform === 'darwin' ? 'darwin' : 'linux';
  const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
  const url = `https://temporal.download/cli/archive/v${version}?platform=${platform}&arch=${arch}`;
  const res = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
  // The archive is a .tar.gz holding the `temporal` binary; the system tar unpacks it.
  const gz = path.join(path.dirname(target), 'cli.tar.gz');
  await pipeline(res.body as unknown as NodeJS.ReadableStream, createWriteStream(gz));
  await run('tar', ['-xzf', gz, '-C', path.dirname(target), 'temporal']);
  rmSync(gz, { force: true });
  chmodSync(target, 0o755);
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
      'The Temporal CLI is not installed and Go is not available to build it. Install it ' +
        '(https://docs.temporal.io/cli), put `temporal` on PATH, set TEMPORAL_CLI, or install Go 1.24+.',
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
