import { describe, expect, it } from 'vitest';
import { checkPasswordRules } from '../../../lib/accounts/password-rules.js';
import { AppError } from '../../../lib/errors.js';

const fieldOf = (fn: () => void) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return (e as AppError).details?.field;
  }
  return undefined;
};

describe('checkPasswordRules', () => {
  it('accepts 10 to 256 characters that are not the email', () => {
    expect(() => checkPasswordRules('a'.repeat(10), 'ada@example.com')).not.toThrow();
    expect(() => checkPasswordRules('a'.repeat(256), 'ada@example.com')).not.toThrow();
  });

  it('counts code points, not UTF-16 units', () => {
    expect(() => checkPasswordRules('🔑'.repeat(10), 'ada@example.com')).not.toThrow();
    expect(fieldOf(() => checkPasswordRules('🔑'.repeat(9), 'ada@example.com'))).toBe('password');
  });

  it('refuses too short, too long, the email and its local part (any case), naming the field', () => {
    expect(fieldOf(() => checkPasswordRules('a'.repeat(9), 'ada@example.com'))).toBe('password');
    expect(fieldOf(() => checkPasswordRules('a'.repeat(257), 'ada@example.com'))).toBe('password');
    expect(fieldOf(() => checkPasswordRules('Ada@Example.com', 'ada@example.com'))).toBe('password');
    expect(fieldOf(() => checkPasswordRules('adalovelace', 'adalovelace@example.com', 'newPassword'))).toBe('newPassword');
  });
});
