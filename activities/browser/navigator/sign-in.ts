// Signing in to check a password: the sign-in page (catalog login URL, or the
// "Sign in" link from the service URL), username and password — two-step
// sign-ins get the username, continue, then the password — and what follows:
// signed in, a 2FA prompt (the password was accepted), a CAPTCHA, or an error.
import type { Page } from 'playwright-core';
import { fillField } from './click.js';
import { detectPageState } from './detect-page-state.js';
import { followSignInLink, visit } from './find-reset-entry.js';
import { pickLoginFields, toTarget, waitForFields } from './locate-fields.js';
import type { PageState } from './navigator.js';
import { rememberTyped, type NavContext } from './options.js';
import { stateAfterSubmit, submitFrom } from './submit.js';

export interface SignInArgs {
  serviceUrl: string;
  loginUrl?: string;
  username: string;
  password: string;
}

const MAX_STEPS = 3;
const DONE = new Set<PageState['kind']>(['signed_in', 'captcha', 'code_prompt']);

export async function signIn(page: Page, args: SignInArgs, ctx: NavContext): Promise<{ page: Page; state: PageState }> {
  rememberTyped(page, args.username);
  rememberTyped(page, args.password);
  let current = page;
  let state = await visit(current, args.loginUrl ?? args.serviceUrl, ctx);
  if (DONE.has(state.kind)) return { page: current, state };
  if (state.kind !== 'login_form') {
    const landed = await followSignInLink(current, ctx);
    if (landed) {
      current = landed.page;
      state = landed.state;
    }
    if (DONE.has(state.kind)) return { page: current, state };
  }

  for (let step = 0; step < MAX_STEPS; step++) {
    const { found, entries } = await waitForFields(current, ctx, (fields) => pickLoginFields(fields));
    if (!found) break;
    const username = found.username ? toTarget(entries, found.username) : undefined;
    if (username) await fillField(username.locator, args.username, ctx);
    if (!found.password) {
      if (!username) break;
      // First step of a two-step sign-in: the username alone, then the password page.
      ctx.log.debug('two-step sign-in: username first');
      const submitted = await submitFrom(current, username, ctx);
      current = submitted.page;
      state = await stateAfterSubmit(current, ctx, submitted.before, 'login');
      if (!submitted.reacted || state.kind !== 'login_form') return { page: current, state };
      continue;
    }
    const password = toTarget(entries, found.password);
    await fillField(password.locator, args.password, ctx);
    const submitted = await submitFrom(current, password, ctx);
    current = submitted.page;
    state = await stateAfterSubmit(current, ctx, submitted.before, 'login');
    return { page: current, state };
  }
  return { page: current, state: await detectPageState(current, ctx) };
}
