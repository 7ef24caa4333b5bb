// Cookie and consent overlays sit on top of the page and swallow clicks.
// Recognised by the usual containers (OneTrust, Cookiebot, Usercentrics,
// generic cookie banners, modal dialogs) that talk about cookies or consent;
// dismissed with the least permissive choice offered ("Reject all",
// "Necessary only"), else by accepting. Nothing else on the page is touched.
import type { Locator, Page } from 'playwright-core';
import { countOf, visibleFrames } from './frames.js';
import { sleep, type NavContext } from './options.js';
import { CONSENT_ACCEPT, CONSENT_REJECT, CONSENT_TEXT } from './vocabulary.js';

const CONTAINERS = [
  '#onetrust-consent-sdk',
  '#onetrust-banner-sdk',
  '#CybotCookiebotDialog',
  '#usercentrics-root',
  '#didomi-host',
  '#qc-cmp2-container',
  '.cc-window',
  '.fc-consent-root',
  '[id*="cookie" i]',
  '[class*="cookie" i]',
  '[id*="consent" i]',
  '[class*="consent" i]',
  '[aria-modal="true"]',
  '[role="dialog"]',
  '[role="alertdialog"]',
  '[role="region"]',
].join(', ');
const MAX_ROUNDS = 3;

async function firstVisible(locator: Locator): Promise<Locator | null> {
  const visible = locator.filter({ visible: true }).first();
  return (await countOf(visible)) > 0 ? visible : null;
}

/** Clicks away consent overlays in every visible frame. Returns how many it dismissed. */
export async function dismissOverlays(page: Page, ctx: NavContext): Promise<number> {
  let dismissed = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let clicked = false;
    for (const frame of await visibleFrames(page)) {
      const containers = frame.locator(CONTAINERS).filter({ visible: true, hasText: CONSENT_TEXT });
      const count = Math.min(await countOf(containers), 6);
      for (let i = count - 1; i >= 0 && !clicked; i--) {
        // Innermost first: the banner rather than the page wrapper that happens to mention cookies.
        const container = containers.nth(i);
        for (const choice of [CONSENT_REJECT, CONSENT_ACCEPT]) {
          const button = await firstVisible(container.getByRole('button', { name: choice }).or(container.getByRole('link', { name: choice })));
          if (!button) continue;
          try {
            await button.click({ timeout: ctx.timeouts.action });
            clicked = true;
            dismissed++;
            ctx.log.debug({ choice: choice === CONSENT_REJECT ? 'reject' : 'accept' }, 'dismissed a consent overlay');
          } catch {
            // Another overlay on top of this one: the next round gets it.
          }
          break;
        }
      }
      if (clicked) break;
    }
    if (!clicked) break;
    await sleep(250);
  }
  return dismissed;
}
