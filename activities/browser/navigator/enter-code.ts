// A one-time code into the page that asks for it: one field, or split
// one-digit boxes typed one digit each. Pages that submit by themselves once
// the last digit is in are left to do so.
import type { Page } from 'playwright-core';
import { fillField } from './click.js';
import { detectPageState } from './detect-page-state.js';
import { dismissOverlays } from './dismiss-overlays.js';
import { pickCodeFields, toTarget, waitForFields } from './locate-fields.js';
import type { PageState } from './navigator.js';
import { rememberTyped, type NavContext } from './options.js';
import { fingerprint, settle, waitForReaction, watchActivity } from './settle.js';
import { snapshotBefore, stateAfterSubmit, submitFrom } from './submit.js';

const AUTO_SUBMIT_MS = 500;

export async function enterCode(page: Page, code: string, ctx: NavContext): Promise<{ page: Page; state: PageState }> {
  const digits = code.replace(/\s+/g, '');
  rememberTyped(page, digits);
  await dismissOverlays(page, ctx);
  const { found, entries } = await waitForFields(page, ctx, (fields) => pickCodeFields(fields));
  if (!found?.length) {
    ctx.log.info('no code field on the page');
    return { page, state: await detectPageState(page, ctx) };
  }
  const targets = found.map((f) => toTarget(entries, f));
  const first = targets[0];
  const last = targets[targets.length - 1];
  if (!first || !last) return { page, state: await detectPageState(page, ctx) };
  const before = await snapshotBefore(page, ctx);
  const fp = await fingerprint(page);
  const monitor = watchActivity(page);
  try {
    if (targets.length > 1 && targets.length === digits.length) {
      for (const [i, target] of targets.entries()) await target.locator.fill(digits[i] as string, { timeout: ctx.timeouts.action });
    } else if (targets.length > 1) {
      // More or fewer boxes than digits: type into the first and let the page spread them.
      await first.locator.pressSequentially(digits, { delay: 30, timeout: ctx.timeouts.action });
    } else {
      await fillField(first.locator, digits, ctx);
    }
    if (fp && (await waitForReaction(page, fp.key, monitor, AUTO_SUBMIT_MS)) && monitor.submissions() > 0) {
      ctx.log.debug('the page submitted the code by itself');
      await settle(page, ctx, { monitor });
      return { page, state: await stateAfterSubmit(page, ctx, before, 'code') };
    }
  } finally {
    monitor.stop();
  }
  const submitted = await submitFrom(page, last, ctx, { before });
  return { page: submitted.page, state: await stateAfterSubmit(submitted.page, ctx, submitted.before, 'code') };
}
