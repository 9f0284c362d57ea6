import { normalizeName } from './names';

/** Words too common in KG names to identify anything; linking gives them little weight. */
export const FILLER_WORDS: ReadonlySet<string> = new Set([
  'of',
  'the',
  'and',
  'or',
  'in',
  'with',
  'to',
  'an',
  'by',
  'for',
  'on',
  'due',
  'at',
  'from',
  'as',
  'type',
]);

/**
 * The indexed words of a name: normalised, filler dropped, synonyms of "elevated"/"decreased" made one
 * word, plural "s" stripped ("ulcers" → "ulcer"; not "-ss", "-is", "-us", "-ys", "-as"). The same function
 * makes the KG's search words and the mention's, so both sides meet (the Neo4j adapter stores them in the
 * node's `words` property for its full-text index).
 */
export function nameWords(text: string): string[] {
  return normalizeName(text)
    .split(' ')
    .filter((w) => w.length > 0 && !FILLER_WORDS.has(w))
    .map((w) => CANONICAL_WORDS.get(w) ?? singular(w));
}

/**
 * Words that mean the same in a finding's name: HPO says "Elevated circulating C-reactive protein" and
 * "Increased serum ferritin", clinicians write "raised", "high", "low", "reduced".
 */
export const CANONICAL_WORDS: ReadonlyMap<string, string> = new Map([
  ...['increased', 'increase', 'elevated', 'elevation', 'raised', 'high', 'higher', 'heightened'].map(
    (w) => [w, 'elevated'] as const,
  ),
  ...['decreased', 'decrease', 'reduced', 'reduction', 'low', 'lower', 'lowered', 'diminished', 'depressed'].map(
    (w) => [w, 'decreased'] as const,
  ),
]);

export function singular(word: string): string {
  if (word.length > 4 && word.endsWith('s') && !/(ss|is|us|ys|as)$/.test(word)) {
    return word.endsWith('ies') ? `${word.slice(0, -3)}y` : word.slice(0, -1);
  }
  return word;
}
