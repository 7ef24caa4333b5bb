/** A small seeded PRNG (mulberry32) in the shape `generatePassword` takes. */
export function seededRandom(seed: number): (maxExclusive: number) => number {
  let state = seed >>> 0;
  return (maxExclusive) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return Math.floor(unit * maxExclusive);
  };
}

export function longestRun(password: string): number {
  let longest = 0;
  let run = 0;
  [...password].forEach((char, i, chars) => {
    run = i > 0 && chars[i - 1] === char ? run + 1 : 1;
    longest = Math.max(longest, run);
  });
  return longest;
}

export function countIn(password: string, chars: string): number {
  return [...password].filter((char) => chars.includes(char)).length;
}
