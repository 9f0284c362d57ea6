import { nameWords } from '../kg/name-words';
import { wordWeight } from '../linking/score';
import words from './judge-words.json';

/** What a word says about which disease a phrase names. */
export type WordRole = 'content' | 'site' | 'generic' | 'modifier';

/** Weights of the roles when measuring how much of a name another phrase covers. */
const ROLE_WEIGHT: Record<WordRole, number> = { content: 1, site: 0.5, generic: 0.3, modifier: 0 };

const MODIFIERS: ReadonlySet<string> = new Set(words.modifiers.flatMap((w) => nameWords(w)));
const SITES: ReadonlySet<string> = new Set(words.sites.flatMap((w) => nameWords(w)));
const CANONICAL: ReadonlyMap<string, string> = new Map(
  words.siteSynonyms.map(([from, to]) => [nameWords(from as string)[0] as string, nameWords(to as string)[0] as string]),
);

/** A word in its canonical form: a site adjective as its noun ("renal" → "kidney"), a few clinical synonyms. */
export function canonicalWord(word: string): string {
  return CANONICAL.get(word) ?? word;
}

export interface PhraseWords {
  /** The phrase's words in order, normalised (kg/name-words.ts) and canonical ("renal" → "kidney"). */
  words: string[];
  /** Each distinct word with its role. */
  roles: Map<string, WordRole>;
}

export function phraseWords(text: string): PhraseWords {
  const list = nameWords(text)
    .map(canonicalWord)
    .filter((w) => w.length > 0);
  const roles = new Map<string, WordRole>();
  for (const w of list) roles.set(w, roleOf(w));
  return { words: list, roles };
}

export function roleOf(word: string): WordRole {
  if (MODIFIERS.has(word) || /^\d+[a-z]?$/.test(word) || /^[a-z]\d+$/.test(word)) return 'modifier';
  if (SITES.has(word)) return 'site';
  if (wordWeight(word) < 1) return 'generic';
  return 'content';
}

/**
 * Two words of one stem: the same, or sharing at least their first seven letters and differing only by
 * an ending that names the same thing ("toxocara" / "toxocariasis", "aspergillus" / "aspergillosis",
 * "tubercular" / "tuberculosis"); an ending such as "-ism" or "-itis" makes another word
 * ("parkinson" / "parkinsonism").
 */
export function sameStem(a: string, b: string): boolean {
  if (a === b) return true;
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  if (common < STEM_LETTERS) return false;
  return SAME_THING_ENDINGS.has(a.slice(common)) && SAME_THING_ENDINGS.has(b.slice(common));
}

const STEM_LETTERS = 7;
const SAME_THING_ENDINGS: ReadonlySet<string> = new Set(words.sameThingEndings);

/** Whether a phrase has a word: itself, one of its stem, or two consecutive words that join into it ("fibro adipose"). */
export function hasWord(phrase: PhraseWords, word: string): boolean {
  if (phrase.roles.has(word)) return true;
  for (const w of phrase.roles.keys()) if (sameStem(w, word)) return true;
  for (let i = 0; i + 1 < phrase.words.length; i++) if (`${phrase.words[i]}${phrase.words[i + 1]}` === word) return true;
  return false;
}

/** How much a word tells about which disease is meant: its role's weight times its rarity. */
export type WordWeight = (word: string, role: WordRole) => number;

export const roleWeight: WordWeight = (_word, role) => ROLE_WEIGHT[role];

/**
 * The weighted share of `name`'s words that `phrase` says, in [0, 1] (0 for a name of modifiers only).
 * A word of `name` that `phrase` writes joined with its neighbour counts as said.
 */
export function coveredShare(phrase: PhraseWords, name: PhraseWords, weight: WordWeight): number {
  let total = 0;
  let covered = 0;
  for (const [w, role] of name.roles) {
    const x = weight(w, role);
    if (x === 0) continue;
    total += x;
    if (hasWord(phrase, w) || joinedIn(name, w, phrase)) covered += x;
  }
  return total === 0 ? 0 : covered / total;
}

/** Content words of `phrase` that `name` lacks. */
export function extraWords(phrase: PhraseWords, name: PhraseWords): string[] {
  return [...phrase.roles]
    .filter(([w, role]) => role === 'content' && !hasWord(name, w) && !joinedIn(phrase, w, name))
    .map(([w]) => w);
}

/** `word` of `own` is half of a compound that `other` writes as one word ("fibro" of "fibro adipose"). */
function joinedIn(own: PhraseWords, word: string, other: PhraseWords): boolean {
  const i = own.words.indexOf(word);
  if (i < 0) return false;
  const before = i > 0 ? `${own.words[i - 1]}${word}` : undefined;
  const after = i + 1 < own.words.length ? `${word}${own.words[i + 1]}` : undefined;
  return (before !== undefined && other.roles.has(before)) || (after !== undefined && other.roles.has(after));
}

const OPPOSITES: [string, string][] = words.opposites.map(([a, b]) => [asPhraseWord(a as string), asPhraseWord(b as string)]);

/** A word of the word lists as phraseWords writes it. */
function asPhraseWord(word: string): string {
  return canonicalWord(nameWords(word)[0] ?? word);
}

/**
 * The phrases contradict each other: one says a modifier and the other its opposite, neither both
 * ("low-grade" / "high-grade", "primary" / "metastatic", "left" / "right"), or they name different
 * letters of a family ("hepatitis B" / "hepatitis E").
 */
export function contradicts(a: PhraseWords, b: PhraseWords): boolean {
  if (differentDesignators(a, b)) return true;
  return OPPOSITES.some(
    ([x, y]) =>
      (a.roles.has(x) && !a.roles.has(y) && b.roles.has(y) && !b.roles.has(x)) ||
      (a.roles.has(y) && !a.roles.has(x) && b.roles.has(x) && !b.roles.has(y)),
  );
}

/**
 * A single letter that tells one disease of a family from another ("hepatitis B" / "hepatitis E",
 * "protein C" / "protein S" deficiency): both phrases have some and they have none in common.
 */
function differentDesignators(a: PhraseWords, b: PhraseWords): boolean {
  const of = (p: PhraseWords) => new Set(p.words.filter(isDesignator));
  const x = of(a);
  const y = of(b);
  return x.size > 0 && y.size > 0 && ![...x].some((d) => y.has(d));
}

function isDesignator(word: string): boolean {
  // "a" is an article, never a designator.
  return /^[b-z]$/.test(word);
}
