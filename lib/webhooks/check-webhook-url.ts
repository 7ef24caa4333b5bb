// A webhook URL is a reset target like any other (SPEC "Reset targets"):
// http or https, no credentials, and a host that resolves only to addresses
// Rekey may reach. Checked when the URL is saved and again before each POST.
import { AppError } from '../errors.js';
import { assertAllowedTarget, TargetNotAllowedError, type HostPolicy } from '../net/target-guard.js';

/** Returns the normalised URL to store; throws 400 `target_not_allowed` naming the field `url`. */
export async function checkWebhookUrl(url: string, policy: HostPolicy): Promise<string> {
  try {
    const checked = await assertAllowedTarget(url, policy);
    return checked.url.href;
  } catch (err) {
    if (err instanceof TargetNotAllowedError) {
      const refusal = new AppError('target_not_allowed', err.message, { field: 'url', reason: err.reason });
      refusal.cause = err;
      throw refusal;
    }
    throw err;
  }
}
