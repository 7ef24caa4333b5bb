import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/sites/index.js';
import { launchBrowser } from '../support/chromium.js';
import { createMailRecorder, type RecordedMail } from '../support/mail-recorder.js';

export { createMailRecorder, type MailRecorder, type RecordedMail } from '../support/mail-recorder.js';

/** One sandbox, one mail recorder and one browser for a test file. */
export async function setUpSandbox(options: Partial<SandboxOptions> = {}) {
  const mail = createMailRecorder();
  const texts: { phone: string; text: string }[] = [];
  const sandbox = await startSandbox({ deliver: mail.deliver, sms: (phone, text) => texts.push({ phone, text }), ...options });
  const browser = await launchBrowser();
  return {
    sandbox,
    mail,
    texts,
    browser,
    async close() {
      await browser.close();
      await sandbox.stop();
    },
  };
}

/** A fresh browser context whose actions fail after 5 s instead of hanging (playwright-core has no default). */
export async function newContext(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(5000);
  context.setDefaultNavigationTimeout(10_000);
  return context;
}

/**
 * Opens the email's HTML in a page, as a mail client would show it, and
 * returns the href of the link a person would click (found by its text).
 */
export async function linkInEmail(context: BrowserContext, mail: RecordedMail, linkText: string | RegExp): Promise<string> {
  const page = await context.newPage();
  try {
    await page.setContent(String(mail.parsed.html), { waitUntil: 'domcontentloaded' });
    const href = await page.getByRole('link', { name: linkText }).getAttribute('href');
    if (!href) throw new Error(`no link "${String(linkText)}" in email "${mail.parsed.subject}"`);
    return href;
  } finally {
    await page.close();
  }
}

/** The 6-digit code in an email's text part. */
export function codeInEmail(mail: RecordedMail): string {
  const code = /\b(\d{6})\b/.exec(mail.parsed.text ?? '')?.[1];
  if (!code) throw new Error(`no code in email "${mail.parsed.subject}"`);
  return code;
}

export function expectPasswordChangedOnce(sandbox: Sandbox, slug: string, email: string, oldPassword: string, newPassword: string) {
  expect(sandbox.getUser(slug, email)?.passwordChanges).toBe(1);
  expect(sandbox.checkPassword(slug, email, newPassword)).toBe(true);
  expect(sandbox.checkPassword(slug, email, oldPassword)).toBe(false);
}

/** Web-first text assertion: waits until `text` is visible inside `scope` (a bound for a loaded machine, not a timing goal). */
export async function expectText(scope: Page | Locator, text: string | RegExp, timeoutMs = 15_000): Promise<void> {
  await scope.getByText(text).filter({ visible: true }).first().waitFor({ state: 'visible', timeout: timeoutMs });
}

export type { Browser, BrowserContext, Locator, Page, Sandbox };
