// The generic navigator's contract: what a browser activity can ask of a page
// on a site nobody wrote a script for. Implementations work across frames
// (iframes) and open shadow roots, dismiss consent overlays, wait for SPA
// rendering, and report what the page now shows as a PageState.
import type { Page } from 'playwright-core';

export type CodeSource = 'email' | 'sms' | 'totp' | 'unknown';
export type CaptchaVendor = 'recaptcha' | 'hcaptcha' | 'turnstile' | 'image' | 'unknown';
export type ErrorReason =
  | 'link_expired'
  | 'account_not_found'
  | 'password_policy'
  | 'wrong_code'
  | 'wrong_password'
  | 'rate_limited'
  | 'unknown';

export type PageState =
  | { kind: 'email_form' } // asks for the account's email / username to send a reset
  | { kind: 'email_sent' } // "check your inbox"
  | { kind: 'code_prompt'; source: CodeSource } // a one-time code input (autocomplete=one-time-code, 4–8 digits)
  | { kind: 'new_password_form' } // new password (and maybe confirmation)
  | { kind: 'password_changed' } // the site confirms the change
  | { kind: 'login_form' }
  | { kind: 'signed_in' }
  | { kind: 'captcha'; vendor: CaptchaVendor }
  | { kind: 'error'; reason: ErrorReason; message: string } // message: the site's own words, never containing secrets we typed
  | { kind: 'unknown' };

export interface ResetEntryHints {
  serviceUrl: string;
  /** The catalog's reset page for this service, when known. */
  resetUrl?: string;
  loginUrl?: string;
  /**
   * The account's email (or username). With it, an identifier-first sign-in
   * (email, "Continue", then the password) is passed to reach the "Forgot
   * password?" that only its password step shows.
   */
  accountEmail?: string;
}

/** Raw password constraints found on the new-password form. */
export interface PasswordHints {
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  passwordRules?: string;
  /** Visible policy text near the field (requirements lists, help text). */
  policyText: string;
  /** Visible error text after a rejected attempt. */
  errorText?: string;
}

export interface Navigator {
  /** From the service URL to the page asking for the account email: catalog URL, /.well-known/change-password, "Forgot password?" links (login page first when needed). */
  openResetEntry(page: Page, hints: ResetEntryHints): Promise<PageState>;
  /** Types the email into the reset form and submits it. */
  submitEmail(page: Page, email: string): Promise<PageState>;
  /** Types a one-time code into the code prompt and submits it. */
  enterCode(page: Page, code: string): Promise<PageState>;
  readPasswordHints(page: Page): Promise<PasswordHints>;
  /**
   * Fills the new password (and its confirmation) and submits. `beforeSubmit` runs once the
   * fields are filled, just before the click or Enter: from then on the site may have it.
   */
  submitNewPassword(page: Page, password: string, beforeSubmit?: () => Promise<void>): Promise<PageState>;
  /** Signs in with username + password; ends at signed_in, code_prompt (2FA: the password was accepted) or error. */
  signIn(page: Page, args: { serviceUrl: string; loginUrl?: string; username: string; password: string }): Promise<PageState>;
  detectPageState(page: Page): Promise<PageState>;
}
