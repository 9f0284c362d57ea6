import { nameWords } from '../kg/name-words';

/**
 * Words that occur in very many KG names and say little about which node is meant. They count, with
 * a small weight, so "Abnormality of the liver" still beats "liver" alone when the mention says both.
 */
const LOW_WEIGHT = new Set([
  'abnormal',
  'abnormality',
  'disease',
  'disorder',
  'syndrome',
  'finding',
  'level',
  'concentration',
  'circulating',
  'serum',
  'plasma',
  'count',
  'acute',
  'chronic',
  'primary',
  'unspecified',
  'condition',
  'morphology',
  'physiology',
  'process',
  'nos',
  'infection',
  'lesion',
  'positive',
  'sign',
  'symptom',
  'severe',
  'mild',
  'moderate',
  'bilateral',
  'left',
  'right',
  'new',
  'onset',
  'recurrent',
  'isolated',
]);

export function wordWeight(word: string): number {
  return LOW_WEIGHT.has(word) ? 0.3 : 1;
}

/** The word set that nameScore compares (kg/name-words.ts). */
export function wordSet(text: string): Set<string> {
  return new Set(nameWords(text));
}

/**
 * How well a KG name fits a mention, in [0, 1], given their word sets (wordSet): the weighted Dice
 * coefficient, 1 for the same words, halved when they contradict each other. Symmetric, so a name with
 * extra words and a mention with extra words are penalised alike. `weigh` gives each word its weight
 * (default wordWeight).
 */
export function nameScore(m: ReadonlySet<string>, n: ReadonlySet<string>, weigh: (word: string) => number = wordWeight): number {
  if (m.size === 0 || n.size === 0) return 0;
  const total = (set: ReadonlySet<string>) => [...set].reduce((sum, w) => sum + weigh(w), 0);
  const shared = [...m].filter((w) => n.has(w)).reduce((sum, w) => sum + weigh(w), 0);
  const dice = (2 * shared) / (total(m) + total(n));
  return contradicts(m, n) ? dice / 2 : dice;
}

/** Word pairs that make a name say the opposite of the mention ("elevated WBC" is not "decreased leukocyte count"). */
const OPPOSITES: [string, string][] = [
  ['elevated', 'decreased'],
  ['left', 'right'],
  ['upper', 'lower'],
  ['acute', 'chronic'],
  ['benign', 'malignant'],
  ['inspiratory', 'expiratory'],
];

function contradicts(m: ReadonlySet<string>, n: ReadonlySet<string>): boolean {
  return OPPOSITES.some(
    ([a, b]) => (m.has(a) && !m.has(b) && n.has(b) && !n.has(a)) || (m.has(b) && !m.has(a) && n.has(a) && !n.has(b)),
  );
}
