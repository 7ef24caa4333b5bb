import { describe, expect, it } from 'vitest';
import { damerauLevenshtein } from '../../catalog/damerau-levenshtein.js';

describe('damerauLevenshtein', () => {
  it.each([
    ['netflix', 'netflix', 0],
    ['netflx', 'netflix', 1],
    ['gihtub', 'github', 1],
    ['instagarm', 'instagram', 1],
    ['ab', 'ba', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
    ['ca', 'abc', 3], // optimal string alignment: no edits inside a transposed pair
  ])('%s ↔ %s = %i', (a, b, distance) => {
    expect(damerauLevenshtein(a, b)).toBe(distance);
    expect(damerauLevenshtein(b, a)).toBe(distance);
  });

  it('stops early past the limit', () => {
    expect(damerauLevenshtein('spotify', 'dropbox', 1)).toBe(2);
    expect(damerauLevenshtein('a', 'abcdef', 2)).toBe(3);
    expect(damerauLevenshtein('gihtub', 'github', 1)).toBe(1);
  });
});
