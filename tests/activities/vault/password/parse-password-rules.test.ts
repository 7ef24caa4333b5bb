import { describe, expect, it } from 'vitest';
import appleRules from '../../../../catalog/password-manager-resources/password-rules.json' with { type: 'json' };
import {
  ASCII_PRINTABLE,
  DIGIT,
  LOWER,
  PasswordRulesSyntaxError,
  SPECIAL,
  UPPER,
  checkPassword,
  generatePassword,
  parsePasswordRules,
} from '../../../../activities/vault/password/index.js';
import { countIn, longestRun } from './helpers.js';

const sorted = (chars: string) => [...new Set(chars)].sort().join('');

describe('parsePasswordRules', () => {
  it('reads lengths, requirements and allowed characters', () => {
    const policy = parsePasswordRules('minlength: 8; maxlength: 20; required: lower; required: upper; required: digit; allowed: [-_];');
    expect(policy.minLength).toBe(8);
    expect(policy.maxLength).toBe(20);
    expect(policy.requiredClasses).toEqual([LOWER, UPPER, DIGIT]);
    expect(policy.allowedChars).toBe(sorted(LOWER + UPPER + DIGIT + '-_'));
    expect(policy.maxConsecutive).toBeNull();
  });

  it('joins the classes of one requirement', () => {
    const policy = parsePasswordRules('required: lower, upper; required: digit, [!@#$%^&*()];');
    expect(policy.requiredClasses).toEqual([sorted(LOWER + UPPER), sorted(DIGIT + '!@#$%^&*()')]);
  });

  it('allows all printable ASCII when nothing is required or allowed', () => {
    expect(parsePasswordRules('minlength: 6; maxlength: 16;').allowedChars).toBe(ASCII_PRINTABLE);
    expect(parsePasswordRules('').allowedChars).toBe(ASCII_PRINTABLE);
  });

  it('allows only the required classes when no allowed rule widens them', () => {
    expect(parsePasswordRules('required: lower; required: digit;').allowedChars).toBe(sorted(LOWER + DIGIT));
  });

  it('defines special as every printable ASCII symbol, space included', () => {
    expect(parsePasswordRules('allowed: special;').allowedChars).toBe(SPECIAL);
    expect(SPECIAL).toContain(' ');
    expect(SPECIAL).toHaveLength(33);
  });

  it('narrows unicode to ASCII printable and accepts class names in any case', () => {
    expect(parsePasswordRules('allowed: unicode;').allowedChars).toBe(ASCII_PRINTABLE);
    expect(parsePasswordRules('required: Upper;').requiredClasses).toEqual([UPPER]);
  });

  it('reads custom sets the way Apple does', () => {
    expect(parsePasswordRules('allowed: [-abc];').allowedChars).toBe('-abc');
    expect(parsePasswordRules('allowed: [a-c];').allowedChars).toBe('ac'); // "-" only counts first
    expect(parsePasswordRules('allowed: [abc]];').allowedChars).toBe(']abc'); // "]" only counts last
    expect(parsePasswordRules('allowed: [§!ä];').allowedChars).toBe('!'); // printable ASCII only
    expect(parsePasswordRules('allowed: [;,:];').allowedChars).toBe(',:;');
  });

  it('keeps the strictest of repeated numeric rules and ignores zeros', () => {
    const policy = parsePasswordRules('minlength: 6; minlength: 10; maxlength: 30; maxlength: 20; max-consecutive: 4; max-consecutive: 2;');
    expect([policy.minLength, policy.maxLength, policy.maxConsecutive]).toEqual([10, 20, 2]);
    const zeros = parsePasswordRules('minlength: 0; max-consecutive: 0;');
    expect([zeros.minLength, zeros.maxConsecutive]).toEqual([1, null]);
  });

  it('tolerates whitespace and empty values', () => {
    const policy = parsePasswordRules('  minlength : 8 ;required:;  allowed: lower ,digit  ');
    expect(policy.minLength).toBe(8);
    expect(policy.allowedChars).toBe(sorted(LOWER + DIGIT));
  });

  it.each(['minlength 8;', 'required: letters;', 'minlength: eight;', 'allowed: [abc', 'colour: red;', 'minlength: 8 maxlength: 9;'])(
    'rejects %j with a positioned syntax error',
    (text) => {
      expect(() => parsePasswordRules(text)).toThrow(PasswordRulesSyntaxError);
    },
  );
});

describe("every entry of Apple's password-rules.json", () => {
  const entries = Object.entries(appleRules as Record<string, { 'password-rules': string }>).map(
    ([site, entry]) => [site, entry['password-rules']] as const,
  );

  it('has entries', () => {
    expect(entries.length).toBeGreaterThan(400);
  });

  it.each(entries)('%s: parses, and generated passwords satisfy the rules', (_site, rules) => {
    const policy = parsePasswordRules(rules);
    // Read the simple facts straight off the text, independently of the parser.
    const number = (name: string, pick: (values: number[]) => number) => {
      const values = [...rules.matchAll(new RegExp(`${name}:\\s*(\\d+)`, 'g'))].map((m) => Number(m[1])).filter((n) => n > 0);
      return values.length ? pick(values) : undefined;
    };
    const minLength = number('minlength', (v) => Math.max(...v));
    const maxLength = number('maxlength', (v) => Math.min(...v));
    const maxConsecutive = number('max-consecutive', (v) => Math.min(...v));
    const namedOnly = [...rules.matchAll(/required:\s*([a-z-]+(?:\s*,\s*[a-z-]+)*)\s*(?:;|$)/gi)].map((m) =>
      (m[1] ?? '').split(',').map((name) => name.trim().toLowerCase()),
    );
    const namedChars: Record<string, string> = { upper: UPPER, lower: LOWER, digit: DIGIT, special: SPECIAL };

    for (let i = 0; i < 25; i++) {
      const password = generatePassword(policy);
      expect(checkPassword(password, policy)).toEqual([]);
      expect(password).toMatch(/^[\x20-\x7e]+$/);
      if (minLength !== undefined) expect(password.length).toBeGreaterThanOrEqual(minLength);
      if (maxLength !== undefined) expect(password.length).toBeLessThanOrEqual(maxLength);
      if (maxConsecutive !== undefined) expect(longestRun(password)).toBeLessThanOrEqual(maxConsecutive);
      for (const names of namedOnly) {
        if (names.some((name) => !namedChars[name])) continue; // ascii-printable / unicode: anything goes
        expect(countIn(password, names.map((name) => namedChars[name]).join(''))).toBeGreaterThan(0);
      }
    }
  });
});
