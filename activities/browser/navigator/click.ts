// Clicking the way a person does, with what gets in the way handled: an
// overlay intercepting the click is dismissed and the click retried; a link
// that opens a popup or new tab hands over to it (the browser session tracks
// the newest page too, so later steps continue there).
import type { Locator, Page } from 'playwright-core';
import { dismissOverlays } from './dismiss-overlays.js';
import { sleep, type NavContext } from './options.js';

const INTERCEPTED = /intercepts pointer events|not receiving pointer events|element is not visible|outside of the viewport/i;
const FIRST_TRY_MS = 2_000;

/** Clicks `locator`; returns the page to continue on (a popup the click opened, or `page`). */
export async function clickAndFollow(page: Page, locator: Locator, ctx: NavContext): Promise<Page> {
  let popup: Page | null = null;
  let navigated = false;
  const onPopup = (p: Page) => {
    popup = p;
  };
  const onNavigated = (frame: { parentFrame(): unknown }) => {
    if (!frame.parentFrame()) navigated = true;
  };
  // Links that say they open elsewhere get the time a new tab needs; other clicks a short grace for window.open.
  const target = await locator.getAttribute('target', { timeout: ctx.timeouts.action }).catch(() => null);
  const popupWait = target && target !== '_self' && target !== '_top' && target !== '_parent' ? ctx.timeouts.reaction : 300;
  page.on('popup', onPopup);
  page.on('framenavigated', onNavigated);
  try {
    try {
      await locator.click({ timeout: Math.min(FIRST_TRY_MS, ctx.timeouts.action) });
    } catch (err) {
      const message = (err as Error).message;
      if (!/timeout|intercept/i.test(message)) throw err;
      if (INTERCEPTED.test(message)) ctx.log.debug('click intercepted; dismissing overlays');
      await dismissOverlays(page, ctx);
      try {
        await locator.click({ timeout: ctx.timeouts.action });
      } catch (again) {
        if (!/timeout|intercept/i.test((again as Error).message)) throw again;
        // Something still covers it that is not a consent banner: deliver the click to the element itself.
        ctx.log.debug('click still blocked; dispatching it to the element');
        await locator.dispatchEvent('click', undefined, { timeout: ctx.timeouts.action });
      }
    }
    const deadline = Date.now() + popupWait;
    while (!popup && !navigated && Date.now() < deadline) await sleep(50);
  } finally {
    page.off('popup', onPopup);
    page.off('framenavigated', onNavigated);
  }
  const opened = popup as Page | null;
  if (opened) {
    ctx.log.debug('click opened a popup; continuing there');
    await opened.waitForLoadState('domcontentloaded', { timeout: ctx.timeouts.navigation }).catch(() => undefined);
    return opened;
  }
  return page;
}

/** Fills a field and checks it took; falls back to typing key by key for inputs that fight `fill`. */
export async function fillField(locator: Locator, value: string, ctx: NavContext): Promise<void> {
  await locator.fill(value, { timeout: ctx.timeouts.action });
  const took = await locator.inputValue({ timeout: ctx.timeouts.action }).then((v) => v === value).catch(() => false);
  if (!took) {
    await locator.fill('', { timeout: ctx.timeouts.action });
    await locator.pressSequentially(value, { delay: 15, timeout: ctx.timeouts.action + value.length * 50 });
  }
  // Sites that validate on change/blur see the value too.
  await locator.blur({ timeout: ctx.timeouts.action }).catch(() => undefined);
}
