/** Server-side password rules. Each check returns the messages the site shows. */
export interface PolicyRules {
  minLength: number;
  maxLength?: number;
  upper?: boolean;
  lower?: boolean;
  digit?: boolean;
  /** At least one character from this set is required. */
  symbolFrom?: string;
  /** Only letters, digits and these symbols are accepted. */
  onlySymbols?: string;
  /** No character may repeat more than this many times in a row. */
  maxConsecutive?: number;
}

export interface PolicyMessages {
  minLength(n: number): string;
  maxLength(n: number): string;
  upper: string;
  lower: string;
  digit: string;
  symbolFrom(set: string): string;
  onlySymbols(set: string): string;
  maxConsecutive(n: number): string;
}

export const englishMessages: PolicyMessages = {
  minLength: (n) => `Password must be at least ${n} characters long.`,
  maxLength: (n) => `Password must be at most ${n} characters long.`,
  upper: 'Password must contain at least one uppercase letter.',
  lower: 'Password must contain at least one lowercase letter.',
  digit: 'Password must contain at least one digit.',
  symbolFrom: (set) => `Password must contain at least one of these symbols: ${set.split('').join(' ')}`,
  onlySymbols: (set) => `Password may only contain letters, digits and the symbols ${set.split('').join(' ')}`,
  maxConsecutive: (n) => `Password must not repeat the same character more than ${n} times in a row.`,
};

export function checkPassword(password: string, rules: PolicyRules, overrides: Partial<PolicyMessages> = {}): string[] {
  const messages: PolicyMessages = { ...englishMessages, ...overrides };
  const errors: string[] = [];
  const chars = [...password];
  if (chars.length < rules.minLength) errors.push(messages.minLength(rules.minLength));
  if (rules.maxLength && chars.length > rules.maxLength) errors.push(messages.maxLength(rules.maxLength));
  if (rules.upper && !/[A-Z]/.test(password)) errors.push(messages.upper);
  if (rules.lower && !/[a-z]/.test(password)) errors.push(messages.lower);
  if (rules.digit && !/[0-9]/.test(password)) errors.push(messages.digit);
  if (rules.symbolFrom && !chars.some((c) => rules.symbolFrom?.includes(c))) errors.push(messages.symbolFrom(rules.symbolFrom));
  if (rules.onlySymbols !== undefined) {
    const allowed = rules.onlySymbols;
    if (chars.some((c) => !/[A-Za-z0-9]/.test(c) && !allowed.includes(c))) errors.push(messages.onlySymbols(allowed));
  }
  if (rules.maxConsecutive) {
    let run = 1;
    for (let i = 1; i < chars.length; i++) {
      run = chars[i] === chars[i - 1] ? run + 1 : 1;
      if (run > rules.maxConsecutive) {
        errors.push(messages.maxConsecutive(rules.maxConsecutive));
        break;
      }
    }
  }
  return errors;
}
