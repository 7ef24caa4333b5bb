// What discovery reads from a page: the navigator's scan of every visible
// frame (fields, links and buttons with their accessible names, visible text —
// open shadow roots and iframes included), plus what a scan does not report
// because nobody sees it: form actions, iframe and script addresses (Google's
// and Apple's sign-in buttons are iframes and SDK scripts).
import type { Page } from 'playwright-core';
import { scanPage } from '../../activities/browser/navigator/frames.js';
import type { FrameScan } from '../../activities/browser/navigator/page-agent.js';

export interface PageSignals {
  /** The page's URL when it was read. */
  url: string;
  /** Visible frames, main frame first. */
  frames: FrameScan[];
  /** Every frame's URL, hidden ones too (One Tap, SDK iframes). */
  frameUrls: string[];
  formActions: string[];
  scriptSrcs: string[];
}

const MAX_ADDRESSES = 200;

// A string, not a function: esbuild may wrap functions in helpers the page does not have.
const ADDRESSES = `(() => ({
  forms: Array.from(document.forms, (f) => f.action).filter(Boolean).slice(0, ${MAX_ADDRESSES}),
  scripts: Array.from(document.scripts, (s) => s.src).filter(Boolean).slice(0, ${MAX_ADDRESSES}),
}))()`;

export async function readPageSignals(page: Page): Promise<PageSignals> {
  const entries = await scanPage(page);
  const live = page.frames().filter((f) => !f.isDetached());
  const addresses = await Promise.all(
    live.map((frame) => frame.evaluate(ADDRESSES).catch(() => null) as Promise<{ forms: string[]; scripts: string[] } | null>),
  );
  return {
    url: page.url(),
    frames: entries.map((e) => e.scan),
    frameUrls: live.map((f) => f.url()).slice(0, MAX_ADDRESSES),
    formActions: addresses.flatMap((a) => a?.forms ?? []),
    scriptSrcs: addresses.flatMap((a) => a?.scripts ?? []),
  };
}
