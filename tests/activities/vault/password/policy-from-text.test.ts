import { describe, expect, it } from 'vitest';
import {
  ASCII_PRINTABLE,
  DIGIT,
  LOWER,
  SPECIAL,
  UPPER,
  checkPassword,
  generatePassword,
  policyFromText,
  type PasswordPolicy,
} from '../../../../activities/vault/password/index.js';

const LETTER = UPPER + LOWER;

/** The requirement sets, with named classes spelled out for readable failures. */
function requirements(policy: PasswordPolicy): string[] {
  const names: Record<string, string> = { [UPPER]: 'upper', [LOWER]: 'lower', [DIGIT]: 'digit', [SPECIAL]: 'special', [LETTER]: 'letter' };
  return policy.requiredClasses.map((chars) => names[chars] ?? chars);
}

function expectUsable(policy: PasswordPolicy): void {
  const password = generatePassword(policy);
  expect(checkPassword(password, policy)).toEqual([]);
}

describe('policyFromText: English', () => {
  it('reads the usual list of rules', () => {
    const policy = policyFromText(
      'Password must be at least 12 characters and contain one uppercase letter, a number, and a special character such as !@#$. No spaces.',
    );
    expect(policy.minLength).toBe(12);
    expect(policy.maxLength).toBeNull();
    expect(requirements(policy)).toEqual(['upper', 'digit', '!#$@']);
    expect(policy.forbidden).toBe(' ');
    expect(policy.allowedChars).not.toContain(' ');
    expectUsable(policy);
  });

  it.each([
    ['between 8 and 20 characters', 8, 20],
    ['8-20 characters', 8, 20],
    ['8 to 64 characters long', 8, 64],
    ['Use 8 or more characters', 8, null],
    ['12+ characters', 12, null],
    ['Minimum length: 10', 10, null],
    ['at least eight characters', 8, null],
    ['must have more than seven characters', 8, null],
    ['no more than 16 characters', 1, 16],
    ['up to 32 characters', 1, 32],
    ['fewer than 21 characters', 1, 20],
    ['must be exactly 6 characters', 6, 6],
  ])('%j → length %i..%s', (text, min, max) => {
    const policy = policyFromText(text);
    expect([policy.minLength, policy.maxLength]).toEqual([min, max]);
  });

  it('reads run limits without mistaking them for lengths', () => {
    const cases: Array<[string, number]> = [
      ['must not contain more than 2 identical characters in a row', 2],
      ['Password must not repeat the same character more than 2 times in a row.', 2],
      ['no more than 3 consecutive identical characters', 3],
      ['no three identical characters in a row', 2],
      ['no repeated characters', 1],
      ['3 or more identical characters in a row are not allowed', 2],
    ];
    for (const [text, limit] of cases) {
      const policy = policyFromText(text);
      expect(policy.maxConsecutive, text).toBe(limit);
      expect(policy.maxLength, text).toBeNull();
      expect(policy.requiredClasses, text).toEqual([]);
    }
  });

  it('ignores sequences, which it cannot express', () => {
    expect(policyFromText('no sequential characters such as abc or 123').maxConsecutive).toBeNull();
  });

  it('reads Google’s and Epic’s wording', () => {
    const google = policyFromText('Use 8 or more characters with a mix of letters, numbers & symbols');
    expect(google.minLength).toBe(8);
    expect(requirements(google)).toEqual(['letter', 'digit', 'special']);

    const epic = policyFromText(
      'The password must have more than seven characters, including at least one number, at least one letter, and no spaces.',
    );
    expect(epic.minLength).toBe(8);
    expect(requirements(epic)).toEqual(['digit', 'letter']);
    expect(epic.forbidden).toBe(' ');
  });

  it('counts "at least 2 digits"', () => {
    expect(requirements(policyFromText('at least 2 digits and 1 uppercase letter'))).toEqual(['digit', 'digit', 'upper']);
  });

  it('reads upper-and-lower-case as two requirements', () => {
    expect(requirements(policyFromText('must contain upper and lowercase letters'))).toEqual(['upper', 'lower']);
    expect(requirements(policyFromText('mixed case'))).toEqual(['upper', 'lower']);
  });

  it('restricts what is allowed after "only"', () => {
    const policy = policyFromText('Password may only contain letters, digits and the symbols - _ .');
    expect(policy.allowedChars).toBe([...new Set(LETTER + DIGIT + '-_.')].sort().join(''));
    expect(policy.requiredClasses).toEqual([]);
    expect(policyFromText('letters and numbers only').allowedChars).toBe([...(DIGIT + LETTER)].sort().join(''));
  });

  it('takes a complete list of symbols as the only accepted ones', () => {
    const policy = policyFromText('Password must contain at least one of these symbols: ! # $');
    expect(requirements(policy)).toEqual(['!#$']);
    expect(policy.allowedChars.replace(/[A-Za-z0-9]/g, '')).toBe('!#$');
    const allowed = policyFromText('Allowed special characters: !@#$%');
    expect(allowed.requiredClasses).toEqual([]);
    expect(allowed.allowedChars.replace(/[A-Za-z0-9]/g, '')).toBe('!#$%@');
  });

  it('forbids what a negation names', () => {
    const policy = policyFromText('at least 2 digits and no special characters');
    expect(requirements(policy)).toEqual(['digit', 'digit']);
    expect(policy.forbidden).toBe(SPECIAL);
    expect(policyFromText('Spaces are not allowed').forbidden).toBe(' ');
    expect(policyFromText('must be 8-64 characters long and must not contain < or >').forbidden).toBe('<>');
  });

  it('does not require what is only permitted', () => {
    expect(policyFromText('Passwords can include letters, numbers and symbols').requiredClasses).toEqual([]);
    expect(policyFromText('Special characters are allowed').requiredClasses).toEqual([]);
  });

  it('turns rules about the first or last character into patterns', () => {
    const policy = policyFromText('Cannot start with a number');
    expect(policy.requiredClasses).toEqual([]);
    expect(policy.forbidden).toBeUndefined();
    expect(checkPassword('1abc', policy)).toEqual([{ rule: 'pattern', pattern: policy.patterns?.[0] }]);
    expect(checkPassword('abc1', policy)).toEqual([]);
    const letterFirst = policyFromText('must begin with a letter');
    expect(checkPassword('#abc', letterFirst)).toHaveLength(1);
    expect(checkPassword('a#bc', letterFirst)).toEqual([]);
  });

  it('knows nothing from text without rules', () => {
    expect(policyFromText('Choose a strong password you do not use elsewhere.')).toEqual({
      minLength: 1,
      maxLength: null,
      requiredClasses: [],
      allowedChars: ASCII_PRINTABLE,
      maxConsecutive: null,
    });
    expect(policyFromText('Do not use your phone number or account number').requiredClasses).toEqual([]);
  });
});

describe('policyFromText: French', () => {
  it('reads a typical policy', () => {
    const policy = policyFromText(
      'Le mot de passe doit contenir au moins 12 caractères, dont une majuscule, une minuscule, un chiffre et un caractère spécial (!@#$%).',
    );
    expect(policy.minLength).toBe(12);
    expect(requirements(policy)).toEqual(['upper', 'lower', 'digit', '!#$%@']);
    expect(policy.allowedChars.replace(/[A-Za-z0-9]/g, '')).toBe('!#$%@');
    expectUsable(policy);
  });

  it.each([
    ['entre 8 et 20 caractères', 8, 20],
    ['8 caractères minimum', 8, null],
    ['au moins douze caractères', 12, null],
    ['pas plus de 30 caractères', 1, 30],
    ['de 10 à 64 caractères', 10, 64],
  ])('%j → length %i..%s', (text, min, max) => {
    const policy = policyFromText(text);
    expect([policy.minLength, policy.maxLength]).toEqual([min, max]);
  });

  it('reads negations, counts and run limits', () => {
    const policy = policyFromText(
      'Au moins 2 chiffres ; il ne doit pas contenir d’espaces ; pas plus de 3 caractères identiques à la suite',
    );
    expect(requirements(policy)).toEqual(['digit', 'digit']);
    expect(policy.forbidden).toBe(' ');
    expect(policy.maxConsecutive).toBe(3);
    expect(requirements(policyFromText('des majuscules et des minuscules'))).toEqual(['upper', 'lower']);
  });
});

describe('policyFromText: German', () => {
  it('reads a typical policy', () => {
    const policy = policyFromText(
      'Das Passwort muss mindestens 10 Zeichen lang sein und Groß- und Kleinbuchstaben, eine Ziffer und ein Sonderzeichen enthalten.',
    );
    expect(policy.minLength).toBe(10);
    expect(requirements(policy)).toEqual(['upper', 'lower', 'digit', 'special']);
    expectUsable(policy);
  });

  it.each([
    ['mindestens 10 Zeichen', 10, null],
    ['mind. 8 Zeichen, max. 16 Zeichen', 8, 16],
    ['zwischen 8 und 20 Zeichen', 8, 20],
    ['8 bis 64 Zeichen lang', 8, 64],
    ['höchstens 32 Zeichen', 1, 32],
    ['nicht mehr als 20 Zeichen', 1, 20],
  ])('%j → length %i..%s', (text, min, max) => {
    const policy = policyFromText(text);
    expect([policy.minLength, policy.maxLength]).toEqual([min, max]);
  });

  it('reads negations and run limits', () => {
    expect(policyFromText('Das Passwort darf keine Leerzeichen enthalten').forbidden).toBe(' ');
    expect(policyFromText('Leerzeichen sind nicht erlaubt').forbidden).toBe(' ');
    expect(policyFromText('nicht mehr als 2 gleiche Zeichen hintereinander').maxConsecutive).toBe(2);
    expect(requirements(policyFromText('mindestens zwei Großbuchstaben'))).toEqual(['upper', 'upper']);
  });
});

describe('policyFromText: Spanish', () => {
  it('reads a typical policy', () => {
    const policy = policyFromText(
      'La contraseña debe tener entre 8 y 20 caracteres, al menos una mayúscula, una minúscula, un número y no puede contener espacios.',
    );
    expect([policy.minLength, policy.maxLength]).toEqual([8, 20]);
    expect(requirements(policy)).toEqual(['upper', 'lower', 'digit']);
    expect(policy.forbidden).toBe(' ');
    expectUsable(policy);
  });

  it.each([
    ['al menos 8 caracteres', 8, null],
    ['mínimo 10 caracteres', 10, null],
    ['como máximo 16 caracteres', 1, 16],
    ['no más de 20 caracteres', 1, 20],
    ['de 8 a 64 caracteres', 8, 64],
  ])('%j → length %i..%s', (text, min, max) => {
    const policy = policyFromText(text);
    expect([policy.minLength, policy.maxLength]).toEqual([min, max]);
  });

  it('reads symbols, negations and run limits', () => {
    expect(requirements(policyFromText('debe incluir un carácter especial'))).toEqual(['special']);
    expect(requirements(policyFromText('mayúsculas y minúsculas'))).toEqual(['upper', 'lower']);
    expect(policyFromText('sin espacios').forbidden).toBe(' ');
    expect(policyFromText('no más de 2 caracteres idénticos consecutivos').maxConsecutive).toBe(2);
  });
});

describe('policyFromText: error messages after a rejected attempt', () => {
  it.each([
    ['Password must contain a symbol', ['special']],
    ['Your password needs at least one uppercase letter.', ['upper']],
    ['Passwords must have at least one non alphanumeric character.', ['special']],
    ['Password must contain at least one digit.', ['digit']],
    ['Le mot de passe doit contenir au moins un caractère spécial', ['special']],
    ['Das Passwort muss mindestens ein Sonderzeichen enthalten', ['special']],
    ['La contraseña debe contener al menos un símbolo', ['special']],
  ])('%j → %j', (text, expected) => {
    expect(requirements(policyFromText(text))).toEqual(expected);
  });

  it('reads length complaints', () => {
    expect(policyFromText('Password must be at least 12 characters long.').minLength).toBe(12);
    expect(policyFromText('Password must be at most 16 characters long.').maxLength).toBe(16);
  });
});
