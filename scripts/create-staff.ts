// `npm run staff:create -- --email ops@example.com [--password-stdin] [--name "Ops"]`
//
// Makes a staff user (the first one has to come from here: no API can grant
// the role). An existing account is promoted and keeps its password; a new one
// needs a password, read from stdin with --password-stdin (e.g. from a secret
// manager: `printf %s "$PW" | npm run staff:create -- --email … --password-stdin`)
// or typed at a hidden prompt. Migrates the database first, like `npm start`.
import { Writable } from 'node:stream';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { normalizeEmail } from '../lib/accounts/normalize-email.js';
import { hashPassword } from '../lib/accounts/password-hash.js';
import { checkPasswordRules } from '../lib/accounts/password-rules.js';
import { recordAuditEvent } from '../lib/audit/record-audit-event.js';
import { getConfig } from '../lib/config.js';
import { createDb } from '../lib/db/index.js';
import { migrateDatabase } from '../lib/db/migrate.js';
import { AppError } from '../lib/errors.js';

const usage = `Usage: npm run staff:create -- --email <address> [--password-stdin] [--name <name>]

Creates a staff user, or promotes an existing user to staff (keeping their password).
A new user's password comes from stdin (--password-stdin) or a hidden prompt.`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function promptHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, encoding, done) {
      if (!muted) process.stdout.write(chunk, encoding);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  try {
    process.stdout.write(question);
    muted = true;
    return await rl.question('');
  } finally {
    muted = false;
    process.stdout.write('\n');
    rl.close();
  }
}

async function newPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin) return readStdin();
  if (!process.stdin.isTTY) throw new Error('No terminal to prompt on: pass --password-stdin and pipe the password in');
  const first = await promptHidden('Password for the new staff user: ');
  const second = await promptHidden('Again: ');
  if (first !== second) throw new Error('The passwords differ');
  return first;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (!values.email || !/^[^\s@]+@[^\s@]+$/.test(values.email.trim())) {
    console.error(`--email is required and must be an email address\n\n${usage}`);
    return 2;
  }
  const email = normalizeEmail(values.email);
  const config = getConfig();
  await migrateDatabase(config.database.url, { quiet: true });
  const db = createDb(config.database.url);
  try {
    const existing = await db.user.findUnique({ where: { email } });
    if (existing) {
      if (existing.role === 'staff') {
        console.log(`${email} is already staff.`);
        return 0;
      }
      await db.user.update({ where: { id: existing.id }, data: { role: 'staff' } });
      await recordAuditEvent(db, { userId: existing.id, action: 'staff.promoted', detail: { via: 'cli' } });
      console.log(`Promoted ${email} to staff. Their password is unchanged.`);
      return 0;
    }
    const password = await newPassword(values['password-stdin']);
    checkPasswordRules(password, email);
    const user = await db.user.create({
      data: { email, name: values.name?.trim() || null, role: 'staff', passwordHash: await hashPassword(config.passwordHashing, password) },
    });
    await recordAuditEvent(db, { userId: user.id, action: 'staff.created', detail: { via: 'cli' } });
    console.log(`Created staff user ${email}. Sign in, then turn on two-factor authentication.`);
    return 0;
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof AppError || err instanceof Error ? `Error: ${err.message}` : err);
    process.exit(1);
  },
);
