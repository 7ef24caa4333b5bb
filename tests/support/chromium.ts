// The one way tests start Chromium: the executable Rekey itself would use
// (findChromium: CHROMIUM_PATH, else the usual Debian paths) with the flags of
// the worker's browser pool.
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../activities/browser/browser-pool.js';
import { findChromium } from '../../activities/browser/chromium-path.js';

export function launchBrowser(): Promise<Browser> {
  // The variable the config module reads in production (config.chromiumPath); a test run has no config of its own.
  return chromium.launch({ executablePath: findChromium(process.env.CHROMIUM_PATH), args: CHROMIUM_ARGS });
}
