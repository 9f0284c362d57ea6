import type { KgNode } from '../kg/model';
import { nameWords } from '../kg/name-words';

/** Document frequencies of words among disease names (disease-word-frequencies.json). */
export interface WordFrequencies {
  /** Disease nodes counted. */
  documents: number;
  /** Word → the number of diseases whose name or a synonym has it (words of a single disease left out). */
  frequencies: Record<string, number>;
}

/** Counts, for every word, the disease nodes whose name or a synonym has it; keeps words of two or more. */
export function diseaseWordFrequencies(nodes: readonly KgNode[]): WordFrequencies {
  const counts = new Map<string, number>();
  let documents = 0;
  for (const node of nodes) {
    if (node.kind !== 'disease') continue;
    documents++;
    for (const w of new Set([node.name, ...node.synonyms].flatMap((t) => nameWords(t)))) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  const frequencies: Record<string, number> = {};
  for (const [w, c] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) if (c >= 2) frequencies[w] = c;
  return { documents, frequencies };
}

/** A word's rarity among disease names: log(N / df), with df = 1 for a word not counted. */
export function rarity(frequencies: WordFrequencies): (word: string) => number {
  const n = Math.max(frequencies.documents, 2);
  return (word) => Math.log(n / Math.min(frequencies.frequencies[word] ?? 1, n / 2));
}
