// Submitting what we filled in: the form's own submit button, else the button
// whose name means continue / send / reset / save (icon-only buttons by
// aria-label or title, `div role=button` included), else Enter in the field.
// A way that shows no effect at all is followed by the next one; a way that
// reached the server is never repeated (no double submits).
import type { Page } from 'playwright-core';
import { clickAndFollow } from './click.js';
import { beforeSubmit, classifyPage, type BeforeSubmit } from './detect-page-state.js';
import type { ErrorTopic } from './classify-error.js';
import { markedLocator, runAgent, scanPage } from './frames.js';
import type { FieldTarget } from './locate-fields.js';
import type { PageState } from './navigator.js';
import { redactFor, safeError, sleep, type NavContext } from './options.js';
import type { SubmitCandidate } from './page-agent.js';
import { fingerprint, settle, waitForReaction, watchActivity } from './settle.js';
import { NOT_SUBMIT_ACTION, SUBMIT_ACTION } from './vocabulary.js';

export interface SubmitOutcome {
  /** Where to continue: the page, or a popup the submit opened. */
  page: Page;
  /** The page did something (navigated, fetched, changed). */
  reacted: boolean;
  before: BeforeSubmit;
}

/** What the page before a submit looked like, for telling new error messages from old ones. */
export async function snapshotBefore(page: Page, ctx: NavContext): Promise<BeforeSubmit> {
  return beforeSubmit((await scanPage(page)).map((e) => e.scan));
}

/**
 * `only`: press nothing but a button whose name matches it (no Enter, no
 * second-best button): for a step where the wrong button would do something
 * else, like send a sign-in link. It is the preferred name as well.
 */
export async function submitFrom(page: Page, field: FieldTarget, ctx: NavContext, opts: { prefer?: RegExp; only?: RegExp; before?: BeforeSubmit } = {}): Promise<SubmitOutcome> {
  const before = opts.before ?? (await snapshotBefore(page, ctx));
  const candidates =
    (await runAgent<SubmitCandidate[]>(field.frame, {
      cmd: 'submitCandidates',
      fieldId: field.field.id,
      prefer: (opts.only ?? opts.prefer ?? SUBMIT_ACTION).source,
      avoid: NOT_SUBMIT_ACTION.source,
    })) ?? [];
  const buttons = candidates.filter((c) => c.score > 0 && (!opts.only || opts.only.test(c.name)));
  const ways: { how: string; run: () => Promise<Page> }[] = [];
  const click = (c: SubmitCandidate) => ({ how: 'button', run: () => clickAndFollow(page, markedLocator(field.frame, c.id), ctx) });
  if (buttons[0]) ways.push(click(buttons[0]));
  if (!opts.only) {
    ways.push({
      how: 'enter',
      run: async () => {
        await field.locator.press('Enter', { timeout: ctx.timeouts.action });
        return page;
      },
    });
    if (buttons[1]) ways.push(click(buttons[1]));
  }

  for (const way of ways) {
    const fp = await fingerprint(page);
    const monitor = watchActivity(page);
    try {
      let next: Page;
      try {
        next = await way.run();
      } catch (err) {
        ctx.log.debug({ how: way.how, err: safeError(err) }, 'submit attempt failed');
        continue;
      }
      if (next !== page) {
        await settle(next, ctx);
        return { page: next, reacted: true, before };
      }
      const reacted = !fp || (await waitForReaction(page, fp.key, monitor, ctx.timeouts.reaction));
      if (!reacted) {
        ctx.log.debug({ how: way.how }, 'submit showed no effect');
        continue;
      }
      await settle(page, ctx, { monitor });
      const after = await fingerprint(page);
      if (monitor.submissions() > 0 || monitor.navigations() > 0 || !after || !fp || after.key !== fp.key) {
        ctx.log.debug({ how: way.how, requests: monitor.started() }, 'submitted');
        return { page, reacted: true, before };
      }
    } finally {
      monitor.stop();
    }
  }
  return { page, reacted: false, before };
}

/** The state after our submit: new errors first, with `topic` naming the step. Looks again briefly while the page is unreadable. */
export async function stateAfterSubmit(page: Page, ctx: NavContext, before: BeforeSubmit, topic: ErrorTopic): Promise<PageState> {
  const deadline = Date.now() + ctx.timeouts.element;
  for (;;) {
    const entries = await scanPage(page);
    const state = classifyPage(
      entries.map((e) => e.scan),
      { before, topic, redact: (s) => redactFor(page, s) },
    );
    if (state.kind !== 'unknown' || Date.now() >= deadline || page.isClosed()) {
      ctx.log.debug({ state: state.kind, ...(state.kind === 'error' ? { reason: state.reason } : {}) }, 'state after submit');
      return state;
    }
    await sleep(300);
  }
}
