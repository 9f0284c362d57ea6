import type { MenuCategory } from '../cases/model';
import type { ItemProfile } from './item-profile';
import { OTHER_SPECIMEN_WORDS } from './lexicon';
import { CONCEPTS_BY_ID, regionsCompatible } from './phrases';
import type { Request } from './order';
import {
  GENERIC_WORDS,
  isModality,
  METHODS,
  modalitiesCompatible,
  OMITTABLE,
  sameOrganismWord,
  SPECIMEN_TESTS,
} from './vocabulary';

/** The rules by which a menu item answers a request (`matched_by`), and the test the lexicon does not know. */

function conceptMatches(concept: string, p: ItemProfile): boolean {
  const { own } = p;
  const members = CONCEPTS_BY_ID.get(concept)?.members ?? [];
  if (own.has(concept) || members.some((m) => own.has(m))) return true;
  for (const c of [...p.panels, ...p.subject]) {
    const panel = CONCEPTS_BY_ID.get(c)?.members ?? [];
    if (!panel.includes(concept)) continue;
    // A panel that names the members it reports ("Tumour markers: CEA 2.1, CA-125 45") answers only for
    // those; a defined panel that names none ("CBC: normal") answers for all of them, a family of
    // distinct tests ("Endoscopy: ulcers") for none.
    const reported = panel.filter((m) => p.text.has(m));
    if (reported.includes(concept)) return true;
    if (reported.length === 0 && !CONCEPTS_BY_ID.get(c)?.loose) return true;
  }
  // The test its headings name: "electrolytes" reveals "Serum Electrolytes › Magnesium".
  if (p.context.has(concept)) return true;
  // A grab-bag item ("Laboratory findings: … leukocytosis …") reports what its text names, in its own category.
  const sameCategory = CONCEPTS_BY_ID.get(concept)?.category === p.item.category;
  // So does a defined panel its text implies ("hyperthyroidism": the thyroid function tests) for its members.
  const inPanel = [...p.text].some(
    (c) => !CONCEPTS_BY_ID.get(c)?.loose && (CONCEPTS_BY_ID.get(c)?.members ?? []).includes(concept),
  );
  if (p.grabBag && sameCategory && (p.text.has(concept) || members.some((m) => p.text.has(m)) || inPanel)) return true;
  return false;
}

const SITED: ReadonlySet<MenuCategory> = new Set(['pathology', 'procedure', 'microbiology']);

/**
 * An analyte reported within a non-blood specimen ("Urinalysis › WBC", "Joint aspiration › WBC")
 * answers only an order that names the specimen test: a clinician who orders "WBC" or "glucose"
 * means blood.
 */
function specimenBlocks(request: Request, p: ItemProfile): boolean {
  const specimens = [...p.context].filter((c) => SPECIMEN_TESTS.has(c));
  if (specimens.length === 0 || request.concepts.some((c) => specimens.includes(c))) return false;
  return request.concepts.every((c) => CONCEPTS_BY_ID.get(c)?.category === 'lab');
}

/** Word overlap (≥ 60% of the request's words) with an item's name: free-text requests and organisms ("gonorrhea NAAT"). */
function residueMatches(request: Request, p: ItemProfile): boolean {
  if (request.residue.length === 0) return false;
  const shared = request.residue.filter((w) => p.words.has(w)).length;
  return shared / request.residue.length >= 0.6;
}

/** Which rule of the oracle found an item for a request (`env ask --json` reports it as matched_by). */
export type MatchRule =
  | 'specimen_analyte'
  | 'catch_all'
  | 'examination_words'
  | 'imaging_region'
  | 'modality_region'
  | 'lexicon'
  | 'result_names'
  | 'word_overlap'
  | 'organism_words'
  | 'test_name';

/** Rules that found an item for the tests a request names: the answer is the part of the result about them. */
export const BY_TEST: ReadonlySet<MatchRule> = new Set([
  'specimen_analyte',
  'modality_region',
  'lexicon',
  'result_names',
  'organism_words',
]);

/** Kinds of item whose result can report further tests of those kinds beside the one its label names. */
const REPORTING: ReadonlySet<MenuCategory> = new Set(['lab', 'microbiology']);

export function matchRule(request: Request, p: ItemProfile): MatchRule | null {
  const { item } = p;
  // "urine glucose": the analyte within that specimen, not the whole urinalysis.
  const specimens = request.concepts.filter((c) => SPECIMEN_TESTS.has(c));
  const analytes = request.concepts.filter((c) => !SPECIMEN_TESTS.has(c) && CONCEPTS_BY_ID.get(c)?.category === 'lab');
  if (specimens.length > 0 && analytes.length > 0) {
    return specimens.some((s) => p.context.has(s)) && analytes.some((a) => p.label.has(a) || p.text.has(a))
      ? 'specimen_analyte'
      : null;
  }
  if (request.concepts.length > 0 && !request.concepts.includes('labs') && specimenBlocks(request, p)) return null;
  // "EBV PCR": the organism's test must match; the method ("PCR") only says how, and an item that names
  // a method must name this one.
  const methods = request.concepts.filter((c) => METHODS.has(c));
  const organisms = request.concepts.filter(
    (c) => !METHODS.has(c) && !SPECIMEN_TESTS.has(c) && CONCEPTS_BY_ID.get(c)?.category === 'microbiology',
  );
  const forOrganism = methods.length > 0 && organisms.length > 0;
  if (forOrganism) {
    const named = [...p.own].filter((c) => METHODS.has(c));
    if (named.length > 0 && !named.some((c) => methods.includes(c))) return null;
  }
  for (const concept of forOrganism ? request.concepts.filter((c) => !METHODS.has(c)) : request.concepts) {
    if (concept === 'labs') {
      if (item.category === 'lab') return 'catch_all';
      continue;
    }
    if (concept === 'physical_exam') {
      if (item.category !== 'exam') continue;
      if (request.residue.length === 0) return 'catch_all';
      if (request.residue.some((w) => p.words.has(w))) return 'examination_words';
      continue;
    }
    if (concept === 'imaging') {
      if (
        item.category === 'imaging' &&
        (request.regions.size === 0 || p.regions.size === 0 || regionsCompatible(request.regions, p.regions))
      )
        return request.regions.size === 0 ? 'catch_all' : 'imaging_region';
      continue;
    }
    if (isModality(concept)) {
      if (p.modalities.size === 0) continue;
      if (p.studies) {
        const study = p.studies.some(
          (st) =>
            modalitiesCompatible(concept, st.modality) &&
            (request.regions.size === 0 || st.regions.size === 0 || regionsCompatible(request.regions, st.regions)),
        );
        if (study) return 'modality_region';
        continue;
      }
      const ok =
        [...p.modalities].some((m) => modalitiesCompatible(concept, m)) ||
        (concept === 'ultrasound' && p.modalities.has('echo') && request.regions.has('heart'));
      if (!ok) continue;
      if (request.regions.size > 0 && p.regions.size > 0 && !regionsCompatible(request.regions, p.regions)) continue;
      return 'modality_region';
    }
    if (!organismFound(request, concept, p)) continue;
    if (!conceptMatches(concept, p)) {
      // "Lactate: elevated lactate (5.1 mmol/L), CD4 count of 25 cells/mm³, positive blood cultures": a lab
      // or microbiology result reports the lab and microbiology tests it names, beside its label's.
      const kind = CONCEPTS_BY_ID.get(concept)?.category as MenuCategory;
      if (REPORTING.has(item.category) && REPORTING.has(kind) && p.named.has(concept) && !otherSpecimen(request, p))
        return 'result_names';
      continue;
    }
    // A grab-bag's "fluid with high amylase" is no serum amylase.
    if (p.grabBag && otherSpecimen(request, p)) continue;
    const category = CONCEPTS_BY_ID.get(concept)?.category;
    if (category && SITED.has(category) && request.regions.size > 0) {
      if (p.sites.size > 0 && !regionsCompatible(request.regions, p.sites)) continue;
    }
    return 'lexicon';
  }
  // No known test named: a free-text request ("auscultate the lungs"), matched by word overlap; the
  // same for the organism a microbiology request names beside its test ("gonorrhea NAAT").
  if (request.concepts.length === 0) return residueMatches(request, p) ? 'word_overlap' : null;
  const micro = request.concepts.every((c) => CONCEPTS_BY_ID.get(c)?.category === 'microbiology');
  return micro && residueMatches(request, p) ? 'organism_words' : null;
}

/**
 * A microbiology test ordered for an organism ("HSV PCR", "stool culture for Salmonella") is answered
 * only by an item whose name or result names that organism: a JC virus PCR is no EBV PCR.
 */
function organismFound(request: Request, concept: string, p: ItemProfile): boolean {
  const category = CONCEPTS_BY_ID.get(concept)?.category;
  if (category !== 'microbiology' && !METHODS.has(concept)) return true;
  const named = (w: string) => p.codes.has(w) || [...p.allWords].some((x) => sameOrganismWord(w, x));
  // "pleural fluid culture": a culture of that specimen, not a blood culture.
  const specimenNamed = (s: { concept: string; word: string }) =>
    p.context.has(s.concept) || p.text.has(s.concept) || named(s.word);
  if (category === 'microbiology' && !request.specimens.every(specimenNamed)) return false;
  return request.organism.every(named);
}

/** The words in order within one sentence, at most one other word between two of them ("fasting serum insulin"). */
function phraseIn(words: string[], sentence: string[]): boolean {
  return sentence.some((first, start) => {
    if (!sameOrganismWord(words[0] as string, first)) return false;
    let at = start;
    for (const w of words.slice(1)) {
      const next = sentence.slice(at + 1, at + 3).findIndex((x) => sameOrganismWord(w, x));
      if (next < 0) return false;
      at += 1 + next;
    }
    return true;
  });
}

/**
 * A test the lexicon does not know ("RT-QuIC", "fasting insulin", "bone age X-ray"), found by its name:
 * the words of the request that name no known test, all in an item's name, or in order in a sentence of
 * a result that is not an examination's; what the request does name must fit the item (its modality, body
 * region, specimen, kind of test). At least one of those words must be specific ("insulin", not
 * "serum" or "antibody"). Returns the sentences that name it (all of them when the name did), or null.
 */
/** A blood test asked for ("serum amylase") and an item that reports another specimen ("800 mL of fluid with high amylase"). */
function otherSpecimen(request: Request, p: ItemProfile): boolean {
  if (!request.blood) return false;
  return [...p.context].some((c) => SPECIMEN_TESTS.has(c)) || [...p.allWords].some((w) => OTHER_SPECIMEN.has(w));
}

const OTHER_SPECIMEN: ReadonlySet<string> = new Set(OTHER_SPECIMEN_WORDS);

export function unknownTestMatch(request: Request, p: ItemProfile): string[] | null {
  if (otherSpecimen(request, p)) return null;
  const words = request.unknownName;
  // Specific: a word that is not a common one, or a code of letters and number ("IL-6").
  const code = words.some((w, i) => /^[a-z]+$/.test(w) && /^\d+$/.test(words[i + 1] ?? ''));
  if (!code && !words.some((w) => w.length >= 3 && !/^\d+$/.test(w) && !GENERIC_WORDS.has(w))) return null;
  if (request.regions.size > 0 && p.regions.size > 0 && !regionsCompatible(request.regions, p.regions)) return null;
  const modalities = request.concepts.filter(isModality);
  if (
    modalities.length > 0 &&
    p.modalities.size > 0 &&
    !modalities.some((m) => [...p.modalities].some((pm) => modalitiesCompatible(m, pm)))
  )
    return null;
  const specimens = request.concepts.filter((c) => SPECIMEN_TESTS.has(c));
  if (specimens.length > 0 && !specimens.some((c) => p.context.has(c) || p.text.has(c))) return null;
  const kinds = request.concepts
    .filter((c) => !isModality(c) && !SPECIMEN_TESTS.has(c))
    .map((c) => CONCEPTS_BY_ID.get(c)?.category);
  if (kinds.length > 0 && !kinds.includes(p.item.category)) return null;
  if (words.every((w) => p.words.has(w))) return p.sentences.map((x) => x.text);
  if (p.item.category === 'exam') return null;
  // A result leaves some words of a test's name out ("plasma amino acids": "deranged amino acid profile").
  const kept = words.filter((w) => !OMITTABLE.has(w));
  const phrase = kept.length > 0 ? kept : words;
  const found = p.sentences.filter((_, i) => phraseIn(phrase, p.sentenceWords[i] as string[]));
  return found.length > 0 ? found.map((x) => x.text) : null;
}
