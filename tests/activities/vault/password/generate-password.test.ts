import { describe, expect, it } from 'vitest';
import {
  DIGIT,
  LOWER,
  PasswordPolicyUnsatisfiable,
  SAFE_SYMBOLS,
  UPPER,
  checkPassword,
  createDefaultPolicy,
  generatePassword,
  mergePolicies,
  parsePasswordRules,
  policyFromPage,
  policyFromText,
  type PasswordPolicy,
  type UnsatisfiableReason,
} from '../../../../activities/vault/password/index.js';
import { countIn, longestRun, seededRandom } from './helpers.js';

const RUNS = 1000;

describe('generatePassword: defaults', () => {
  it('makes 20 characters of letters, digits and safe symbols, each kind present', () => {
    const password = generatePassword(createDefaultPolicy());
    expect(password).toHaveLength(20);
    expect(password).toMatch(/[A-Z]/);
    expect(password).toMatch(/[a-z]/);
    expect(password).toMatch(/[0-9]/);
    expect(countIn(password, SAFE_SYMBOLS)).toBeGreaterThan(0);
    expect(password).toMatch(/^[A-Za-z0-9\-_.!@#$%^&*+=?]+$/);
  });

  it('clamps the length to the policy', () => {
    expect(generatePassword({ ...createDefaultPolicy(), maxLength: 12 })).toHaveLength(12);
    expect(generatePassword({ ...createDefaultPolicy(), minLength: 32 })).toHaveLength(32);
    expect(generatePassword(createDefaultPolicy(), { length: 64 })).toHaveLength(64);
    expect(generatePassword({ ...createDefaultPolicy(), maxLength: 16 }, { length: 64 })).toHaveLength(16);
  });

  it('leaves out default classes the site does not allow', () => {
    const password = generatePassword(parsePasswordRules('required: lower; required: digit;'));
    expect(password).toMatch(/^[a-z0-9]{20}$/);
  });

  it('uses symbols outside the safe set only when the site requires them', () => {
    const password = generatePassword(parsePasswordRules('required: [~]; allowed: lower;'));
    expect(password).toContain('~');
    expect(password.replace(/[a-z~]/g, '')).toBe('');
  });

  it('is reproducible with an injected random source', () => {
    const policy = createDefaultPolicy();
    expect(generatePassword(policy, { random: seededRandom(42) })).toBe(generatePassword(policy, { random: seededRandom(42) }));
    expect(generatePassword(policy, { random: seededRandom(42) })).not.toBe(generatePassword(policy, { random: seededRandom(43) }));
  });
});

describe('generatePassword: impossible policies throw instead of looping', () => {
  const base = createDefaultPolicy();
  const cases: Array<[string, PasswordPolicy, UnsatisfiableReason]> = [
    ['minimum above maximum', { ...base, minLength: 30, maxLength: 20 }, 'length_range'],
    ['nothing allowed', { ...base, allowedChars: '' }, 'empty_alphabet'],
    ['everything forbidden', { ...base, allowedChars: 'ab', forbidden: 'ab' }, 'empty_alphabet'],
    [
      'a required symbol the rules do not allow',
      mergePolicies(parsePasswordRules('allowed: lower, digit;'), policyFromText('must contain a special character')),
      'required_class_not_allowed',
    ],
    ['more requirements than room', { ...base, maxLength: 2, requiredClasses: [UPPER, LOWER, DIGIT] }, 'too_many_required'],
    ['one character, short runs', { ...base, allowedChars: 'a', minLength: 5, maxConsecutive: 2 }, 'max_consecutive'],
    ['a run limit of zero', { ...base, maxConsecutive: 0 }, 'max_consecutive'],
    ['a pattern nothing matches', { ...base, patterns: ['(?!.*[a-z])[\\s\\S]*[a-z][\\s\\S]*'] }, 'pattern'],
    [
      'required characters that cannot be spread out',
      { ...base, allowedChars: 'ab', maxLength: 3, requiredClasses: ['a', 'a', 'a'], maxConsecutive: 1 },
      'max_consecutive',
    ],
  ];

  // "Instead of looping" is counted, not timed: the random source gives at most
  // 1,000 attempts' worth of numbers (a 20-character draw and its shuffle take
  // under 50), then throws something that is not PasswordPolicyUnsatisfiable.
  const DRAW_BUDGET = 1_000 * 50;
  const budgeted = (random: (maxExclusive: number) => number) => {
    let draws = 0;
    return (maxExclusive: number) => {
      if (++draws > DRAW_BUDGET) throw new Error(`more than ${DRAW_BUDGET} random numbers drawn`);
      return random(maxExclusive);
    };
  };

  it.each(cases)('%s', (_name, policy, reason) => {
    let error: unknown;
    try {
      generatePassword(policy, { random: budgeted(seededRandom(7)) });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PasswordPolicyUnsatisfiable);
    expect((error as PasswordPolicyUnsatisfiable).reason).toBe(reason);
    expect((error as PasswordPolicyUnsatisfiable).name).toBe('PasswordPolicyUnsatisfiable');
  });
});

describe(`generatePassword: ${RUNS} passwords per policy`, () => {
  const policies: Array<[string, PasswordPolicy]> = [
    ['default', createDefaultPolicy()],
    ['paypal rules', parsePasswordRules('minlength: 8; maxlength: 20; max-consecutive: 3; required: lower, upper; required: digit, [!@#$%^&*()];')],
    ['aeon rules', parsePasswordRules('minlength: 8; maxlength: 8; max-consecutive: 3; required: digit; required: upper,lower,[#$+./:=?@[^_|~]];')],
    ['six digits, no repeats', parsePasswordRules('minlength: 6; maxlength: 6; required: digit; max-consecutive: 1;')],
    ['two letters alternating', { ...createDefaultPolicy(), allowedChars: 'ab', maxConsecutive: 1 }],
    ['French text', policyFromText('entre 10 et 16 caractères, au moins 2 chiffres, une majuscule et un caractère spécial (!#$)')],
    ['page with a pattern', policyFromPage({ pattern: '[A-Za-z0-9]{12}', text: 'one capital letter' })],
    ['pattern the heuristics cannot read', { ...createDefaultPolicy(), maxLength: 10, patterns: ['[\\s\\S]*[0-9]'] }],
  ];

  it.each(policies)('%s: every password complies', (_name, policy) => {
    const seen = new Set<string>();
    for (let i = 0; i < RUNS; i++) {
      const password = generatePassword(policy);
      expect(checkPassword(password, policy)).toEqual([]);
      // Independent of checkPassword:
      expect(password.length).toBeGreaterThanOrEqual(policy.minLength);
      if (policy.maxLength !== null) expect(password.length).toBeLessThanOrEqual(policy.maxLength);
      for (const char of password) expect(policy.allowedChars).toContain(char);
      for (const required of new Set(policy.requiredClasses)) {
        const times = policy.requiredClasses.filter((chars) => chars === required).length;
        expect(countIn(password, required)).toBeGreaterThanOrEqual(times);
      }
      if (policy.maxConsecutive !== null) expect(longestRun(password)).toBeLessThanOrEqual(policy.maxConsecutive);
      seen.add(password);
    }
    // Small alphabets repeat; anything with a real alphabet must not.
    if (policy.allowedChars.length > 10 && policy.minLength >= 8) expect(seen.size).toBe(RUNS);
  });

  it('spreads characters across the whole alphabet', () => {
    const counts = new Map<string, number>();
    const firstChars = new Set<string>();
    for (let i = 0; i < RUNS; i++) {
      const password = generatePassword(createDefaultPolicy());
      firstChars.add(password[0] ?? '');
      for (const char of password) counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    const alphabet = UPPER + LOWER + DIGIT + SAFE_SYMBOLS;
    expect([...counts.keys()].sort().join('')).toBe([...alphabet].sort().join(''));
    // 20 000 characters over 76: ~263 each, digits a little more (one guaranteed per password).
    const values = [...counts.values()];
    expect(Math.min(...values)).toBeGreaterThan(150);
    expect(Math.max(...values) / Math.min(...values)).toBeLessThan(2);
    // Guaranteed characters land anywhere, so even the first position sees most of the alphabet.
    expect(firstChars.size).toBeGreaterThan(60);
  });

  it('spreads digits evenly in a digits-only policy', () => {
    const policy = parsePasswordRules('minlength: 6; maxlength: 6; required: digit;');
    const counts = new Map<string, number>();
    for (let i = 0; i < RUNS; i++) for (const char of generatePassword(policy)) counts.set(char, (counts.get(char) ?? 0) + 1);
    expect(counts.size).toBe(10);
    for (const count of counts.values()) expect(count).toBeGreaterThan(450); // expected 600 each
  });
});
