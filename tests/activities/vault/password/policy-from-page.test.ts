import { describe, expect, it } from 'vitest';
import {
  ASCII_PRINTABLE,
  DIGIT,
  LOWER,
  SPECIAL,
  UPPER,
  checkPassword,
  compilePattern,
  createDefaultPolicy,
  generatePassword,
  mergePolicies,
  parsePasswordRules,
  policyFromPage,
  policyFromPattern,
  tightenPolicy,
} from '../../../../activities/vault/password/index.js';

describe('policyFromPage', () => {
  it('reads minlength and maxlength attributes as the DOM gives them', () => {
    const policy = policyFromPage({ minLength: '10', maxLength: ' 32' });
    expect([policy.minLength, policy.maxLength]).toEqual([10, 32]);
    expect(policyFromPage({ minLength: 'abc', maxLength: '-1' })).toEqual(createDefaultPolicy());
    expect(policyFromPage({ maxLength: '0' }).maxLength).toBeNull();
    expect(policyFromPage({ maxLength: 64 }).maxLength).toBe(64);
  });

  it('reads a passwordrules attribute and ignores a malformed one', () => {
    expect(policyFromPage({ passwordRules: 'minlength: 9; required: digit;' }).requiredClasses).toEqual([DIGIT]);
    expect(policyFromPage({ passwordRules: 'minlength: nine' })).toEqual(createDefaultPolicy());
  });

  it('merges attributes, rules and text, keeping the strictest of each', () => {
    const policy = policyFromPage({
      minLength: '8',
      maxLength: '20',
      passwordRules: 'minlength: 10; maxlength: 64; required: lower; allowed: upper, digit, [-_!];',
      text: 'At least one uppercase letter and one symbol. No more than 2 identical characters in a row.',
    });
    expect(policy.minLength).toBe(10);
    expect(policy.maxLength).toBe(20);
    expect(policy.maxConsecutive).toBe(2);
    // "a symbol" from the text narrows to the symbols the rules allow.
    expect(policy.requiredClasses).toEqual([LOWER, UPPER, '!-_']);
    expect(policy.allowedChars).toBe([...new Set(LOWER + UPPER + DIGIT + '-_!')].sort().join(''));
    const password = generatePassword(policy);
    expect(checkPassword(password, policy)).toEqual([]);
  });

  it('reads the common shapes of a pattern attribute', () => {
    const policy = policyFromPattern('(?=.*\\d)(?=.*[a-z])(?!.*\\s)[A-Za-z\\d!@#]{8,64}');
    expect(policy.requiredClasses).toEqual([DIGIT, LOWER]);
    expect(policy.forbidden).toContain(' ');
    expect([policy.minLength, policy.maxLength]).toEqual([8, 64]);
    expect(policy.allowedChars).toBe([...new Set(UPPER + LOWER + DIGIT + '!@#')].sort().join(''));
    expect(policyFromPattern('[0-9]{6}')).toMatchObject({ minLength: 6, maxLength: 6, allowedChars: DIGIT });
    expect(policyFromPattern('\\S{12,}')).toMatchObject({ minLength: 12, maxLength: null });
  });

  it('keeps patterns it cannot read, and drops ones that do not compile', () => {
    expect(policyFromPattern('(?!.*(.)\\1).*').patterns).toEqual(['(?!.*(.)\\1).*']);
    expect(policyFromPattern('[a-z')).toEqual(createDefaultPolicy());
    expect(compilePattern('[\\w-]+')?.test('a-b')).toBe(true); // invalid with the v flag, fine with u
  });
});

describe('mergePolicies', () => {
  it('takes the strictest of everything', () => {
    const merged = mergePolicies(
      { ...createDefaultPolicy(), minLength: 8, maxLength: 64, maxConsecutive: 3, requiredClasses: [DIGIT, DIGIT] },
      { ...createDefaultPolicy(), minLength: 12, maxLength: 20, requiredClasses: [DIGIT, UPPER], forbidden: ' ' },
      { ...createDefaultPolicy(), allowedChars: UPPER + LOWER + DIGIT + '!', maxConsecutive: 2 },
    );
    expect(merged).toEqual({
      minLength: 12,
      maxLength: 20,
      requiredClasses: [DIGIT, DIGIT, UPPER],
      allowedChars: [...new Set(UPPER + LOWER + DIGIT + '!')].sort().join(''),
      maxConsecutive: 2,
      forbidden: ' ',
    });
  });

  it('is the default policy when given nothing', () => {
    expect(mergePolicies()).toEqual(createDefaultPolicy());
    expect(createDefaultPolicy().allowedChars).toBe(ASCII_PRINTABLE);
  });
});

describe('tightenPolicy', () => {
  const rules = parsePasswordRules('minlength: 8; maxlength: 20; required: lower; required: upper; required: digit;');

  it('adds what the error message asks for, even when older rules did not allow it', () => {
    const tightened = tightenPolicy(rules, 'Password must contain a symbol');
    expect(tightened.requiredClasses).toEqual([LOWER, UPPER, DIGIT, SPECIAL]);
    expect([tightened.minLength, tightened.maxLength]).toEqual([8, 20]);
    const password = generatePassword(tightened);
    expect(checkPassword(password, tightened)).toEqual([]);
    expect(password).toMatch(/[^A-Za-z0-9]/);
  });

  it('reads lengths from the message, and "too short/long" against the refused password', () => {
    expect(tightenPolicy(rules, 'Password must be at least 12 characters.').minLength).toBe(12);
    expect(tightenPolicy(rules, 'This password is too long.', 'x'.repeat(18)).maxLength).toBe(17);
    expect(tightenPolicy(rules, 'Mot de passe trop court', 'x'.repeat(10)).minLength).toBe(11);
    expect(tightenPolicy(rules, 'This password is too long.').maxLength).toBe(20);
  });

  it('forbids the refused password’s symbols after "invalid characters"', () => {
    const tightened = tightenPolicy(createDefaultPolicy(), 'Your password contains invalid characters.', 'Abc!def#12');
    expect(tightened.forbidden).toBe('!#');
    const blind = tightenPolicy(createDefaultPolicy(), 'Das Passwort enthält ungültige Zeichen');
    expect(blind.allowedChars).toBe([...(DIGIT + UPPER + LOWER)].sort().join(''));
  });

  it('reads run limits and forbidden spaces from messages', () => {
    const tightened = tightenPolicy(rules, 'Password must not repeat the same character more than 2 times in a row.');
    expect(tightened.maxConsecutive).toBe(2);
    expect(tightenPolicy(rules, 'Spaces are not allowed.').forbidden).toBe(' ');
  });
});
