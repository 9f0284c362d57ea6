import type { Case, MenuCategory, MenuItem } from '../cases/model';
import { resultSubject } from '../cases/menu-builder';
import {
  GENERIC_CONCEPTS,
  GENERIC_TEST_WORDS,
  OMITTABLE_TEST_WORDS,
  ORDER_FILLER_WORDS,
  ORGANISM_METHODS,
  SPECIALISED_STUDIES,
  SPECIMEN_CONCEPTS,
  TEST_CONCEPTS,
} from './lexicon';
import { CONCEPTS_BY_ID, findRegions, findTests, type Mention, regionsCompatible, type Token, tokenize } from './phrases';
import { answeringPart, type ResultSentence, resultSentences } from './result-sentences';

/**
 * The test-menu oracle: answers a doctor's free-text order with the case's real results, or
 * UNAVAILABLE. It never invents a result: every answer is a menu item, verbatim. Deterministic and
 * pure (no network): the same case and order always give the same answer.
 *
 * How an order is read:
 * 1. split into single requests ("CBC and CMP", "ESR/CRP", "CT chest/abdomen/pelvis");
 *    a fragment that names only a body region inherits the previous fragment's test;
 * 2. each request is mapped to lexicon concepts (abbreviations expanded) and body regions;
 * 3. an item answers a request when it reports that test: named in its label or in the subject of
 *    its result, as a panel containing it or a member of it; or, for a grab-bag item ("Laboratory
 *    findings: … leukocytosis …"), mentioned in its result. Imaging needs a compatible modality and
 *    body region; biopsies, cultures and procedures need a compatible site when both name one;
 * 4. a request that names no known test (a free-text examination such as "auscultate the lungs")
 *    is matched by word overlap with the item names, above a threshold.
 */

export const UNAVAILABLE = 'UNAVAILABLE';

/** The matching rules' version (the lexicon's content hash is added to it in the build configuration). */
export const ORACLE_RULES_VERSION = 'oracle-v3';

export interface OracleItem {
  id: string;
  name: string;
  category: MenuCategory;
  /** The item's result, or the sentences of it about the tests ordered (then `excerpt` is set). */
  result: string;
  /** The result was cut to the sentences the order asked for; the others report other tests. */
  excerpt?: true;
}

export interface OracleAnswer {
  status: 'result' | 'unavailable';
  items: OracleItem[];
}

interface ItemProfile {
  item: MenuItem;
  /** Specific tests its label names: its innermost name ("WBC" in "Complete Blood Count › WBC"), else name and aliases. */
  label: Set<string>;
  /**
   * The panels the item itself is: its label's tests, without the headings of a split item ("Total
   * bilirubin" under "Elevated liver enzymes" is the bilirubin, not the enzymes).
   */
  panels: Set<string>;
  /** Specific tests its whole label names, headings included ("Urinalysis" in "Urinalysis › WBC"). */
  context: Set<string>;
  /** Tests named in the subject of its result ("ECG and echocardiogram showed …"); read for grab-bag items only. */
  subject: Set<string>;
  /** label ∪ subject: the tests the item itself reports. */
  own: Set<string>;
  /** Body sites its label and opening words name, for biopsies, cultures and procedures. */
  sites: Set<string>;
  /** Every test named or implied in its result. */
  text: Set<string>;
  /** Specific tests its result names by name (not through a finding word). */
  named: Set<string>;
  /** Its result sentence by sentence, for answering with the part an order asks for. */
  sentences: ResultSentence[];
  /** Each sentence's word stems, for a test the lexicon does not know. */
  sentenceWords: string[][];
  /** Every word stem of its name and result: where the organism an order names must be found. */
  allWords: Set<string>;
  /** Its name's and result's words as codes ("CYP11B1" → "cyp11b1"), for a gene or strain an order names. */
  codes: Set<string>;
  /** The label names no specific test ("Laboratory Findings", "Other Tests"). */
  grabBag: boolean;
  /** Imaging modalities it reports. */
  modalities: Set<string>;
  /** Body regions from its label and subject; else from its result. */
  regions: Set<string>;
  /**
   * For a label naming several studies ("Chest, abdominal CT and brain MRI"): each modality with the
   * regions written with it, so that this item is no chest MRI. Null for one study.
   */
  studies: { modality: string; regions: Set<string> }[] | null;
  /** Word stems of its name and aliases, for free-text matching. */
  words: Set<string>;
}

interface Request {
  text: string;
  concepts: string[];
  regions: Set<string>;
  /** Words left when test names and filler are removed. */
  residue: string[];
  /** The same with numbers kept: the name of a test the lexicon does not know ("IL-6", "14-3-3"). */
  unknownName: string[];
  /** Words naming what a microbiology test looks for: right before it ("HSV PCR") or after "for" ("culture for Salmonella"). */
  organism: string[];
  /** The specimen a microbiology or pathology test was ordered on ("pleural fluid culture"): the item must name it. */
  specimens: { concept: string; word: string }[];
}

/** Microbiology methods an organism named beside them qualifies. */
const METHODS: ReadonlySet<string> = new Set(ORGANISM_METHODS);
/** Tests that define a non-blood specimen (see specimenBlocks), from the lexicon file. */
const SPECIMEN_TESTS: ReadonlySet<string> = new Set(SPECIMEN_CONCEPTS);

/** A specialised study answers an order for the general one (a CTA is a CT), not the reverse. */
const SPECIALISES: Record<string, string[]> = SPECIALISED_STUDIES;
/** Words of an order that name no test ("please", "repeat", "stat"). */
const FILLER: ReadonlySet<string> = new Set(ORDER_FILLER_WORDS);
/** Exam vocabulary reduced to one word form. */
const STEMS: Record<string, string> = {
  lungs: 'lung',
  pulmonary: 'lung',
  respiratory: 'lung',
  chest: 'lung',
  breath: 'lung',
  auscultate: 'auscultation',
  auscultated: 'auscultation',
  palpate: 'palpation',
  palpated: 'palpation',
  percuss: 'percussion',
  heart: 'cardiac',
  cardiovascular: 'cardiac',
  abdominal: 'abdomen',
  neurologic: 'neurological',
  neuro: 'neurological',
  nerves: 'nerve',
  reflex: 'reflexes',
  eyes: 'eye',
  ocular: 'eye',
  ophthalmic: 'eye',
  dermatological: 'skin',
  dermatologic: 'skin',
  joints: 'joint',
  extremities: 'extremity',
  limbs: 'extremity',
  limb: 'extremity',
  legs: 'extremity',
  arms: 'extremity',
  // A joint or segment examined is an extremity examination ("examine the knee").
  leg: 'extremity',
  arm: 'extremity',
  knee: 'extremity',
  hip: 'extremity',
  ankle: 'extremity',
  wrist: 'extremity',
  shoulder: 'extremity',
  elbow: 'extremity',
  thigh: 'extremity',
  hand: 'extremity',
  foot: 'extremity',
  finger: 'extremity',
  toe: 'extremity',
  nodes: 'node',
  genitalia: 'genital',
  genitourinary: 'genital',
  pelvic: 'pelvis',
  oropharynx: 'throat',
  ears: 'ear',
  otoscopy: 'ear',
};

function stem(word: string): string {
  const w = word.toLowerCase();
  if (STEMS[w]) return STEMS[w] as string;
  if (w.length > 4 && w.endsWith('s') && !w.endsWith('ss')) return STEMS[w.slice(0, -1)] ?? w.slice(0, -1);
  return w;
}

function specific(concepts: Iterable<string>): Set<string> {
  return new Set([...concepts].filter((c) => !GENERIC_CONCEPTS.has(c)));
}

function isModality(concept: string): boolean {
  return CONCEPTS_BY_ID.get(concept)?.modality === true;
}

function modalitiesCompatible(order: string, item: string): boolean {
  return order === item || (SPECIALISES[item] ?? []).includes(order);
}

function profile(item: MenuItem): ItemProfile {
  const labelText = [item.name, ...item.aliases].join(' ; ');
  const innermost = specific(findTests(item.name.split('›').pop() as string, 'order').map((m) => m.concept));
  // Aliases that are not headings of the name (a parenthesised abbreviation, a test named in the subject).
  const extra = item.aliases.filter((a) => !item.name.includes(a));
  // A test named in the subject of a labelled item's result counts only if it is of the item's kind: in
  // "Lumbar spine MRI: Bone marrow signal abnormalities…" the bone marrow is anatomy, not a biopsy.
  const extraTests = [...specific(findTests(extra.join(' ; '), 'order').map((m) => m.concept))];
  const offKind = new Set(extraTests.filter((c) => CONCEPTS_BY_ID.get(c)?.category !== item.category));
  // "JC virus PCR in cerebrospinal fluid (CSF)": the specimen says where the PCR was done; the item is no CSF analysis.
  const innermostName = item.name.split('›').pop() as string;
  const qualifiers = specimenQualifiers(innermostName, findTests(innermostName, 'order'));
  for (const c of qualifiers) offKind.add(c);
  const context = new Set([...specific(findTests(labelText, 'order').map((m) => m.concept))].filter((c) => !offKind.has(c)));
  const innermostTests = [...innermost].filter((c) => !qualifiers.has(c));
  const label = innermost.size > 0 ? new Set([...innermostTests, ...extraTests.filter((c) => !offKind.has(c))]) : context;
  const panels = innermost.size > 0 ? new Set(innermostTests) : context;
  const grabBag = label.size === 0;
  const subjectText = resultSubject(item.result);
  const subject = grabBag
    ? specific(
        findTests(subjectText, 'text')
          .filter((m) => m.kind === 'name')
          .map((m) => m.concept),
      )
    : new Set<string>();
  const mentions = findTests(item.result, 'text');
  const text = new Set(mentions.map((m) => m.concept));
  const named = specific(mentions.filter((m) => m.kind === 'name').map((m) => m.concept));
  const own = new Set([...label, ...subject]);
  let modalities = new Set([...own].filter(isModality));
  // An imaging item whose label names no study ("Imaging", with "Chest CT" in its subject) reports the
  // studies its result names: "… on chest CT, … on abdominal CT, and normal pituitary findings on MRI".
  const readsStudies = item.category === 'imaging' && innermost.size === 0;
  if (item.category === 'imaging' && (modalities.size === 0 || readsStudies))
    modalities = new Set([...modalities, ...[...text].filter((c) => isModality(c) && !GENERIC_CONCEPTS.has(c))]);
  if (modalities.has('pet')) modalities.delete('ct'); // a PET/CT is a PET study
  const labelRegions = findRegions(labelText);
  const ownRegions = new Set([...labelRegions, ...findRegions(subjectText)]);
  const regions = ownRegions.size > 0 ? ownRegions : findRegions(item.result);
  // Where a biopsy or culture was taken: its label says ("Biopsy of left orbital lesion"); else its opening words.
  // "Vascular proliferation without atypia": a word that also describes tissue gives no site in a result.
  const openingSites = new Set([...findRegions(item.result.split(/\s+/).slice(0, 12).join(' '))].filter((r) => r !== 'vascular'));
  const sites = labelRegions.size > 0 ? labelRegions : openingSites;
  const words = new Set(
    tokenize(labelText)
      .map((t) => stem(t.lower))
      .filter((w) => !FILLER.has(w)),
  );
  const studies = modalities.size >= 2 ? labelStudies(readsStudies ? item.result : labelText, regions) : null;
  const sentences = resultSentences(item.result);
  const sentenceWords = sentences.map((x) => tokenize(x.text).map((t) => stem(t.lower)));
  const allWords = new Set([...words, ...sentenceWords.flat()]);
  const codes = new Set(`${labelText} ${item.result}`.split(/[\s,;()]+/).map(codeOf).filter(Boolean));
  return {
    item,
    label,
    panels,
    context,
    subject,
    own,
    sites,
    text,
    named,
    sentences,
    sentenceWords,
    allWords,
    codes,
    grabBag,
    modalities,
    regions,
    studies,
    words,
  };
}

/** Kinds of test that a specimen named beside them only qualifies (a CSF culture is a culture). */
const NON_LAB_TESTS: ReadonlySet<MenuCategory> = new Set(['microbiology', 'pathology']);

/** Specimens in an order that only say where its microbiology or pathology test was done: right before it, or after "of"/"from"/"on". */
function specimenQualifiers(part: string, mentions: Mention[]): Set<string> {
  const tokens = tokenize(part).map((t) => t.lower);
  const tests = mentions.filter(
    (m) => !SPECIMEN_TESTS.has(m.concept) && NON_LAB_TESTS.has(CONCEPTS_BY_ID.get(m.concept)?.category as MenuCategory),
  );
  const out = new Set<string>();
  for (const s of mentions.filter((m) => SPECIMEN_TESTS.has(m.concept))) {
    const against = tests.some((t) => {
      if (s.end === t.start) return true;
      // "PCR of the CSF", "culture from pleural fluid".
      const between = tokens.slice(t.end, s.start);
      return between.length > 0 && between.length <= 2 && /^(of|from|on|in)$/.test(between[0] as string) && between.slice(1).every((w) => /^(the|a)$/.test(w));
    });
    if (against) out.add(s.concept);
  }
  return out;
}

/**
 * The studies a label names, each modality with its regions: "Chest, Abdominal CT, and Brain MRI" is a
 * CT of chest and abdomen and an MRI of the brain. A region written before a modality belongs to the
 * next modality, one after the last to the last; a study written without a region has the item's.
 */
function labelStudies(label: string, itemRegions: Set<string>): { modality: string; regions: Set<string> }[] {
  const chunks = label
    .split(/\s*(?:[,;()/]|\band\b|\bwith\b)\s*/i)
    .filter(Boolean)
    .map((chunk) => ({
      modalities: [...new Set(findTests(chunk, 'order').map((m) => m.concept))].filter(isModality),
      regions: findRegions(chunk),
    }));
  const studies: { modality: string; regions: Set<string> }[] = [];
  let pending = new Set<string>();
  for (const chunk of chunks) {
    if (chunk.modalities.length === 0) {
      for (const r of chunk.regions) pending.add(r);
      continue;
    }
    const regions = new Set([...pending, ...chunk.regions]);
    pending = new Set();
    for (const modality of chunk.modalities) studies.push({ modality, regions });
  }
  const last = studies[studies.length - 1];
  if (last) for (const r of pending) last.regions.add(r);
  for (const s of studies) if (s.regions.size === 0) s.regions = itemRegions;
  return studies;
}

/** Lexicon phrases with "and" inside ("ova and parasites"): not split points. */
const AND_PHRASES = TEST_CONCEPTS.flatMap((c) => c.phrases)
  .filter((p) => / and /.test(p))
  .sort((a, b) => b.length - a.length);

/** Splits an order into single requests; region-only fragments inherit the previous test. */
export function splitOrder(order: string): Request[] {
  let text = order.replace(/\b[xX]\s?\d\b/g, ' '); // "blood cultures x2"
  // "V/Q scan", "T3/T4": a slash between short tokens is part of one name, not a list.
  text = text.replace(/\b(\w{1,2})\s*\/\s*(\w{1,2})\b/g, '$1 $2');
  for (const phrase of AND_PHRASES)
    text = text.replace(new RegExp(phrase.replace(/ and /, '\\s+and\\s+'), 'gi'), (m) => m.replace(/\s+and\s+/i, ' \u0000 '));
  const parts = text
    .split(/\s*(?:,|;|\+|&|\/|\band\b|\bplus\b|\bas well as\b|\balong with\b)\s*/i)
    .map((p) => p.replace(/\u0000/g, 'and').trim())
    .filter(Boolean);
  const requests: Request[] = [];
  for (const part of parts) {
    const mentions = findTests(part, 'order');
    let concepts = [...new Set(mentions.map((m) => m.concept))];
    // "DEXA scan", "genetic testing for …": a generic word beside a specific test adds nothing.
    if (concepts.some((c) => !GENERIC_CONCEPTS.has(c))) concepts = concepts.filter((c) => !GENERIC_CONCEPTS.has(c));
    // "CSF PCR for HSV", "Gram stain of synovial fluid": a specimen written against a microbiology or
    // pathology test says where it was done, not which test ("CSF analysis with India ink" asks for both).
    const qualifying = specimenQualifiers(part, mentions);
    concepts = concepts.filter((c) => !qualifying.has(c));
    const specimens = mentions
      .filter((m) => qualifying.has(m.concept))
      .map((m) => ({ concept: m.concept, word: stem((tokenize(m.surface)[0] as Token).lower) }));
    // "paracentesis with fluid analysis", "tumor markers incl. CEA": a panel beside one of its members adds nothing.
    const named = concepts;
    concepts = named.filter((c) => !(CONCEPTS_BY_ID.get(c)?.members ?? []).some((m) => named.includes(m)));
    const regions = findRegions(part);
    const covered = new Set(mentions.flatMap((m) => Array.from({ length: m.end - m.start }, (_, k) => m.start + k)));
    const unknownName = tokenize(part)
      .filter((_, i) => !covered.has(i))
      .map((t) => stem(t.lower))
      .filter((w) => !FILLER.has(w) || /^\d+$/.test(w));
    const residue = unknownName.filter((w) => !/^\d+$/.test(w));
    const organism = organismWords(part, mentions);
    // "urine glucose", "urinary protein": the specimen makes it a urinalysis request.
    if (
      /\burin(e|ary)\b/i.test(part) &&
      !mentions.some((m) => /\burin(e|ary)\b/i.test(m.surface)) &&
      !concepts.some((c) => SPECIMEN_TESTS.has(c)) &&
      concepts.length > 0 &&
      concepts.every((c) => CONCEPTS_BY_ID.get(c)?.category === 'lab')
    ) {
      concepts.push('urinalysis');
    }
    const previous = requests[requests.length - 1];
    if (concepts.length === 0 && regions.size > 0 && previous && previous.concepts.some(isModality)) {
      concepts = previous.concepts.filter(isModality); // "CT chest / abdomen"
    }
    requests.push({ text: part, concepts, regions, residue, unknownName, organism, specimens });
  }
  return requests;
}

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
  const inPanel = [...p.text].some((c) => !CONCEPTS_BY_ID.get(c)?.loose && (CONCEPTS_BY_ID.get(c)?.members ?? []).includes(concept));
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
const BY_TEST: ReadonlySet<MatchRule> = new Set(['specimen_analyte', 'modality_region', 'lexicon', 'result_names', 'organism_words']);

/** Kinds of item whose result can report further tests of those kinds beside the one its label names. */
const REPORTING: ReadonlySet<MenuCategory> = new Set(['lab', 'microbiology']);

function matchRule(request: Request, p: ItemProfile): MatchRule | null {
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
      if (REPORTING.has(item.category) && REPORTING.has(kind) && p.named.has(concept)) return 'result_names';
      continue;
    }
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

/** Two word stems for one organism: equal, or sharing their first seven letters ("gonorrhea" / "gonorrhoeae"). */
function sameOrganismWord(a: string, b: string): boolean {
  return a === b || (a.length >= 7 && b.length >= 7 && a.slice(0, 7) === b.slice(0, 7));
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
  const specimenNamed = (s: { concept: string; word: string }) => p.context.has(s.concept) || p.text.has(s.concept) || named(s.word);
  if (category === 'microbiology' && !request.specimens.every(specimenNamed)) return false;
  return request.organism.every(named);
}

/** The words an order writes for the organism of its microbiology test: before the test, or after "for". */
function organismWords(part: string, mentions: Mention[]): string[] {
  const tokens = tokenize(part).map((t) => stem(t.lower));
  const covered = new Set(mentions.flatMap((m) => Array.from({ length: m.end - m.start }, (_, k) => m.start + k)));
  const word = (i: number) => {
    const w = tokens[i];
    return w !== undefined && !covered.has(i) && !FILLER.has(w) && !/^\d+$/.test(w) && findRegions(w).size === 0 && !GENERIC_WORDS.has(w);
  };
  const out: string[] = [];
  for (const m of mentions.filter((x) => CONCEPTS_BY_ID.get(x.concept)?.category === 'microbiology' || METHODS.has(x.concept))) {
    for (let i = m.start - 1; i >= 0 && i >= m.start - 3 && word(i); i--) out.push(tokens[i] as string);
    if (tokens[m.end] === 'for') for (let i = m.end + 1; i <= m.end + 3 && word(i); i++) out.push(tokens[i] as string);
  }
  // A gene or strain written as one code ("CYP21A2 genetic testing") must be found as written.
  const codes = part.split(/[\s,;()]+/).map(codeOf).filter((c) => /[a-z]/.test(c) && /\d/.test(c) && c.length >= 3);
  return [...out.filter((w) => w.length >= 3 && !codes.some((c) => c.startsWith(w))), ...codes.filter((c) => !mentions.some((m) => codeOf(m.surface) === c))];
}

/** A word as a code: lower case, letters and digits only ("CYP21A2" → "cyp21a2", "HMB-45" → "hmb45"). */
function codeOf(word: string): string {
  return word.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Words of a test's name too common to identify a test the lexicon does not know. */
const GENERIC_WORDS: ReadonlySet<string> = new Set(GENERIC_TEST_WORDS);
/** Words of a test's name a result may leave out. */
const OMITTABLE: ReadonlySet<string> = new Set(OMITTABLE_TEST_WORDS);

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
function unknownTestMatch(request: Request, p: ItemProfile): string[] | null {
  // Body regions are matched as regions, not as words of the name ("thyroid scintigraphy").
  const words = request.unknownName.filter((w) => findRegions(w).size === 0);
  // Specific: a word that is not a common one, or a code of letters and number ("IL-6").
  const code = words.some((w, i) => /^[a-z]+$/.test(w) && /^\d+$/.test(words[i + 1] ?? ''));
  if (!code && !words.some((w) => w.length >= 3 && !/^\d+$/.test(w) && !GENERIC_WORDS.has(w))) return null;
  if (request.regions.size > 0 && p.regions.size > 0 && !regionsCompatible(request.regions, p.regions)) return null;
  const modalities = request.concepts.filter(isModality);
  if (modalities.length > 0 && p.modalities.size > 0 && !modalities.some((m) => [...p.modalities].some((pm) => modalitiesCompatible(m, pm))))
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

export interface OracleOptions {
  /**
   * Answer catch-all orders ("labs", "imaging", "physical examination") with every item of their kind.
   * Off by default: like MedR-Bench's patient agent, the environment asks for specific tests, so that
   * shotgun ordering is not rewarded.
   */
  allowCatchAll?: boolean;
}

/** An order that names only a kind of test — no specific test, body region or other qualifying word. */
export function isCatchAll(requests: Request[]): boolean {
  return (
    requests.length > 0 &&
    requests.every(
      (r) =>
        r.concepts.length > 0 &&
        r.concepts.every((c) => GENERIC_CONCEPTS.has(c)) &&
        r.regions.size === 0 &&
        r.residue.length === 0,
    )
  );
}

export class TestMenuOracle {
  private readonly profiles: ItemProfile[];

  constructor(
    readonly testCase: Case,
    private readonly options: OracleOptions = {},
  ) {
    this.profiles = testCase.menu.map(profile);
  }

  /** The menu items an order reveals (in menu order), or UNAVAILABLE. */
  ask(order: string): OracleAnswer {
    const { items } = this.answer(order);
    return items.length > 0 ? { status: 'result', items } : { status: 'unavailable', items: [] };
  }

  /**
   * The answer with the rule behind each item (matched_by), or why nothing was returned: a catch-all
   * order refused, or no item matched.
   */
  explain(
    order: string,
  ): OracleAnswer & { matchedBy: Record<string, MatchRule>; unavailableBecause: 'catch_all_refused' | 'no_match' | null } {
    const { items, matchedBy, refused } = this.answer(order);
    return {
      ...(items.length > 0 ? { status: 'result' as const, items } : { status: 'unavailable' as const, items: [] }),
      matchedBy,
      unavailableBecause: items.length > 0 ? null : refused ? 'catch_all_refused' : 'no_match',
    };
  }

  /**
   * The item answered the request only as a sibling under a panel that contains the test ("Tumour
   * markers › CEA" for AFP), not as the test, one of its members, or an item under its heading
   * ("Urinalysis › WBC" for a urinalysis).
   */
  private viaHeading(request: Request, k: number): boolean {
    const { label, context } = this.profiles[k] as ItemProfile;
    return !request.concepts.some(
      (c) => label.has(c) || context.has(c) || (CONCEPTS_BY_ID.get(c)?.members ?? []).some((m) => label.has(m)),
    );
  }

  private answer(order: string): { items: OracleItem[]; matchedBy: Record<string, MatchRule>; refused: boolean } {
    const requests = splitOrder(order);
    if (!this.options.allowCatchAll && isCatchAll(requests)) return { items: [], matchedBy: {}, refused: true };
    // rules[r][p]: how request r found item p, if it did.
    // Sentences of an item found by the name of a test the lexicon does not know, by item id.
    const named = new Map<string, string[]>();
    const rules = requests.map((r) => {
      const found: (MatchRule | null)[] = this.profiles.map((p) => matchRule(r, p));
      // Another item's result is read only when no item is itself that test: "CBC" is answered by the
      // CBC, not also by "Biochemistry: normal complete blood count, coagulation, …".
      const dedicated = found.some((rule) => rule !== null && rule !== 'result_names');
      // An item that is the test ordered ("AFP") answers it; a sibling under the same heading ("Tumour
      // markers › CEA": its result lists AFP too) does not.
      const itself = this.profiles.some((p, k) => found[k] === 'lexicon' && r.concepts.some((c) => p.label.has(c)));
      if (itself)
        return found.map((rule, k) => (rule === 'result_names' || (rule === 'lexicon' && this.viaHeading(r, k)) ? null : rule));
      if (dedicated) return found.map((rule) => (rule === 'result_names' ? null : rule));
      if (found.some((rule) => rule !== null)) return found;
      // Nothing known answered: the request may name a test the lexicon does not know.
      return this.profiles.map((p) => {
        const sentences = unknownTestMatch(r, p);
        if (!sentences) return null;
        named.set(p.item.id, [...new Set([...(named.get(p.item.id) ?? []), ...sentences])]);
        return 'test_name' as const;
      });
    });
    const items: OracleItem[] = [];
    const matchedBy: Record<string, MatchRule> = {};
    this.profiles.forEach((p, k) => {
      const itemRules = rules.map((found) => found[k] ?? null);
      const first = itemRules.find((rule) => rule !== null);
      if (!first) return;
      const { item } = p;
      matchedBy[item.id] = first;
      // Found for the tests a request names: the sentences about them; found any other way: the whole result.
      const byTest = itemRules.every((rule) => rule === null || BY_TEST.has(rule));
      const concepts = requests.flatMap((r, i) => (itemRules[i] ? r.concepts : []));
      // The label answered unless the item was found through its result or is a grab-bag. A pathology
      // report is one report (its immunohistochemistry is the biopsy's): never cut.
      const labelled = !p.grabBag && itemRules.every((rule) => rule !== 'result_names') ? p.label : null;
      let part = byTest && item.category !== 'pathology' ? answeringPart(p.sentences, concepts, labelled) : null;
      const byName = named.get(item.id);
      if (byName && itemRules.every((rule) => rule === null || rule === 'test_name') && byName.length < p.sentences.length)
        part = p.sentences.filter((x) => byName.includes(x.text)).map((x) => x.text).join(' ');
      items.push({
        id: item.id,
        name: item.name,
        category: item.category,
        result: part ?? item.result,
        ...(part !== null ? { excerpt: true as const } : {}),
      });
    });
    return { items, matchedBy, refused: false };
  }
}
