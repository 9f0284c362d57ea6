import { REGIONS, TEST_CONCEPTS, type TestConcept } from './lexicon';

/**
 * Finding lexicon phrases in text. Text is tokenised into words (letters and digits); a phrase
 * matches a run of whole tokens, longest first, without overlap.
 *
 * Some abbreviations are also ordinary words or units ("us", "mg", "k", "pt", "mr", "pet", "fish").
 * In an order ("K", "US abdomen") they are read as tests; in report prose only when written in
 * capitals ("US", "PT", "Na"), so "150 mg" or "Mr. X" is never taken for a test.
 */

export type ReadMode = 'order' | 'text';

export interface Token {
  surface: string;
  lower: string;
  /** Character offsets in the original text. */
  from: number;
  to: number;
}

/** Words (runs of letters, or of digits): "X-ray" → x, ray; "24h" → 24, h; "CD4" → cd, 4. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(/[A-Za-z]+|[0-9]+/g)) {
    tokens.push({ surface: m[0], lower: m[0].toLowerCase(), from: m.index as number, to: (m.index as number) + m[0].length });
  }
  return tokens;
}

export function normalise(text: string): string {
  return tokenize(text)
    .map((t) => t.lower)
    .join(' ');
}

/** Abbreviations that are also common words or units: in report prose they count only in capitals. */
const PROSE_WORDS = new Set([
  'k',
  'na',
  'ca',
  'mg',
  'cr',
  'cl',
  'pt',
  'us',
  'mr',
  'lp',
  'fit',
  'ema',
  'oct',
  'pet',
  'fish',
  'ua',
  'ue',
  'dat',
  'ncs',
  'mpo',
  'tst',
  'anc',
  'bands',
  'lh',
  'rf',
  'hla',
  'afp',
  'bal',
  'dif',
  'eus',
  'psg',
  'ppd',
  'pct',
  'wes',
  'ngs',
  'hb',
  'plt',
  'fna',
  'fbc',
  'tlc',
  'dsa',
  'mpi',
  'upt',
  'ogd',
  'hpe',
  'bma',
  'ema',
  'uds',
  'crag',
]);
// Capitalised element symbols count in prose; a lone "K" does not (it is also thousands: "1.5 K/μL").
const ELEMENT_SYMBOLS = new Set(['na', 'ca', 'mg', 'cl', 'cr']);

interface PhraseEntry {
  concept: string;
  kind: 'name' | 'finding';
}

function buildIndex(concepts: TestConcept[]): { index: Map<string, PhraseEntry[]>; maxWords: number } {
  const index = new Map<string, PhraseEntry[]>();
  let maxWords = 1;
  const add = (phrase: string, entry: PhraseEntry) => {
    const key = normalise(phrase);
    if (!key) return;
    maxWords = Math.max(maxWords, key.split(' ').length);
    const list = index.get(key) ?? [];
    if (!list.some((e) => e.concept === entry.concept && e.kind === entry.kind)) list.push(entry);
    index.set(key, list);
  };
  for (const c of concepts) {
    for (const p of c.phrases) add(p, { concept: c.id, kind: 'name' });
    for (const f of c.findings ?? []) add(f, { concept: c.id, kind: 'finding' });
  }
  return { index, maxWords };
}

const TEST_INDEX = buildIndex(TEST_CONCEPTS);
export const CONCEPTS_BY_ID = new Map(TEST_CONCEPTS.map((c) => [c.id, c]));

const REGION_INDEX = (() => {
  const index = new Map<string, string[]>();
  let maxWords = 1;
  for (const r of REGIONS) {
    for (const p of r.phrases) {
      const key = normalise(p);
      maxWords = Math.max(maxWords, key.split(' ').length);
      index.set(key, [...(index.get(key) ?? []), r.id]);
    }
  }
  return { index, maxWords };
})();

export interface Mention {
  concept: string;
  /** 'finding': implied by a finding word (e.g. "anemia" → hemoglobin), not by naming the test. */
  kind: 'name' | 'finding';
  /** Token positions [start, end). */
  start: number;
  end: number;
  /** The words as written in the text, e.g. "X-ray". */
  surface: string;
}

function acceptable(tokens: Token[], start: number, end: number, key: string, mode: ReadMode): boolean {
  if (mode === 'order' || !PROSE_WORDS.has(key)) return true;
  if (key.length === 1) return false;
  // In prose an ambiguous abbreviation must be written in capitals (element symbols: capitalised).
  const surface = tokens
    .slice(start, end)
    .map((t) => t.surface)
    .join(' ');
  if (ELEMENT_SYMBOLS.has(key) && /^[A-Z][a-z]?$/.test(surface)) return true;
  return surface === surface.toUpperCase();
}

/** Test concepts named (or, in prose, implied by findings) in the text, longest match first. */
export function findTests(text: string, mode: ReadMode): Mention[] {
  const tokens = tokenize(text);
  const out: Mention[] = [];
  for (let i = 0; i < tokens.length;) {
    let matched = false;
    for (let n = Math.min(TEST_INDEX.maxWords, tokens.length - i); n >= 1; n--) {
      const key = tokens
        .slice(i, i + n)
        .map((t) => t.lower)
        .join(' ');
      // "liver functions", "blood cultures": a plural finds the singular phrase too.
      const entries =
        TEST_INDEX.index.get(key) ?? (key.length > 4 && key.endsWith('s') ? TEST_INDEX.index.get(key.slice(0, -1)) : undefined);
      if (!entries || !acceptable(tokens, i, i + n, key, mode)) continue;
      const surface = text.slice((tokens[i] as Token).from, (tokens[i + n - 1] as Token).to);
      for (const e of entries) {
        if (mode === 'order' && e.kind === 'finding') continue;
        out.push({ concept: e.concept, kind: e.kind, start: i, end: i + n, surface });
      }
      if (entries.some((e) => mode !== 'order' || e.kind === 'name')) {
        i += n;
        matched = true;
        break;
      }
    }
    if (!matched) i += 1;
  }
  return out;
}

/** Body regions named in the text. */
export function findRegions(text: string): Set<string> {
  const tokens = tokenize(text).map((t) => t.lower);
  const found = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    for (let n = Math.min(REGION_INDEX.maxWords, tokens.length - i); n >= 1; n--) {
      const ids = REGION_INDEX.index.get(tokens.slice(i, i + n).join(' '));
      if (ids) {
        for (const id of ids) found.add(id);
        i += n - 1;
        break;
      }
    }
  }
  return found;
}

const REGION_PARENTS = new Map(REGIONS.map((r) => [r.id, r.within ?? []]));

/** Two regions are compatible when equal or one lies within the other (brain ⊂ head). */
export function regionsCompatible(a: Set<string>, b: Set<string>): boolean {
  for (const x of a) {
    for (const y of b) {
      if (x === y || (REGION_PARENTS.get(x) ?? []).includes(y) || (REGION_PARENTS.get(y) ?? []).includes(x)) return true;
    }
  }
  return false;
}
