// Every frame of a page counts: reset widgets live in iframes (same-origin or
// not — Playwright reaches both) and CAPTCHAs always do. Open shadow roots are
// handled by the page agent's flat-tree walk and by Playwright's CSS, which
// pierces them. Closed shadow roots are out of anyone's reach.
import type { Frame, Locator, Page } from 'playwright-core';
import { MARK_ATTR, pageAgent, type AgentRequest, type FrameScan } from './page-agent.js';
import { withTimeout } from './options.js';

// esbuild (tsx, vitest) may wrap named functions in `__name(…)`; the page has no such helper.
const AGENT_SOURCE = pageAgent.toString();
const AGENT_EVAL_MS = 3_000;

/** Runs the page agent in one frame; null when the frame navigated, detached or hung. */
export async function runAgent<T>(frame: Frame, request: AgentRequest): Promise<T | null> {
  const expression = `(() => { const __name = (f) => f; return (${AGENT_SOURCE})(${JSON.stringify(request)}); })()`;
  try {
    return (await withTimeout(frame.evaluate(expression), AGENT_EVAL_MS)) as T;
  } catch {
    return null;
  }
}

/** The page's frames a person can see: the main frame first, then iframes whose element (and every ancestor frame) is visible. */
export async function visibleFrames(page: Page): Promise<Frame[]> {
  const main = page.mainFrame();
  const shown = new Set<Frame>([main]);
  const others = page.frames().filter((f) => f !== main && !f.isDetached());
  const checks = await Promise.all(
    others.map(async (frame) => {
      try {
        const element = await withTimeout(frame.frameElement(), 2_000);
        const visible = await withTimeout(element.isVisible(), 2_000);
        await element.dispose();
        return visible;
      } catch {
        return false;
      }
    }),
  );
  others.forEach((frame, i) => {
    if (checks[i]) shown.add(frame);
  });
  const reachable = (frame: Frame): boolean => {
    for (let f: Frame | null = frame; f; f = f.parentFrame()) if (!shown.has(f)) return false;
    return true;
  };
  return [main, ...others.filter((f) => shown.has(f) && reachable(f))];
}

export interface FrameEntry {
  frame: Frame;
  scan: FrameScan;
}

/** What every visible frame shows now. Frames that navigate mid-scan are left out. */
export async function scanPage(page: Page): Promise<FrameEntry[]> {
  const frames = await visibleFrames(page);
  const scans = await Promise.all(frames.map((frame) => runAgent<FrameScan>(frame, { cmd: 'scan' })));
  const out: FrameEntry[] = [];
  frames.forEach((frame, i) => {
    const scan = scans[i];
    if (scan) out.push({ frame, scan });
  });
  return out;
}

/** A Playwright locator for an element the agent tagged in `frame`. */
export function markedLocator(frame: Frame, id: string): Locator {
  return frame.locator(`[${MARK_ATTR}="${id}"]`);
}

/** `locator.count()` has no timeout of its own: bounded here, 0 when the frame is gone or hung. */
export function countOf(locator: Locator, ms = 3_000): Promise<number> {
  return withTimeout(locator.count(), ms).catch(() => 0);
}
