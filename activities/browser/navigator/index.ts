// The generic navigator: gets a browser from a service's URL to a new
// password on sites nobody wrote a script for, with heuristics only — no
// site-specific selectors. See navigator.ts for the contract.
//
// Pages and popups: every method receives the page to work on. When a click
// opens a popup or a new tab, the method carries on in it and returns what it
// shows; the browser session's `page` is always the newest open page, so the
// next activity continues there too.
import type { Page } from 'playwright-core';
import { detectPageState } from './detect-page-state.js';
import { enterCode } from './enter-code.js';
import { openResetEntry } from './find-reset-entry.js';
import { submitEmail } from './fill-email.js';
import type { Navigator } from './navigator.js';
import { submitNewPassword } from './new-password.js';
import { createNavContext, originOf, type NavigatorOptions } from './options.js';
import { readPasswordHints } from './password-hints.js';
import { signIn } from './sign-in.js';

export type * from './navigator.js';
export { DEFAULT_TIMEOUTS, type NavigatorOptions, type NavigatorTimeouts } from './options.js';
export { classifyPage } from './detect-page-state.js';
export { classifyError } from './classify-error.js';

export function createNavigator(opts: NavigatorOptions = {}): Navigator {
  const ctx = createNavContext(opts);
  const step = async <T extends { state: { kind: string } }>(name: string, page: Page, run: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    ctx.log.debug({ step: name, origin: originOf(page.url()) }, 'navigator step');
    const result = await run();
    ctx.log.info({ step: name, state: result.state.kind, ms: Date.now() - started }, 'navigator step done');
    return result;
  };
  return {
    async openResetEntry(page, hints) {
      return (await step('openResetEntry', page, () => openResetEntry(page, hints, ctx))).state;
    },
    async submitEmail(page, email) {
      return (await step('submitEmail', page, () => submitEmail(page, email, ctx))).state;
    },
    async enterCode(page, code) {
      return (await step('enterCode', page, () => enterCode(page, code, ctx))).state;
    },
    async readPasswordHints(page) {
      return readPasswordHints(page, ctx);
    },
    async submitNewPassword(page, password, beforeSubmit) {
      return (await step('submitNewPassword', page, () => submitNewPassword(page, password, ctx, beforeSubmit))).state;
    },
    async signIn(page, args) {
      return (await step('signIn', page, () => signIn(page, args, ctx))).state;
    },
    async detectPageState(page) {
      return detectPageState(page, ctx);
    },
  };
}
