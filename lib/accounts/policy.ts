// Lifetimes and counts of account credentials, in one place.
export const SESSION_TTL_MS = 30 * 24 * 3_600_000; // sliding: each use pushes the expiry out
export const SESSION_TOUCH_EVERY_MS = 60_000; // lastSeenAt/expiry are written at most once a minute
export const SUDO_TTL_MS = 5 * 60_000;
export const MFA_CHALLENGE_TTL_MS = 10 * 60_000;
export const MFA_CHALLENGE_MAX_ATTEMPTS = 5;
export const PASSWORD_RESET_TTL_MS = 60 * 60_000;
export const VERIFY_EMAIL_TTL_MS = 24 * 3_600_000;
export const RECOVERY_CODE_COUNT = 10;
export const API_KEY_PREFIX = 'rk_';
