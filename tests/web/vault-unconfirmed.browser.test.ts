// After a reset the site never confirmed, in real Chromium: the vault entry says
// a new password waits to be confirmed, Reveal shows that new password, and the
// person settles it with "It works" (it becomes current) or "Use the previous
// one" (the old one stays); the task page says the change was not confirmed.
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../lib/free-port.js';
import { createVaultStore } from '../../lib/vault/vault-store.js';
import { insertTaskRow } from '../support/task-rows.js';
import { testConfig } from '../support/test-config.js';
import { createTestDb, type TestDb } from '../support/test-db.js';
import { expectAccessible, launchBrowser, newContext, screenshot, serveApp, type ServedApp } from './browser-support.js';

const OLD = 'old-Password-2024!';
const NEW = 'New-Generated-9xQ2-pw';

describe('vault: a new password waiting to be confirmed', () => {
  let testDb: TestDb;
  let served: ServedApp;
  let browser: Browser;

  beforeAll(async () => {
    testDb = await createTestDb('sqlite');
    const port = await freePort();
    const config = testConfig({ DATABASE_URL: testDb.url, APP_ORIGIN: `http://127.0.0.1:${port}`, TEMPORAL_TASK_QUEUE: `vault-unconfirmed-${randomBytes(4).toString('hex')}` });
    [served, browser] = await Promise.all([serveApp({ config, db: testDb.db, port }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await testDb?.drop();
  });

  /** A signed-in person whose Paper Crane reset ended completed but unconfirmed. */
  async function personWithUnconfirmedReset(page: Page) {
    const email = `unconfirmed-${randomBytes(4).toString('hex')}@example.com`;
    const password = `Person-${randomBytes(6).toString('hex')}`;
    const res = await fetch(`${served.origin}/api/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    const userId = ((await res.json()) as { user: { id: string } }).user.id;
    const vault = createVaultStore({ db: testDb.db, keyring: served.deps.keyring });
    const entry = await vault.createEntry(userId, { url: 'https://papercrane.example/login', username: email, password: OLD, label: 'Paper Crane' });
    const task = await insertTaskRow(testDb.db, userId, { vaultEntryId: entry.id, status: 'completed', confirmed: false, serviceName: 'Paper Crane', completedAt: new Date() });
    await vault.addPending(userId, entry.id, task.id, NEW);
    await page.goto(`${served.origin}/signin`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation').getByRole('link', { name: 'Vault' }).waitFor();
    return { password, entryId: entry.id, taskId: task.id, vault, userId };
  }

  async function reveal(page: Page, accountPassword: string) {
    await page.getByRole('button', { name: 'Reveal the password for Paper Crane' }).click();
    const secret = page.locator('code.secret').first();
    const dialog = page.getByRole('dialog', { name: 'Confirm your password' });
    // The first reveal asks for the account password (sudo); later ones within 5 minutes do not.
    await Promise.race([secret.waitFor(), dialog.waitFor()]);
    if (await dialog.isVisible()) {
      await dialog.getByLabel('Password').fill(accountPassword);
      await dialog.getByRole('button', { name: 'Confirm' }).click();
    }
    return (await secret.textContent())?.trim();
  }

  it('Reveal shows the new password first; "It works" makes it current', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const me = await personWithUnconfirmedReset(page);

    await page.goto(`${served.origin}/tasks/${me.taskId}`);
    await page.getByText('The site did not confirm the change.').waitFor();
    await page.getByText('To confirm', { exact: true }).waitFor();
    await screenshot(page, 'vault-01-task-unconfirmed');

    await page.getByRole('navigation').getByRole('link', { name: 'Vault' }).click();
    await page.getByText('New password to confirm').waitFor();
    await expectAccessible(page, 'vault with a password to confirm');
    expect(await reveal(page, me.password)).toBe(NEW);
    await screenshot(page, 'vault-02-to-confirm');

    await page.getByRole('button', { name: 'It works: the new password for Paper Crane' }).click();
    await page.getByText('The new password is now the current one.').waitFor();
    await page.getByText('New password to confirm').waitFor({ state: 'detached' });
    await screenshot(page, 'vault-03-confirmed');
    expect(await me.vault.password(me.userId, me.entryId, 'current')).toBe(NEW);
    expect(await me.vault.password(me.userId, me.entryId, 'previous')).toBe(OLD);
    expect(context.problems).toEqual([]);
    await context.close();
  });

  it('"Use the previous one" keeps the old password current', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const me = await personWithUnconfirmedReset(page);
    await page.goto(`${served.origin}/vault`);
    await page.getByRole('button', { name: 'Use the previous one for Paper Crane' }).click();
    await page.getByText('The previous password stays the current one.').waitFor();
    expect(await reveal(page, me.password)).toBe(OLD);
    expect(await me.vault.passwordToUse(me.userId, me.entryId)).toEqual({ state: 'current', password: OLD });
    expect(context.problems).toEqual([]);
    await context.close();
  });
});
