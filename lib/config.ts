// The one place that reads the environment. Everything else receives a
// `Config`. Values are parsed with zod at start so a typo fails loudly, with the
// variable's name, before any process is spawned.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { executableSearchDirs } from './executables.js';
import type { PrivateTargets } from './net/target-guard.js';

export const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** The unprivileged user Chromium runs as when the worker is root (activities/browser/browser-user.ts). */
export const DEFAULT_BROWSER_USER = 'rekey-browser';

const bool = z
  .enum(['true', 'false', '1', '0', 'on', 'off', 'yes', 'no'])
  .transform((v) => ['true', '1', 'on', 'yes'].includes(v));

/** "10m", "90s", "1500ms", "2h" or a bare number of milliseconds. */
export function parseDuration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(value.trim());
  if (!m) throw new Error(`"${value}" is not a duration (use e.g. 500ms, 30s, 10m, 1h)`);
  const n = Number(m[1]);
  const unit = m[2] ?? 'ms';
  return Math.round(n * { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[unit]!);
}
const duration = z.string().transform((v, ctx) => {
  try {
    return parseDuration(v);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
    return z.NEVER;
  }
});

const url = (protocols: string[]) =>
  z.string().refine((v) => {
    try {
      return protocols.includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, `must be a URL (${protocols.join(' or ')})`);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  APP_ORIGIN: url(['http:', 'https:']).optional(),
  REKEY_DATA_DIR: z.string().optional(),
  DATABASE_URL: z
    .string()
    .refine((v) => /^(file:|postgres(ql)?:\/\/)/.test(v), 'must start with file: (SQLite) or postgresql:// (PostgreSQL)')
    .optional(),
  TEMPORAL_ADDRESS: z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port').optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('rekey'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('rekey-resets'),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_TLS: bool.optional(),
  TEMPORAL_TLS_CERT: z.string().optional(),
  TEMPORAL_TLS_KEY: z.string().optional(),
  TEMPORAL_CLI: z.string().optional(),
  TEMPORAL_DEV_CONFIG: z.string().optional(),
  TEMPORAL_UI_ORIGIN: url(['http:', 'https:']).default('http://localhost:8233'),
  REKEY_MASTER_KEY: z.string().optional(),
  SMTP_URL: url(['smtp:', 'smtps:']).optional(),
  SMTP_FROM: z.string().default('Rekey <no-reply@rekey.local>'),
  // Development without SMTP_URL: account emails go to a local outbox that the
  // web UI shows (lib/email/dev-outbox.ts). On by default in development only.
  REKEY_DEV_OUTBOX: bool.optional(),
  CRON_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  CHROMIUM_PATH: z.string().optional(),
  // A worker running as root starts Chromium as this unprivileged user, so that its sandbox is on.
  REKEY_BROWSER_USER: z
    .string()
    .regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'must be a user name (lower-case letters, digits, _ and -)')
    .default(DEFAULT_BROWSER_USER),
  // Where Chromium and Dovecot are looked for (see scripts/provision.ts).
  PATH: z.string().optional(),
  PLAYWRIGHT_BROWSERS_PATH: z.string().optional(),
  XDG_CACHE_HOME: z.string().optional(),
  REKEY_PROVISION: z.enum(['auto', 'off']).default('auto'),
  REKEY_WORKER_CHECK: bool.optional(),
  // Unset: no private target, except the sandbox's own listeners when the sandbox is on.
  REKEY_ALLOW_PRIVATE_TARGETS: bool.optional(),
  REKEY_SANDBOX: bool.optional(),
  REKEY_SANDBOX_PORT: z.coerce.number().int().min(1).max(65535).default(4600),
  REKEY_SANDBOX_IMAP_PORT: z.coerce.number().int().min(1).max(65535).default(4143),
  REKEY_EMAIL_WAIT: duration.default(10 * 60_000),
  REKEY_OTP_WAIT: duration.default(10 * 60_000),
  REKEY_CAPTCHA_WAIT: duration.default(15 * 60_000),
  REKEY_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  // Behind a reverse proxy: how many proxies append to X-Forwarded-For (true = 1).
  // Unset/false: the client address is the socket's and X-Forwarded-For is ignored.
  REKEY_TRUST_PROXY: z
    .string()
    .regex(/^(true|false|on|off|yes|no|\d{1,2})$/, 'must be true, false or a number of proxy hops')
    .transform((v) => (/^\d+$/.test(v) ? Number(v) : ['true', 'on', 'yes'].includes(v) ? 1 : 0))
    .optional(),
  // Argon2id cost for account passwords. The defaults are strong (64 MiB, 3
  // passes); outside NODE_ENV=test anything below OWASP's minimum (19 MiB, 2
  // passes) is refused at start. Tests default to a cheap cost.
  REKEY_ARGON2_MEMORY_KIB: z.coerce.number().int().min(8).max(4_194_304).optional(),
  REKEY_ARGON2_TIME_COST: z.coerce.number().int().min(1).max(20).optional(),
  REKEY_ARGON2_PARALLELISM: z.coerce.number().int().min(1).max(16).optional(),
  REKEY_SUPERVISED: bool.optional(),
  // Development only: /codec answers a caller on loopback with TEMPORAL_UI_ORIGIN's Origin
  // without a staff key, for the local dev server's UI. `npm start` turns it on for the dev
  // server it runs; refused in production and behind a proxy.
  REKEY_CODEC_DEV_BYPASS: bool.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = ReturnType<typeof buildConfig>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Loopback names a browser may use for this machine; HOST's default (127.0.0.1) answers both. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1'];

/**
 * The origins the app answers as its own. APP_ORIGIN itself; in development,
 * when it names a loopback host, also its twin under the other loopback name
 * (same scheme and port): `npm start` prints http://localhost:3000 and listens
 * on 127.0.0.1, and a person may type either. Production trusts APP_ORIGIN only.
 */
export function ownOrigins(appOrigin: string, production: boolean): string[] {
  const own = new URL(appOrigin);
  if (production || !LOOPBACK_NAMES.includes(own.hostname)) return [own.origin];
  const twins = LOOPBACK_NAMES.filter((name) => name !== own.hostname).map((name) => {
    const twin = new URL(own.origin);
    twin.hostname = name;
    return twin.origin;
  });
  return [own.origin, ...twins];
}

/**
 * Where the sandbox listens (sandbox/main.ts binds its sites and Dovecot to
 * 127.0.0.1 on these ports): the only private targets allowed by default.
 */
function sandboxListeners(env: z.infer<typeof envSchema>): PrivateTargets {
  return [
    { address: '127.0.0.1', port: env.REKEY_SANDBOX_PORT },
    { address: '127.0.0.1', port: env.REKEY_SANDBOX_IMAP_PORT },
  ];
}

function buildConfig(env: z.infer<typeof envSchema>) {
  const production = env.NODE_ENV === 'production';
  const appOrigin = (env.APP_ORIGIN ?? `http://localhost:${env.PORT}`).replace(/\/$/, '');
  const dataDir = path.resolve(env.REKEY_DATA_DIR ?? path.join(projectRoot, 'data'));
  const databaseUrl = env.DATABASE_URL ?? `file:${path.join(dataDir, 'rekey.db')}`;
  const sandbox = env.REKEY_SANDBOX ?? !production;
  return {
    env: env.NODE_ENV,
    production,
    port: env.PORT,
    host: env.HOST,
    /** The app's address in links it sends (emails, the phone OTP link) and what `npm start` prints. */
    appOrigin,
    /** Origins accepted as the app's own (CSRF): APP_ORIGIN first, plus its loopback twin in development. */
    appOrigins: ownOrigins(appOrigin, production),
    dataDir,
    database: {
      url: databaseUrl,
      provider: databaseUrl.startsWith('file:') ? ('sqlite' as const) : ('postgresql' as const),
    },
    temporal: {
      /** Unset: `npm start` runs the local dev server from temporal-dev.yaml. */
      address: env.TEMPORAL_ADDRESS,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      apiKey: env.TEMPORAL_API_KEY,
      tls: env.TEMPORAL_TLS ?? Boolean(env.TEMPORAL_API_KEY || env.TEMPORAL_TLS_CERT),
      tlsCertPath: env.TEMPORAL_TLS_CERT,
      tlsKeyPath: env.TEMPORAL_TLS_KEY,
      cliPath: env.TEMPORAL_CLI,
      devConfigPath: path.resolve(projectRoot, env.TEMPORAL_DEV_CONFIG ?? 'temporal-dev.yaml'),
      uiOrigin: env.TEMPORAL_UI_ORIGIN.replace(/\/$/, ''),
    },
    masterKeySource: env.REKEY_MASTER_KEY,
    smtp: { url: env.SMTP_URL, from: env.SMTP_FROM },
    /**
     * Where account emails go when there is no SMTP server in development:
     * one JSON file per email under data/dev-outbox, listed by GET /api/dev/outbox
     * on loopback. Null in production and whenever SMTP_URL is set.
     */
    devOutbox:
      (env.REKEY_DEV_OUTBOX ?? env.NODE_ENV === 'development') && !env.SMTP_URL && !production
        ? { dir: path.join(dataDir, 'dev-outbox') }
        : null,
    cronSecret: env.CRON_SECRET,
    chromiumPath: env.CHROMIUM_PATH,
    /** REKEY_BROWSER_USER: who Chromium runs as when the worker runs as root (its sandbox needs a user other than root). */
    browserUser: env.REKEY_BROWSER_USER,
    /** How the browser and Dovecot are found, and whether `npm start` may install them. */
    tools: {
      /** $PATH, plus the sbin beside each bin: nothing outside it counts as installed. */
      searchDirs: executableSearchDirs(env.PATH),
      /** Where `npx playwright install chromium` puts its browsers (Playwright's own default). */
      playwrightBrowsersDir:
        env.PLAYWRIGHT_BROWSERS_PATH ??
        (process.platform === 'darwin'
          ? path.join(os.homedir(), 'Library', 'Caches', 'ms-playwright')
          : path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'ms-playwright')),
      /** auto: install what is missing from Debian when root; off: only find, and say what to run. */
      provision: env.REKEY_PROVISION,
    },
    /**
     * Refuse a new reset (503) while no worker with a browser polls the reset
     * queues. Off under NODE_ENV=test, where most API tests start resets with no
     * worker on purpose; the tests of the check turn it on.
     */
    resetWorkerCheck: env.REKEY_WORKER_CHECK ?? env.NODE_ENV !== 'test',
    /**
     * Loopback and private targets Rekey may reach (resets, the browser, webhooks,
     * mailboxes): all of them only with REKEY_ALLOW_PRIVATE_TARGETS=true; else just
     * the sandbox's own web and IMAP listeners, when the sandbox is on.
     */
    allowPrivateTargets: env.REKEY_ALLOW_PRIVATE_TARGETS ?? (sandbox ? sandboxListeners(env) : false),
    sandbox,
    sandboxPorts: { web: env.REKEY_SANDBOX_PORT, imap: env.REKEY_SANDBOX_IMAP_PORT },
    waits: { emailMs: env.REKEY_EMAIL_WAIT, otpMs: env.REKEY_OTP_WAIT, captchaMs: env.REKEY_CAPTCHA_WAIT },
    retentionDays: env.REKEY_RETENTION_DAYS,
    /** Proxy hops whose X-Forwarded-For entries are trusted; 0 = use the socket address. */
    trustProxyHops: env.REKEY_TRUST_PROXY ?? 0,
    /**
     * /codec without a staff key for a loopback caller with the local UI's Origin
     * (REKEY_CODEC_DEV_BYPASS). Off unless set: the Origin is the caller's to
     * choose, so this is for a developer's own machine only.
     */
    codecDevBypass: env.REKEY_CODEC_DEV_BYPASS ?? false,
    passwordHashing: {
      memoryCost: env.REKEY_ARGON2_MEMORY_KIB ?? (env.NODE_ENV === 'test' ? 1_024 : 65_536),
      timeCost: env.REKEY_ARGON2_TIME_COST ?? (env.NODE_ENV === 'test' ? 1 : 3),
      parallelism: env.REKEY_ARGON2_PARALLELISM ?? 1,
    },
    logLevel: env.LOG_LEVEL,
    /** Started by scripts/start.ts: exit if that parent goes away. */
    supervised: env.REKEY_SUPERVISED ?? false,
  };
}

/** Parses an environment (process.env by default); throws ConfigError naming each bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const picked = Object.fromEntries(
    Object.keys(envSchema.shape).map((k) => [k, source[k] === '' ? undefined : source[k]]),
  );
  const parsed = envSchema.safeParse(picked);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const config = buildConfig(parsed.data);
  const { memoryCost, timeCost } = config.passwordHashing;
  if (config.env !== 'test' && (memoryCost < 19_456 || timeCost < 2)) {
    throw new ConfigError(
      'Invalid configuration:\n  REKEY_ARGON2_MEMORY_KIB / REKEY_ARGON2_TIME_COST: below the safe minimum (19456 KiB and 2 passes); lower costs are for tests only',
    );
  }
  if (config.production && parsed.data.REKEY_DEV_OUTBOX) {
    throw new ConfigError(
      'Invalid configuration:\n  REKEY_DEV_OUTBOX: development only (it shows account emails, reset links included, to anyone on this machine); set SMTP_URL in production',
    );
  }
  if (parsed.data.REKEY_DEV_OUTBOX && parsed.data.SMTP_URL) {
    throw new ConfigError('Invalid configuration:\n  REKEY_DEV_OUTBOX: on together with SMTP_URL; account emails go to one place, so pick one');
  }
  if (config.codecDevBypass && (config.production || config.trustProxyHops > 0)) {
    throw new ConfigError(
      `Invalid configuration:\n  REKEY_CODEC_DEV_BYPASS: development only, and never behind a proxy (${config.production ? 'NODE_ENV=production' : 'REKEY_TRUST_PROXY is set'}): every request a proxy on this machine forwards comes from loopback, and the Origin header is the caller's to choose. Give staff an API key instead`,
    );
  }
  if (config.production && !config.masterKeySource) {
    throw new ConfigError(
      'Invalid configuration:\n  REKEY_MASTER_KEY: required in production (32 random bytes, base64 — e.g. `openssl rand -base64 32`)',
    );
  }
  return config;
}

let cached: Config | undefined;
export function getConfig(): Config {
  cached ??= loadConfig();
  return cached;
}

/**
 * The master key (32 bytes). From REKEY_MASTER_KEY when given (base64 or hex);
 * in development a key is generated into data/master.key on first start and
 * reused after, so a restart can still decrypt the vault.
 */
export function resolveMasterKey(config: Config): Buffer {
  if (config.masterKeySource) return decodeMasterKey(config.masterKeySource);
  const file = path.join(config.dataDir, 'master.key');
  if (existsSync(file)) return decodeMasterKey(readFileSync(file, 'utf8').trim());
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return key;
}

export function decodeMasterKey(value: string): Buffer {
  const raw = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (raw.length !== 32) {
    throw new ConfigError('REKEY_MASTER_KEY must be 32 bytes, base64 or hex encoded (e.g. `openssl rand -base64 32`)');
  }
  return raw;
}
