// CAPTCHAs are never solved here: the navigator reports them (vendor and all)
// so the workflow can escalate to a person. Widgets are recognised by their
// markup (reCAPTCHA `.g-recaptcha` and its anchor iframe, hCaptcha, Cloudflare
// Turnstile and its challenge page), image challenges and "I'm not a robot"
// text by what they say. Invisible badges (reCAPTCHA v3) do not count.
import type { CaptchaVendor } from './navigator.js';
import type { FrameScan } from './page-agent.js';
import { CAPTCHA_IMAGE_TEXT, CAPTCHA_TEXT } from './vocabulary.js';

export function findCaptcha(frames: FrameScan[]): CaptchaVendor | null {
  let vendor: CaptchaVendor | null = null;
  for (const scan of frames) {
    const widget = scan.captcha;
    if (widget?.blocking && (vendor === null || vendor === 'unknown' || vendor === 'image')) vendor = widget.vendor;
  }
  if (vendor) return vendor;
  for (const scan of frames) {
    if (CAPTCHA_IMAGE_TEXT.test(scan.text)) return 'image';
    if (CAPTCHA_TEXT.test(scan.text)) return 'unknown';
  }
  return null;
}
