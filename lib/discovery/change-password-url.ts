// A site's /.well-known/change-password (W3C "A Well-Known URL for Changing
// Passwords"), trusted only when the site passes the spec's reliability probe:
// a resource that cannot exist must not answer 2xx, or every answer is
// meaningless (a catch-all page, a redirect to the home page). Both requests
// are browser navigations, so the egress guard sees every hop.
import type { Page } from 'playwright-core';

export const RELIABILITY_PROBE_PATH = '/.well-known/resource-that-should-not-exist-whose-status-code-should-not-be-200';
export const CHANGE_PASSWORD_PATH = '/.well-known/change-password';

export type ChangePasswordAnswer =
  | { status: 'found'; url: string }
  /** The probe answered 2xx: the site's status codes say nothing. */
  | { status: 'unreliable' }
  | { status: 'absent' };

/** Status of the final answer after redirects, or null when nothing answered. */
async function statusOf(page: Page, url: string, timeoutMs: number): Promise<{ status: number; url: string } | null> {
  try {
    const response = await page.goto(url, { waitUntil: 'commit', timeout: timeoutMs });
    return response ? { status: response.status(), url: response.url() } : null;
  } catch {
    return null;
  }
}

export async function findChangePasswordUrl(page: Page, origin: string, options: { timeoutMs: number }): Promise<ChangePasswordAnswer> {
  const probe = await statusOf(page, `${origin}${RELIABILITY_PROBE_PATH}`, options.timeoutMs);
  if (!probe) return { status: 'absent' };
  if (probe.status >= 200 && probe.status < 300) return { status: 'unreliable' };
  const answer = await statusOf(page, `${origin}${CHANGE_PASSWORD_PATH}`, options.timeoutMs);
  if (!answer || answer.status < 200 || answer.status >= 300 || !/^https?:/.test(answer.url)) return { status: 'absent' };
  return { status: 'found', url: answer.url };
}
