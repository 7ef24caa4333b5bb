// Every throttle in one place, so limits are read (and changed) together.
// A rule is a fixed window anchored at the first hit: `limit` hits are allowed
// in `windowMs`, the next one is refused until the window ends.
export interface RateLimitRule {
  /** Part of the bucket key; unique per rule. */
  name: string;
  limit: number;
  windowMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const rateLimits = {
  /** Failed password checks per account (sign-in, sudo, change-password), keyed by email. */
  signInAccount: { name: 'signin-account', limit: 5, windowMs: 15 * MINUTE },
  /** Failed sign-ins per client address. */
  signInIp: { name: 'signin-ip', limit: 20, windowMs: 15 * MINUTE },
  /**
   * Wrong second-factor codes per user, across challenges: a challenge is void
   * after 5 wrong codes, and this keeps new sign-ins from buying more guesses.
   */
  secondFactorUser: { name: 'mfa-user', limit: 10, windowMs: 15 * MINUTE },
  signUpIp: { name: 'signup-ip', limit: 10, windowMs: HOUR },
  forgotPasswordIp: { name: 'forgot-password-ip', limit: 5, windowMs: HOUR },
  /** Reset emails one address receives, whoever asks: silently capped, never a 429. */
  passwordResetEmail: { name: 'reset-email-account', limit: 3, windowMs: HOUR },
  /** "Someone tried to sign up with your address" notices one account receives. */
  signUpNoticeEmail: { name: 'signup-notice-account', limit: 3, windowMs: HOUR },
  verifyEmailStartIp: { name: 'verify-email-ip', limit: 5, windowMs: HOUR },
  /** For the reset API: "task creation 5 per 5 minutes per user (every POST counts)". */
  taskCreationUser: { name: 'task-create-user', limit: 5, windowMs: 5 * MINUTE },
} as const satisfies Record<string, RateLimitRule>;
