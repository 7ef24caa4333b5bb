// What a new account password must be: 10 to 256 characters, and not the
// account's email (or its local part). Length is counted in code points.
import { AppError } from '../errors.js';
import { normalizeEmail } from './normalize-email.js';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

export function checkPasswordRules(password: string, email: string, field = 'password'): void {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) {
    throw new AppError('validation_failed', `${field}: must be at least ${PASSWORD_MIN_LENGTH} characters`, { field });
  }
  if (length > PASSWORD_MAX_LENGTH) {
    throw new AppError('validation_failed', `${field}: must be at most ${PASSWORD_MAX_LENGTH} characters`, { field });
  }
  const lowered = normalizeEmail(password);
  const address = normalizeEmail(email);
  const localPart = address.split('@')[0] ?? '';
  if (lowered === address || (localPart.length > 0 && lowered === localPart)) {
    throw new AppError('validation_failed', `${field}: must not be your email address`, { field });
  }
}
