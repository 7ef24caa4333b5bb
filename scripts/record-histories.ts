// `npm run histories:record [name…]`: runs real resets (the real workflow and
// activities, Chromium, Dovecot, the sandbox sites, a Temporal dev server of
// its own) and writes their histories to tests/workflows/histories/, where
// tests/workflows/replay.test.ts replays them against the workflow code of
// every later change. Payloads stay encrypted (with the fixture key of
// tests/support/recorded-histories.ts); before a file is written, the script
// checks that no secret of the reset (passwords, the link's token, codes, the
// mailbox password) appears in it in clear, and refuses to write it otherwise.
//
// Files are named `<scenario>.<workflow bundle hash>.json`: the code that made
// them. Record new ones when the workflow changes, and keep the old ones: they
// stand for the resets in flight when that change is deployed. Never delete or
// re-record a file to make the replay test pass — that hides exactly what the
// test is there to catch (drop a file only once no run of that code can still
// be open: its workflow run timeout, resetRunTimeoutMs, has passed since the
// deploy that retired it). With names, only those scenarios are recorded.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb } from '../lib/db/index.js';
import { migrateDatabase } from '../lib/db/migrate.js';
import { freePort } from '../lib/free-port.js';
import { answerTaskOtp } from '../lib/tasks/answer-task-otp.js';
import { createTaskSecrets } from '../lib/tasks/task-secrets.js';
import { resolveTemporalCli } from '../lib/temporal/cli.js';
import { loadDevSettings } from '../lib/temporal/dev-settings.js';
import { startTemporalDevServer } from '../lib/temporal/dev-server.js';
import { continueSignal } from '../workflows/reset-password.messages.js';
import { loadWorkflowBundle, workflowBundleHash } from '../worker/bundle.js';
import { historiesDir, historyToJson, recordingMasterKey } from '../tests/support/recorded-histories.js';
import { startResetHarness, type HarnessRuntime, type ResetHarness } from '../tests/support/reset-harness.js';

const say = (m: string) => console.log(`[histories] ${m}`);

interface Scenario {
  /** The first part of the file name. */
  name: string;
  /** Runs one reset; returns its workflow id and the secrets that must not be in its history. */
  run(h: ResetHarness): Promise<{ workflowId: string; secrets: string[]; status: string }>;
}

/** Every password the vault holds for an entry, and every token or code the site mailed or texted. */
async function secretsOf(h: ResetHarness, userId: string, entryId: string, slug: string, email: string, extra: string[]) {
  const found = [...extra];
  for (const version of ['current', 'previous'] as const) {
    const p = await h.vault.password(userId, entryId, version).catch(() => null);
    if (p) found.push(p);
  }
  const pending = await h.vault.passwordToUse(userId, entryId).catch(() => null);
  if (pending) found.push(pending.password);
  for (const mail of h.mails.filter((m) => m.to === email)) {
    for (const token of mail.raw.matchAll(/[?&=/]([A-Za-z0-9_-]{16,})/g)) found.push(token[1]!);
    for (const code of mail.raw.matchAll(/\b(\d{6})\b/g)) found.push(code[1]!);
  }
  const sms = h.sandbox.lastSmsCode(slug, email);
  if (sms) found.push(sms);
  return [...new Set(found.filter((s) => s.length >= 6))];
}

const scenarios: Scenario[] = [
  {
    // Link by email, a plain form: the common reset.
    name: 'link-site-completed',
    async run(h) {
      const person = await h.createPerson('link');
      const { entryId, oldPassword } = await h.createSiteAccount(person, 'papercrane');
      const { workflowId } = await h.startReset(person, 'papercrane', { vaultEntryId: entryId });
      const result = await h.result(workflowId);
      return { workflowId, status: `${result.status}`, secrets: await secretsOf(h, person.userId, entryId, 'papercrane', person.email, [oldPassword]) };
    },
  },
  {
    // A texted code the person types: first a wrong one (the site asks again), then the right one.
    name: 'sms-otp-wrong-then-right-completed',
    async run(h) {
      const slug = 'telewave';
      const person = await h.createPerson('otp');
      const { entryId, oldPassword } = await h.createSiteAccount(person, slug);
      const { taskId, workflowId } = await h.startReset(person, slug, { vaultEntryId: entryId });
      const deps = { db: h.db, temporal: h.client, secrets: createTaskSecrets({ db: h.db, keyring: h.keyring }) };
      await h.waitForTask(taskId, (t) => t.status === 'waiting_for_otp', 120_000);
      const code = h.sandbox.lastSmsCode(slug, person.email)!;
      const wrong = code === '000000' ? '111111' : '000000';
      await answerTaskOtp(deps, { taskId, userId: person.userId, code: wrong });
      await h.waitForTask(taskId, (t) => t.status === 'running', 60_000);
      await h.waitForTask(taskId, (t) => t.status === 'waiting_for_otp', 120_000);
      await answerTaskOtp(deps, { taskId, userId: person.userId, code: h.sandbox.lastSmsCode(slug, person.email)! });
      const result = await h.result(workflowId);
      return { workflowId, status: `${result.status}`, secrets: await secretsOf(h, person.userId, entryId, slug, person.email, [oldPassword, code]) };
    },
  },
  {
    // A CAPTCHA on the forgot form: the person says they dealt with it once, it comes back, the wait runs out.
    name: 'captcha-escalated-failed',
    async run(h) {
      const slug = 'ticketly';
      const person = await h.createPerson('captcha');
      const { entryId, oldPassword } = await h.createSiteAccount(person, slug);
      const { taskId, workflowId } = await h.startReset(person, slug, { vaultEntryId: entryId });
      await h.waitForTask(taskId, (t) => t.status === 'captcha_required', 120_000);
      await h.client.workflow.getHandle(workflowId).signal(continueSignal);
      const result = await h.result(workflowId);
      return { workflowId, status: `${result.status}:${result.failure?.type}`, secrets: await secretsOf(h, person.userId, entryId, slug, person.email, [oldPassword]) };
    },
  },
  {
    // The site has no account for the address: no email ever comes.
    name: 'no-email-failed',
    async run(h) {
      const person = await h.createPerson('unknown');
      const entry = await h.vault.createEntry(person.userId, {
        url: h.sandbox.site('papercrane').homeUrl,
        username: person.email,
        email: person.email,
        password: 'Never-used-on-the-site-1',
        serviceId: 'papercrane',
      });
      const { workflowId } = await h.startReset(person, 'papercrane', { vaultEntryId: entry.id });
      const result = await h.result(workflowId);
      return { workflowId, status: `${result.status}:${result.failure?.type}`, secrets: ['Never-used-on-the-site-1'] };
    },
  },
];

const wanted = process.argv.slice(2);
const chosen = wanted.length ? scenarios.filter((s) => wanted.includes(s.name)) : scenarios;
if (chosen.length === 0) throw new Error(`no scenario named ${wanted.join(', ')}; known: ${scenarios.map((s) => s.name).join(', ')}`);

const workDir = mkdtempSync(path.join(os.tmpdir(), 'rekey-histories-'));
const settings = loadDevSettings();
const cliPath = await resolveTemporalCli({ version: settings.cli.version });
const temporal = await startTemporalDevServer({ cliPath, settings, port: await freePort(), headless: true, dbFile: path.join(workDir, 'temporal.db'), logFile: path.join(workDir, 'temporal.log') });
// The hash names the code that records: taken with the bundle, before any scenario runs.
const codeHash = workflowBundleHash();
await loadWorkflowBundle({ cacheDir: path.join(workDir, 'bundle'), log: say });
const runtime: HarnessRuntime = {
  temporalAddress: temporal.address,
  temporalNamespace: temporal.namespace,
  temporalCliPath: cliPath,
  workDir,
  workflowBundlePath: path.join(workDir, 'bundle', `workflow-bundle-${codeHash}.js`),
  async createDb(kind) {
    const url = `file:${path.join(workDir, 'histories.db')}`;
    await migrateDatabase(url, { quiet: true });
    const db = createDb(url);
    return { kind, url, db, drop: () => db.$disconnect() };
  },
};
// Short waits keep the failing scenarios short; the CAPTCHA wait is longer than the email wait on purpose.
const h = await startResetHarness({ env: { REKEY_MASTER_KEY: recordingMasterKey.toString('base64'), REKEY_EMAIL_WAIT: '20s', REKEY_CAPTCHA_WAIT: '25s' } }, runtime);
let failed = false;
try {
  for (const scenario of chosen) {
    say(`${scenario.name}: running…`);
    const { workflowId, secrets, status } = await scenario.run(h);
    const history = await h.client.workflow.getHandle(workflowId).fetchHistory();
    const json = historyToJson(history);
    const leaked = secrets.filter((s) => json.includes(s) || json.includes(Buffer.from(s).toString('base64')));
    if (leaked.length > 0) {
      failed = true;
      say(`${scenario.name}: NOT written: ${leaked.length} secret(s) of the reset appear in its history in clear`);
      continue;
    }
    const file = path.join(historiesDir, `${scenario.name}.${codeHash.slice(0, 8)}.json`);
    writeFileSync(file, `${json}\n`);
    say(`${scenario.name}: ${status}, ${history.events?.length ?? 0} events, checked against ${secrets.length} secrets → ${path.relative(process.cwd(), file)}`);
  }
} finally {
  await h.close();
  await temporal.stop();
  rmSync(workDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
