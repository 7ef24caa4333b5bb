/*
 * Character sets as sorted strings without duplicates: cheap to compare, to print in a
 * test failure and to carry through JSON (a policy can be an activity result).
 */

function range(first: string, last: string): string {
  let chars = '';
  for (let code = first.charCodeAt(0); code <= last.charCodeAt(0); code++) chars += String.fromCharCode(code);
  return chars;
}

export const UPPER = range('A', 'Z');
export const LOWER = range('a', 'z');
export const DIGIT = range('0', '9');
export const LETTER = UPPER + LOWER;
/** Space to tilde, as Apple's `ascii-printable`. */
export const ASCII_PRINTABLE = range(' ', '~');
/** Apple's `special`: every ASCII printable character that is not a letter or digit, space included. */
export const SPECIAL = toCharSet([...ASCII_PRINTABLE].filter((char) => !/[A-Za-z0-9]/.test(char)));
/**
 * Symbols we prefer when a site allows more: sites that accept any symbol accept these,
 * while quotes, backslashes, angle brackets and spaces trip naive forms and shells.
 */
export const SAFE_SYMBOLS = toCharSet('-_.!@#$%^&*+=?');

export function toCharSet(chars: Iterable<string> | string): string {
  return [...new Set(chars)].sort().join('');
}

export function unionChars(...sets: readonly string[]): string {
  return toCharSet(sets.join(''));
}

export function intersectChars(a: string, b: string): string {
  return toCharSet([...a].filter((char) => b.includes(char)));
}

export function subtractChars(a: string, b: string): string {
  return toCharSet([...a].filter((char) => !b.includes(char)));
}

export function isSubsetOf(a: string, b: string): boolean {
  return [...a].every((char) => b.includes(char));
}
