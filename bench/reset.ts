// bench/reset.ts — what a reset costs through Rekey's durable workflow compared
// with a plain Playwright script doing the same steps on the same sandbox
// sites (same browser, navigator, mailbox watcher), and how soon after the
// reset email lands the workflow has it.
//   npx tsx bench/reset.ts [rounds=2]
// Prints measured figures; asserts nothing. Starts its own Temporal dev
// server, Dovecot, sandbox sites and an in-process worker.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TOTP, Secret } from 'otpauth';
import { createBrowserPool } from '../activities/browser/browser-pool.js';
import { findChromium } from '../activities/browser/chromium-path.js';
import { choosePasswordForPage } from '../activities/browser/choose-password.js';
import { createNavigator } from '../activities/browser/navigator/index.js';
import type { PageState } from '../activities/browser/navigator/navigator.js';
import { snapshotMailbox } from '../activities/mail/snapshot-mailbox.js';
import { waitForResetEmail } from '../activities/mail/wait-for-reset-email.js';
import { createDb } from '../lib/db/index.js';
import { migrateDatabase } from '../lib/db/migrate.js';
import { freePort } from '../lib/free-port.js';
import { createLogger } from '../lib/logger.js';
import { createTaskSecrets } from '../lib/tasks/task-secrets.js';
import { answerTaskOtp } from '../lib/tasks/answer-task-otp.js';
import { resolveTemporalCli } from '../lib/temporal/cli.js';
import { loadDevSettings } from '../lib/temporal/dev-settings.js';
import { startTemporalDevServer } from '../lib/temporal/dev-server.js';
import { siteDefinitions } from '../sandbox/sites/sites/index.js';
import { loadWorkflowBundle, workflowBundleHash } from '../worker/bundle.js';
import { startResetHarness, type HarnessRuntime, type Person } from '../tests/support/reset-harness.js';

const rounds = Number(process.argv[2] ?? 2);
const workDir = mkdtempSync(path.join(os.tmpdir(), 'rekey-bench-'));
const settings = loadDevSettings();
const cliPath = await resolveTemporalCli({ version: settings.cli.version });
const temporal = await startTemporalDevServer({ cliPath, settings, port: await freePort(), headless: true, dbFile: path.join(workDir, 'temporal.db'), logFile: path.join(workDir, 'temporal.log') });
await loadWorkflowBundle({ cacheDir: path.join(workDir, 'bundle') });

const runtime: HarnessRuntime = {
  temporalAddress: temporal.address,
  temporalNamespace: temporal.namespace,
  temporalCliPath: cliPath,
  workDir,
  workflowBundlePath: path.join(workDir, 'bundle', `workflow-bundle-${workflowBundleHash()}.js`),
  async createDb(kind) {
    const url = `file:${path.join(workDir, 'bench.db')}`;
    await migrateDatabase(url, { quiet: true });
    const db = createDb(url);
    return { kind, url, db, drop: () => db.$disconnect() };
  },
};
const h = await startResetHarness({}, runtime);
const logger = createLogger({ level: 'silent' });
const navigator = createNavigator({ logger });
const pool = createBrowserPool({ executablePath: findChromium(), allowPrivateTargets: true, logger });
const sites = siteDefinitions.filter((s) => !s.captcha);

async function viaWorkflow(slug: string, opts: { holdMail?: boolean } = {}): Promise<{ ms: number; mailLatencyMs?: number }> {
  const site = h.sandbox.site(slug);
  const person = await h.createPerson(slug);
  const totpSecret = site.otp === 'totp' ? new Secret({ size: 20 }).base32 : undefined;
  const { entryId } = await h.createSiteAccount(person, slug, { totpSecret });
  const t0 = performance.now();
  if (opts.holdMail) h.holdMail();
  const { taskId, workflowId } = await h.startReset(person, slug, { vaultEntryId: entryId });
  if (opts.holdMail) {
    // As on a real site: the email lands while the workflow already waits for it.
    await h.waitForTask(taskId, (t) => t.status === 'waiting_for_email', 60_000);
    await new Promise((r) => setTimeout(r, 1_000));
    await h.releaseMail();
  }
  if (site.otp === 'manual') {
    await h.waitForTask(taskId, (t) => t.status === 'waiting_for_otp', 90_000);
    const code = h.sandbox.lastSmsCode(slug, person.email)!;
    await answerTaskOtp({ db: h.db, temporal: h.client, secrets: createTaskSecrets({ db: h.db, keyring: h.keyring }) }, { taskId, userId: person.userId, code });
  }
  const result = await h.result(workflowId);
  const ms = performance.now() - t0;
  if (result.status !== 'completed') throw new Error(`${slug}: ${result.failure?.type}`);
  const step = await h.db.taskStep.findUnique({ where: { taskId_name: { taskId, name: 'wait_for_email' } } });
  const delivered = h.mails.findLast((m) => m.to === person.email)?.deliveredAt;
  const done = step?.startedAt && step.durationMs !== null ? step.startedAt.getTime() + step.durationMs : undefined;
  return { ms, mailLatencyMs: delivered && done ? done - delivered : undefined };
}

/** The same steps as the workflow, straight through: no Temporal, no database, no checkpoints. */
async function direct(slug: string): Promise<number> {
  const site = h.sandbox.site(slug);
  const person: Person = await h.createPerson(`direct-${slug}`);
  const totpSecret = site.otp === 'totp' ? new Secret({ size: 20 }).base32 : undefined;
  await h.createSiteAccount(person, slug, { totpSecret });
  const connection = { host: h.dovecot.host, port: h.dovecot.port, secure: false, user: person.email, password: '' };
  const mailbox = await h.db.mailbox.findUnique({ where: { userId: person.userId } });
  const { createMailboxStore } = await import('../lib/mailbox/mailbox-store.js');
  Object.assign(connection, await createMailboxStore({ db: h.db, keyring: h.keyring }).connection(mailbox!.userId));

  const t0 = performance.now();
  const session = await pool.open(`direct-${person.userId}`, {});
  const page = session.page;
  const hostPolicy = { allowPrivate: true }; // the sandbox mailbox is on loopback
  const snapshot = await snapshotMailbox(connection, hostPolicy);
  let state: PageState = await navigator.openResetEntry(page, { serviceUrl: site.homeUrl, resetUrl: site.resetUrl, loginUrl: site.loginUrl });
  state = await navigator.submitEmail(page, person.email);
  const found = await waitForResetEmail({ connection, hostPolicy, snapshot, service: { name: site.name, domains: site.domains }, kind: state.kind === 'code_prompt' ? 'code' : 'either', timeoutMs: 60_000 });
  if (found.kind === 'link') {
    await page.goto(found.link, { waitUntil: 'domcontentloaded' });
    state = await navigator.detectPageState(page);
  } else state = await navigator.enterCode(page, found.code);
  while (state.kind === 'code_prompt') {
    const code = state.source === 'totp' ? new TOTP({ secret: Secret.fromBase32(totpSecret!) }).generate() : h.sandbox.lastSmsCode(slug, person.email)!;
    state = await navigator.enterCode(page, code);
  }
  const refusals: { errorText: string; password: string }[] = [];
  for (;;) {
    const password = choosePasswordForPage({ hints: await navigator.readPasswordHints(page), serviceRules: site.passwordPolicy?.rules, refusals });
    state = await navigator.submitNewPassword(page, password);
    if (state.kind === 'error' && state.reason === 'password_policy') refusals.push({ errorText: state.message, password });
    else {
      const probe = await pool.open(`direct-verify-${person.userId}`, {});
      await navigator.signIn(probe.page, { serviceUrl: site.homeUrl, loginUrl: site.loginUrl, username: person.email, password });
      await pool.close(`direct-verify-${person.userId}`);
      break;
    }
  }
  const ms = performance.now() - t0;
  await pool.close(`direct-${person.userId}`);
  if (h.sandbox.getUser(slug, person.email)?.passwordChanges !== 1) throw new Error(`${slug}: direct script did not change the password`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

// Warm both paths once (browser launch, bundle load) so neither pays it in the figures.
await viaWorkflow('papercrane');
await direct('papercrane');

const rows: string[] = [];
const latencies: number[] = [];
const ratios: number[] = [];
for (const site of sites) {
  const wf: number[] = [];
  const dr: number[] = [];
  for (let i = 0; i < rounds; i++) {
    wf.push((await viaWorkflow(site.slug)).ms);
    dr.push(await direct(site.slug));
  }
  const ratio = median(wf) / median(dr);
  ratios.push(ratio);
  rows.push(`${site.slug.padEnd(12)} ${(median(wf) / 1000).toFixed(2).padStart(8)} s ${(median(dr) / 1000).toFixed(2).padStart(8)} s ${ratio.toFixed(2).padStart(7)}`);
}

// Mail latency as a real site gives it: the email arrives while the reset waits for it.
for (const site of sites.filter((s) => s.otp === 'none').slice(0, 10)) {
  const r = await viaWorkflow(site.slug, { holdMail: true });
  if (r.mailLatencyMs !== undefined) latencies.push(r.mailLatencyMs);
}

console.log(`\nReset time, median of ${rounds} per site (workflow vs direct Playwright script)`);
console.log(`${'site'.padEnd(12)} ${'workflow'.padStart(10)} ${'direct'.padStart(10)} ${'ratio'.padStart(7)}`);
for (const row of rows) console.log(row);
console.log(`ratio: median ${median(ratios).toFixed(2)}, max ${Math.max(...ratios).toFixed(2)} (goal ≤ 1.3)`);
console.log(`\nmail delivered (while waiting) → wait_for_email done in the workflow, ${latencies.length} resets: p50 ${(median(latencies) / 1000).toFixed(3)} s, p95 ${(pct(latencies, 95) / 1000).toFixed(3)} s (goal p50 ≤ 0.5 s)`);

await pool.closeAll();
await h.close();
await temporal.stop();
rmSync(workDir, { recursive: true, force: true });
process.exit(0);
