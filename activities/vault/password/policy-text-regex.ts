/** Whole words only, Unicode-aware: `\b` is ASCII-only and would split "großbuchstaben". */
export function wordRegex(source: string, flags = ''): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])${source}(?![\\p{L}\\p{N}])`, `u${flags}`);
}

export function hasWord(source: string, text: string): boolean {
  return wordRegex(source).test(text);
}

/** Index of the first whole-word match, -1 when there is none. */
export function indexOfWord(source: string, text: string): number {
  return wordRegex(source).exec(text)?.index ?? -1;
}
