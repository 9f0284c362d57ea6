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
  'a',
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
 * The indexed words of a name: normalised, filler dropped, plural "s" stripped ("ulcers" → "ulcer";
 * not "-ss", "-is", "-us", "-ous"). The same function makes the KG's search words and the mention's, so
 * both sides meet (the Neo4j adapter stores them in the node's `words` property for its full-text index).
 */
export function nameWords(text: string): string[] {
  return normalizeName(text)
    .split(' ')
    .filter((w) => w.length > 0 && !FILLER_WORDS.has(w))
    .map(singular);
}

export function singular(word: string): string {
  if (word.length > 4 && word.endsWith('s') && !/(ss|is|us|ous|ys|as)$/.test(word)) {
    return word.endsWith('ies') ? `${word.slice(0, -3)}y` : word.slice(0, -1);
  }
  return word;
}
