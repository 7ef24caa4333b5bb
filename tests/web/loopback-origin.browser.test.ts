// Either loopback address works: the app says http://localhost:PORT and
// listens on 127.0.0.1, so a person may open either spelling. In real
// Chromium, an app whose APP_ORIGIN is http://localhost:PORT is opened as
// http://127.0.0.1:PORT (where every POST carries that Origin) and a person
// signs up; then the same app opened as http://localhost:PORT signs them in.
import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../lib/free-port.js';
import { testConfig } from '../support/test-config.js';
import { createTestDb, type TestDb } from '../support/test-db.js';
import { launchBrowser, newContext, screenshot, serveApp, type ServedApp } from './browser-support.js';

describe('the app opened under either loopback address', () => {
  let testDb: TestDb;
  let served: ServedApp;
  let browser: Browser;
  let port: number;
  const email = `loopback-${randomBytes(4).toString('hex')}@example.com`;
  const password = `Loopback-${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    testDb = await createTestDb('sqlite');
    port = await freePort();
    const config = testConfig({
      DATABASE_URL: testDb.url,
      APP_ORIGIN: `http://localhost:${port}`,
      TEMPORAL_TASK_QUEUE: `web-loopback-${randomBytes(4).toString('hex')}`,
    });
    [served, browser] = await Promise.all([serveApp({ config, db: testDb.db, port }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await testDb?.drop();
  });

  it('signs up at http://127.0.0.1:PORT although APP_ORIGIN says localhost, then signs in at http://localhost:PORT', async () => {
    expect(served.deps.config.appOrigin).toBe(`http://localhost:${port}`);
    const context = await newContext(browser);
    const page = await context.newPage();
    // The Origin header as sent (the network layer adds it: allHeaders, not headers).
    const origins: Promise<string>[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST') origins.push(r.allHeaders().then((h) => h.origin ?? ''));
    });

    await page.goto(`http://127.0.0.1:${port}/signup`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/chat$/, { timeout: 20_000 });
    await page.getByRole('heading', { name: 'Chat' }).waitFor();
    await screenshot(page, 'loopback-01-signed-up-at-127');
    expect(await Promise.all(origins)).toContain(`http://127.0.0.1:${port}`);
    expect(await testDb.db.user.count({ where: { email } })).toBe(1);

    // A question back from the chat: a cookie-authenticated POST from 127.0.0.1 passes too.
    await page.getByLabel('Message').fill('reset gitlub');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('.bubble.theirs .result').first().waitFor({ timeout: 20_000 });
    expect(await page.locator('.bubble.theirs').first().textContent()).not.toMatch(/cross-origin/i);
    await context.close();

    // The printed address works as well.
    const other = await newContext(browser);
    const localhost = await other.newPage();
    await localhost.goto(`http://localhost:${port}/signin`);
    await localhost.getByLabel('Email').fill(email);
    await localhost.getByLabel('Password', { exact: true }).fill(password);
    await localhost.getByRole('button', { name: 'Sign in' }).click();
    await localhost.waitForURL(/\/chat$/, { timeout: 20_000 });
    await screenshot(localhost, 'loopback-02-signed-in-at-localhost');
    expect(context.problems).toEqual([]);
    expect(other.problems).toEqual([]);
    await other.close();
  }, 90_000);
});
