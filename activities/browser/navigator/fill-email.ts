// The account email into the reset form, then submit. A CAPTCHA on the form
// stops us before anything is sent: the site must not get a request we
// cannot complete, and nobody guesses at a CAPTCHA.
import type { Page } from 'playwright-core';
import { fillField } from './click.js';
import { detectPageState } from './detect-page-state.js';
import { dismissOverlays } from './dismiss-overlays.js';
import { isResetEmailField, toTarget, waitForFields, type ClassifiedField } from './locate-fields.js';
import type { PageState } from './navigator.js';
import { rememberTyped, type NavContext } from './options.js';
import { findCaptcha } from './captcha.js';
import { stateAfterSubmit, submitFrom } from './submit.js';

function scoreEmailField(f: ClassifiedField): number {
  let score = 0;
  if (f.kind === 'email') score += 2;
  if (f.field.type === 'email') score += 2;
  if (/(?:^|\s)(?:email|username)(?:\s|$)/.test(f.field.autocomplete)) score += 2;
  if (f.field.empty) score += 1;
  return score;
}

export interface Submitted {
  page: Page;
  state: PageState;
}

export async function submitEmail(page: Page, email: string, ctx: NavContext): Promise<Submitted> {
  rememberTyped(page, email, { accountEmail: true });
  await dismissOverlays(page, ctx);
  const { found, entries } = await waitForFields(page, ctx, (fields, frames) => {
    if (findCaptcha(frames.map((e) => e.scan))) return 'captcha' as const;
    const scans = frames.map((e) => e.scan);
    // Only a reset form's field: an email typed into a sign-in form would be a sign-in attempt.
    const reset = fields.filter((f) => isResetEmailField(f, fields, scans));
    return reset.sort((a, b) => scoreEmailField(b) - scoreEmailField(a))[0] ?? null;
  });
  if (found === 'captcha') {
    ctx.log.info('reset form has a CAPTCHA; not submitting');
    return { page, state: await detectPageState(page, ctx) };
  }
  if (!found) {
    ctx.log.info('no email field on the reset page');
    return { page, state: await detectPageState(page, ctx) };
  }
  const target = toTarget(entries, found);
  await fillField(target.locator, email, ctx);
  const submitted = await submitFrom(page, target, ctx);
  if (!submitted.reacted) ctx.log.info('the reset form did not react to submitting');
  return { page: submitted.page, state: await stateAfterSubmit(submitted.page, ctx, submitted.before, 'email') };
}
