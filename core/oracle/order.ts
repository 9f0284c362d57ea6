import type { MenuCategory } from '../cases/model';
import { BLOOD_SPECIMEN_WORDS, GENERIC_CONCEPTS, TEST_CONCEPTS } from './lexicon';
import { CONCEPTS_BY_ID, findRegions, findTests, type Mention, type Token, tokenize } from './phrases';
import { codeOf, FILLER, GENERIC_WORDS, isModality, METHODS, NON_LAB_TESTS, SPECIMEN_TESTS, stem } from './vocabulary';

/** Reading a doctor's free-text order into single requests: tests, regions, and what qualifies them. */

const BLOOD_WORDS: ReadonlySet<string> = new Set(BLOOD_SPECIMEN_WORDS);

export interface Request {
  text: string;
  concepts: string[];
  regions: Set<string>;
  /** Words left when test names and filler are removed. */
  residue: string[];
  /** The same with numbers kept and body regions left out: the name of a test the lexicon does not know ("IL-6", "14-3-3"). */
  unknownName: string[];
  /** Words naming what a microbiology test looks for: right before it ("HSV PCR") or after "for" ("culture for Salmonella"). */
  organism: string[];
  /** The specimen a microbiology or pathology test was ordered on ("pleural fluid culture"): the item must name it. */
  specimens: { concept: string; word: string }[];
  /** The order asks for blood ("serum amylase"): another specimen's result of that analyte is no answer. */
  blood: boolean;
}

/** Specimens in an order that only say where its microbiology or pathology test was done: right before it, or after "of"/"from"/"on". */
export function specimenQualifiers(part: string, mentions: Mention[]): Set<string> {
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
      return (
        between.length > 0 &&
        between.length <= 2 &&
        /^(of|from|on|in)$/.test(between[0] as string) &&
        between.slice(1).every((w) => /^(the|a)$/.test(w))
      );
    });
    if (against) out.add(s.concept);
  }
  return out;
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
    const tokens = tokenize(part);
    const covered = new Set(mentions.flatMap((m) => Array.from({ length: m.end - m.start }, (_, k) => m.start + k)));
    const unknownName = tokens
      .filter((_, i) => !covered.has(i))
      .map((t) => stem(t.lower))
      .filter((w) => !FILLER.has(w) || /^\d+$/.test(w));
    const residue = unknownName.filter((w) => !/^\d+$/.test(w));
    const organism = organismWords(part, tokens, covered, mentions);
    // An unknown test's name is matched without its body regions ("thyroid scintigraphy").
    const unknownWords = unknownName.filter((w) => findRegions(w).size === 0);
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
    const blood = tokens.some((t) => BLOOD_WORDS.has(t.lower));
    requests.push({ text: part, concepts, regions, residue, unknownName: unknownWords, organism, specimens, blood });
  }
  return requests;
}

/** The words an order writes for the organism of its microbiology test: before the test, or after "for". */
function organismWords(part: string, surfaces: Token[], covered: ReadonlySet<number>, mentions: Mention[]): string[] {
  const tokens = surfaces.map((t) => stem(t.lower));
  const word = (i: number) => {
    const w = tokens[i];
    return (
      w !== undefined &&
      !covered.has(i) &&
      !FILLER.has(w) &&
      !/^\d+$/.test(w) &&
      findRegions(w).size === 0 &&
      !GENERIC_WORDS.has(w)
    );
  };
  const out: string[] = [];
  for (const m of mentions.filter((x) => CONCEPTS_BY_ID.get(x.concept)?.category === 'microbiology')) {
    for (let i = m.start - 1; i >= 0 && i >= m.start - 3 && word(i); i--) out.push(tokens[i] as string);
    if (tokens[m.end] === 'for') for (let i = m.end + 1; i <= m.end + 3 && word(i); i++) out.push(tokens[i] as string);
  }
  // A genetic test is held to the gene symbol written before it ("CFTR sequencing"), not to a disease
  // ("genetic testing for cystic fibrosis" may report the gene's variants).
  for (const m of mentions.filter((x) => METHODS.has(x.concept) && CONCEPTS_BY_ID.get(x.concept)?.category !== 'microbiology')) {
    const before = surfaces[m.start - 1];
    if (before && m.start - 1 >= 0 && !covered.has(m.start - 1) && /^[A-Z]{3,}$/.test(before.surface)) out.push(before.lower);
  }
  // A gene or strain written as one code ("CYP21A2 genetic testing") must be found as written.
  const codes = part
    .split(/[\s,;()]+/)
    .map(codeOf)
    .filter((c) => /[a-z]/.test(c) && /\d/.test(c) && c.length >= 3);
  return [
    ...out.filter((w) => w.length >= 3 && !codes.some((c) => c.startsWith(w))),
    ...codes.filter((c) => !mentions.some((m) => codeOf(m.surface) === c)),
  ];
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
