/*
 * Edit distance for service names. No fuzzy-matching package is installed (leven,
 * fastest-levenshtein, fuse.js: none), and the optimal-string-alignment variant of
 * Damerau-Levenshtein is thirty lines — not worth a dependency. Transpositions count as
 * one edit because "gihtub" and "instagarm" are the typos people actually make.
 */

/**
 * Optimal-string-alignment distance between `a` and `b` (insertions, deletions,
 * substitutions and adjacent transpositions cost 1). Stops early and returns
 * `maxDistance + 1` once the distance is known to exceed `maxDistance`.
 */
export function damerauLevenshtein(a: string, b: string, maxDistance = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > maxDistance) return maxDistance + 1;

  // Three rolling rows: the one two back is needed for transpositions.
  let twoBack: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (previous[j] ?? Infinity) + 1, // deletion
        (current[j - 1] ?? Infinity) + 1, // insertion
        (previous[j - 1] ?? Infinity) + cost, // substitution
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (twoBack[j - 2] ?? Infinity) + 1); // transposition
      }
      current.push(value);
      rowMinimum = Math.min(rowMinimum, value);
    }
    if (rowMinimum > maxDistance) return maxDistance + 1;
    twoBack = previous;
    previous = current;
  }
  const distance = previous[b.length] ?? Infinity;
  return distance > maxDistance ? maxDistance + 1 : distance;
}
