// Starts the sandbox sites as a process of their own (the dev demo, and tests
// whose worker runs elsewhere), prints one JSON line describing them, and
// stops cleanly on SIGINT/SIGTERM.
//
//   npx tsx sandbox/sites/main.ts [--port 7300] [--data-dir data/sandbox-sites]
//        [--mail-dir DIR] [--seed-user EMAIL:PASSWORD] [--sites a,b,c]
//
// Environment fallbacks: REKEY_SANDBOX_PORT, REKEY_SANDBOX_DATA_DIR.
// Mail goes to `<mail-dir>/<recipient>/<time>.eml` (default `<data-dir>/outbox`);
// texted codes and deliveries are logged to stderr as JSON lines.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Secret } from 'otpauth';
import { startSandbox } from './index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    'mail-dir': { type: 'string' },
    'seed-user': { type: 'string', multiple: true },
    sites: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log('Usage: tsx sandbox/sites/main.ts [--port N] [--data-dir DIR] [--mail-dir DIR] [--seed-user EMAIL:PASSWORD]... [--sites slug,slug]');
  process.exit(0);
}

const port = Number(values.port ?? process.env.REKEY_SANDBOX_PORT ?? 7300);
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port ${String(values.port ?? process.env.REKEY_SANDBOX_PORT)}`);
const dataDir = resolve(values['data-dir'] ?? process.env.REKEY_SANDBOX_DATA_DIR ?? 'data/sandbox-sites');
const mailDir = resolve(values['mail-dir'] ?? join(dataDir, 'outbox'));
const log = (event: Record<string, unknown>) => process.stderr.write(`${JSON.stringify({ at: new Date().toISOString(), ...event })}\n`);
let sequence = 0;

const sandbox = await startSandbox({
  port,
  dataDir,
  ...(values.sites ? { sites: values.sites.split(',').map((s) => s.trim()) } : {}),
  deliver: async (to, raw) => {
    const dir = join(mailDir, to.replace(/[^\w.@+-]/g, '_'));
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${++sequence}.eml`);
    await writeFile(file, raw);
    log({ event: 'mail', to, file, subject: /^Subject: (.*)$/m.exec(raw)?.[1] });
  },
  sms: (phone, text) => log({ event: 'sms', phone, text }),
});

const seeded: { email: string; totpSecret: string; phone: string }[] = [];
for (const spec of values['seed-user'] ?? []) {
  const split = spec.indexOf(':');
  if (split < 1) throw new Error(`--seed-user expects EMAIL:PASSWORD, got ${spec}`);
  const email = spec.slice(0, split);
  const password = spec.slice(split + 1);
  // Derived from the email so a restart over kept accounts prints the secret they really have (dev only).
  const digest = createHash('sha256').update(`rekey-sandbox-totp:${email.toLowerCase()}`).digest();
  const totpSecret = new Secret({ buffer: new Uint8Array(digest.subarray(0, 20)).buffer }).base32;
  const phone = '+15555550100';
  for (const site of sandbox.sites) sandbox.createUser(site.slug, { email, password, totpSecret, phone }, { onConflict: 'keep' });
  seeded.push({ email, totpSecret, phone });
}

console.log(
  JSON.stringify({
    port: sandbox.port,
    controlUrl: sandbox.controlUrl,
    dataDir,
    mailDir,
    seeded,
    sites: sandbox.sites.map(({ slug, name, kind, origin, loginUrl, resetUrl, changePasswordUrl, otp, captcha }) => ({
      slug,
      name,
      kind,
      origin,
      loginUrl,
      resetUrl,
      changePasswordUrl,
      otp,
      captcha,
    })),
  }),
);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  log({ event: 'stopping', signal });
  sandbox.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
