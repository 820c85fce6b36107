/**
 * A conservative estimate of a secret's entropy, to refuse the degenerate ones a person types
 * (32 identical characters, a short pattern repeated, a run such as abcdef…): the string is cut to
 * its shortest repeating unit, and the unit counts as its length times the empirical Shannon entropy
 * of its characters or of the steps between neighbouring characters, whichever is lower.
 * Random secrets are underestimated a little (a 64-digit hex secret counts about 240 bits), never over.
 */
export function estimatedEntropyBits(secret: string): number {
  const chars = [...repeatingUnit(secret)].map((char) => char.codePointAt(0)!);
  const steps = chars.slice(1).map((code, index) => code - chars[index]!);
  return Math.min(shannonBits(chars), steps.length > 0 ? shannonBits(steps) : 0);
}

/** what production requires of ADMIN_API_KEY and INTERNAL_SECRET */
export const MIN_SECRET_ENTROPY_BITS = 128;

/** the shortest prefix the whole string repeats (in full or cut off at the end) */
function repeatingUnit(text: string): string {
  for (let period = 1; period < text.length; period++) {
    let repeats = true;
    for (let i = period; i < text.length && repeats; i++) repeats = text[i] === text[i - period];
    if (repeats) return text.slice(0, period);
  }
  return text;
}

/** the symbols' count times their empirical entropy per symbol */
function shannonBits(symbols: number[]): number {
  const counts = new Map<number, number>();
  for (const symbol of symbols) counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
  let perSymbol = 0;
  for (const count of counts.values()) {
    const p = count / symbols.length;
    perSymbol -= p * Math.log2(p);
  }
  return perSymbol * symbols.length;
}
