// Account enumeration by timing: how long a sign-in takes with a wrong
// password for an existing account and with an unknown email, and how long a
// sign-up takes for a new address and for a taken one, at the argon2 cost
// Rekey uses in production. The two figures of each pair should be close (the
// tests count the argon2 work that makes them so: tests/api/auth.test.ts).
// Prints medians and p90s; asserts nothing.
//
// The real app in process over a migrated SQLite database (the time is
// argon2's, not the database's); Temporal is never dialled.
//
//   npm run bench:auth       BENCH_ROUNDS=15 to change; REKEY_ARGON2_MEMORY_KIB
//                            and REKEY_ARGON2_TIME_COST for another cost
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createOfflineApp } from '../api/offline-app.js';
import { loadConfig } from '../lib/config.js';
import { migrateDatabase } from '../lib/db/migrate.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const PASSWORD = 'correct horse battery staple';

const work = mkdtempSync(path.join(os.tmpdir(), 'rekey-bench-auth-'));
try {
  const masterKey = randomBytes(32).toString('base64');
  const databaseUrl = `file:${path.join(work, 'bench.db')}`;
  await migrateDatabase(databaseUrl, { quiet: true });
  const { app, deps } = createOfflineApp({ databaseUrl, masterKey, dataDir: work, version: 'bench' });
  // The production cost (or the one asked for), not the test one.
  const cost = loadConfig({ NODE_ENV: 'production', REKEY_MASTER_KEY: masterKey, ...pick(process.env, 'REKEY_ARGON2_MEMORY_KIB', 'REKEY_ARGON2_TIME_COST') })
    .passwordHashing;
  deps.config.passwordHashing = cost;
  // Sign-in failures are throttled per account: move the clock past the window between attempts.
  let offsetMs = 0;
  deps.now = () => new Date(Date.now() + offsetMs);

  const post = (route: string, body: unknown) =>
    app.request(
      route,
      { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'bench' }, body: JSON.stringify(body) },
      { incoming: { socket: { remoteAddress: `203.0.113.${1 + (randomBytes(1)[0]! % 254)}` } } },
    );
  const timed = async (route: string, body: unknown, status: number): Promise<number> => {
    const started = performance.now();
    const res = await post(route, body);
    const ms = performance.now() - started;
    if (res.status !== status) throw new Error(`${route} answered ${res.status}, expected ${status}: ${await res.text()}`);
    offsetMs += 16 * 60_000;
    return ms;
  };
  const unknown = () => `bench-${randomBytes(5).toString('hex')}@example.com`;

  const existing = unknown();
  await timed('/api/auth/signup', { email: existing, password: PASSWORD }, 201);
  await timed('/api/auth/signin', { email: unknown(), password: 'not the password' }, 401); // makes the dummy hash

  const wrongPassword: number[] = [];
  const unknownEmail: number[] = [];
  const newAddress: number[] = [];
  const takenAddress: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    wrongPassword.push(await timed('/api/auth/signin', { email: existing, password: 'not the password' }, 401));
    unknownEmail.push(await timed('/api/auth/signin', { email: unknown(), password: 'not the password' }, 401));
    newAddress.push(await timed('/api/auth/signup', { email: unknown(), password: PASSWORD }, 201));
    takenAddress.push(await timed('/api/auth/signup', { email: existing, password: PASSWORD }, 409));
  }
  await deps.db.$disconnect();

  console.log(`argon2id m=${cost.memoryCost} KiB, t=${cost.timeCost}, p=${cost.parallelism}; ${ROUNDS} rounds, interleaved\n`);
  const row = (label: string, xs: number[]) => console.log(`  ${label.padEnd(34)} p50 ${ms(quantile(xs, 0.5))}   p90 ${ms(quantile(xs, 0.9))}`);
  console.log('sign-in (401)');
  row('wrong password, existing account', wrongPassword);
  row('unknown email', unknownEmail);
  console.log(`  unknown / wrong, p50              ${(quantile(unknownEmail, 0.5) / quantile(wrongPassword, 0.5)).toFixed(2)}`);
  console.log('sign-up');
  row('new address (201)', newAddress);
  row('taken address (409)', takenAddress);
  console.log(`  taken / new, p50                 ${(quantile(takenAddress, 0.5) / quantile(newAddress, 0.5)).toFixed(2)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

function quantile(xs: number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function ms(x: number): string {
  return `${x.toFixed(1).padStart(7)} ms`;
}

function pick(env: NodeJS.ProcessEnv, ...keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.flatMap((k) => (env[k] ? [[k, env[k]!]] : [])));
}
