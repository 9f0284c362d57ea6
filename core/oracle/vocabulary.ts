import type { MenuCategory } from '../cases/model';
import {
  GENERIC_CONCEPTS,
  GENERIC_TEST_WORDS,
  OMITTABLE_TEST_WORDS,
  ORDER_FILLER_WORDS,
  ORGANISM_METHODS,
  EXAM_WORD_FORMS,
  SPECIALISED_STUDIES,
  SPECIMEN_CONCEPTS,
} from './lexicon';
import { CONCEPTS_BY_ID } from './phrases';

/** The oracle's word lists and small predicates over the lexicon, shared by order reading and matching. */

/** Microbiology methods an organism named beside them qualifies. */
export const METHODS: ReadonlySet<string> = new Set(ORGANISM_METHODS);
/** Tests that define a non-blood specimen (see specimenBlocks), from the lexicon file. */
export const SPECIMEN_TESTS: ReadonlySet<string> = new Set(SPECIMEN_CONCEPTS);

/** A specialised study answers an order for the general one (a CTA is a CT), not the reverse. */
const SPECIALISES: Record<string, string[]> = SPECIALISED_STUDIES;
/** Words of an order that name no test ("please", "repeat", "stat"). */
export const FILLER: ReadonlySet<string> = new Set(ORDER_FILLER_WORDS);
/** Examination vocabulary reduced to one word form ("lungs", "pulmonary" → "lung"; "knee" → "extremity"). */
const STEMS: Readonly<Record<string, string>> = EXAM_WORD_FORMS;

export function stem(word: string): string {
  const w = word.toLowerCase();
  if (STEMS[w]) return STEMS[w] as string;
  if (w.length > 4 && w.endsWith('s') && !w.endsWith('ss')) return STEMS[w.slice(0, -1)] ?? w.slice(0, -1);
  return w;
}

export function specific(concepts: Iterable<string>): Set<string> {
  return new Set([...concepts].filter((c) => !GENERIC_CONCEPTS.has(c)));
}

export function isModality(concept: string): boolean {
  return CONCEPTS_BY_ID.get(concept)?.modality === true;
}

export function modalitiesCompatible(order: string, item: string): boolean {
  return order === item || (SPECIALISES[item] ?? []).includes(order);
}

/** Kinds of test that a specimen named beside them only qualifies (a CSF culture is a culture). */
export const NON_LAB_TESTS: ReadonlySet<MenuCategory> = new Set(['microbiology', 'pathology']);

/** Two word stems for one organism: equal, or sharing their first seven letters ("gonorrhea" / "gonorrhoeae"). */
export function sameOrganismWord(a: string, b: string): boolean {
  return a === b || (a.length >= 7 && b.length >= 7 && a.slice(0, 7) === b.slice(0, 7));
}

/** A word as a code: lower case, letters and digits only ("CYP21A2" → "cyp21a2", "HMB-45" → "hmb45"). */
export function codeOf(word: string): string {
  return word.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Words of a test's name too common to identify a test the lexicon does not know. */
export const GENERIC_WORDS: ReadonlySet<string> = new Set(GENERIC_TEST_WORDS);
/** Words of a test's name a result may leave out. */
export const OMITTABLE: ReadonlySet<string> = new Set(OMITTABLE_TEST_WORDS);
