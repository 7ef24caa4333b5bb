// The new password into the new-password field and every confirmation field
// of its form, then submit. A form that also asks for the account email (some
// reset pages do) gets the email typed earlier in this browser context.
import type { Page } from 'playwright-core';
import { fillField } from './click.js';
import { detectPageState } from './detect-page-state.js';
import { dismissOverlays } from './dismiss-overlays.js';
import { isAccountField, pickNewPasswordFields, sameForm, toTarget, waitForFields } from './locate-fields.js';
import type { PageState } from './navigator.js';
import { accountEmailFor, rememberTyped, type NavContext } from './options.js';
import { stateAfterSubmit, submitFrom } from './submit.js';

export async function submitNewPassword(
  page: Page,
  password: string,
  ctx: NavContext,
  beforeSubmit?: () => Promise<void>,
): Promise<{ page: Page; state: PageState }> {
  rememberTyped(page, password);
  await dismissOverlays(page, ctx);
  const { found, entries } = await waitForFields(page, ctx, (fields) => {
    const passwords = pickNewPasswordFields(fields);
    if (!passwords) return null;
    const primary = passwords[0];
    const email = fields.find((f) => primary && isAccountField(f.kind) && sameForm(f, primary) && f.field.empty && !f.field.readOnly);
    return { passwords, email };
  });
  if (!found) {
    ctx.log.info('no new-password field on the page');
    return { page, state: await detectPageState(page, ctx) };
  }
  const targets = found.passwords.map((f) => toTarget(entries, f));
  const last = targets[targets.length - 1];
  if (!last) return { page, state: await detectPageState(page, ctx) };
  for (const target of targets) await fillField(target.locator, password, ctx);
  const accountEmail = accountEmailFor(page);
  if (found.email && accountEmail) await fillField(toTarget(entries, found.email).locator, accountEmail, ctx);
  ctx.log.debug({ fields: targets.length }, 'filled the new password');
  await beforeSubmit?.();
  const submitted = await submitFrom(page, last, ctx);
  return { page: submitted.page, state: await stateAfterSubmit(submitted.page, ctx, submitted.before, 'new_password') };
}
