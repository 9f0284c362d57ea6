import { ELEMENT_SYMBOL_WORDS, PROSE_ABBREVIATIONS, REGIONS, TEST_CONCEPTS } from './lexicon';

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

/** Abbreviations that are also common words or units: in report prose they count only in capitals (lexicon file). */
const PROSE_WORDS: ReadonlySet<string> = new Set(PROSE_ABBREVIATIONS);
// Capitalised element symbols count in prose; a lone "K" does not (it is also thousands: "1.5 K/μL").
const ELEMENT_SYMBOLS: ReadonlySet<string> = new Set(ELEMENT_SYMBOL_WORDS);

/** Lexicon phrases by their normalised words, with the longest phrase's word count. */
class PhraseIndex<T> {
  private readonly entries = new Map<string, T[]>();
  maxWords = 1;

  add(phrase: string, value: T, same: (a: T, b: T) => boolean): void {
    const key = normalise(phrase);
    if (!key) return;
    this.maxWords = Math.max(this.maxWords, key.split(' ').length);
    const list = this.entries.get(key) ?? [];
    if (!list.some((v) => same(v, value))) list.push(value);
    this.entries.set(key, list);
  }

  get(key: string): T[] | undefined {
    return this.entries.get(key);
  }

  /**
   * Longest-first, non-overlapping matches over whole tokens. `lookup` turns a run of words into the
   * values it stands for (or undefined to try a shorter run); `consumes` says whether those values
   * use up the run (otherwise shorter runs at the same place are tried too).
   */
  scan<V>(
    tokens: Token[],
    lookup: (key: string, start: number, end: number) => V[] | undefined,
    onMatch: (values: V[], start: number, end: number) => boolean,
  ): void {
    for (let i = 0; i < tokens.length;) {
      let consumed = 0;
      for (let n = Math.min(this.maxWords, tokens.length - i); n >= 1; n--) {
        const key = tokens
          .slice(i, i + n)
          .map((t) => t.lower)
          .join(' ');
        const values = lookup(key, i, i + n);
        if (values && onMatch(values, i, i + n)) {
          consumed = n;
          break;
        }
      }
      i += Math.max(consumed, 1);
    }
  }
}

interface PhraseEntry {
  concept: string;
  kind: 'name' | 'finding';
}

const TEST_INDEX = (() => {
  const index = new PhraseIndex<PhraseEntry>();
  const same = (a: PhraseEntry, b: PhraseEntry) => a.concept === b.concept && a.kind === b.kind;
  for (const c of TEST_CONCEPTS) {
    for (const p of c.phrases) index.add(p, { concept: c.id, kind: 'name' }, same);
    for (const f of c.findings ?? []) index.add(f, { concept: c.id, kind: 'finding' }, same);
  }
  return index;
})();
export const CONCEPTS_BY_ID = new Map(TEST_CONCEPTS.map((c) => [c.id, c]));

const REGION_INDEX = (() => {
  const index = new PhraseIndex<string>();
  for (const r of REGIONS) for (const p of r.phrases) index.add(p, r.id, (a, b) => a === b);
  return index;
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
  TEST_INDEX.scan(
    tokens,
    (key, start, end) => {
      // "liver functions", "blood cultures": a plural finds the singular phrase too.
      const entries = TEST_INDEX.get(key) ?? (key.length > 4 && key.endsWith('s') ? TEST_INDEX.get(key.slice(0, -1)) : undefined);
      return entries && acceptable(tokens, start, end, key, mode) ? entries : undefined;
    },
    (entries, start, end) => {
      const surface = text.slice((tokens[start] as Token).from, (tokens[end - 1] as Token).to);
      // "CT-guided biopsy", "under ultrasound guidance": the imaging guided a procedure; it is not a study.
      const guiding = /^guid(ed|ance)$/.test(tokens[end]?.lower ?? '');
      // "the FVIII gene", "HFE gene mutation": a gene named after its product is not a test of it.
      const gene = /^genes?$/.test(tokens[end]?.lower ?? '');
      for (const e of entries) {
        if (mode === 'order' && e.kind === 'finding') continue;
        if (guiding && CONCEPTS_BY_ID.get(e.concept)?.modality) continue;
        if (gene && CONCEPTS_BY_ID.get(e.concept)?.category === 'lab') continue;
        out.push({ concept: e.concept, kind: e.kind, start, end, surface });
      }
      // In an order a finding word ("anemia") names no test, so shorter phrases there are tried too.
      return entries.some((e) => mode !== 'order' || e.kind === 'name');
    },
  );
  return out;
}

/** Body regions named in the text. */
export function findRegions(text: string): Set<string> {
  const found = new Set<string>();
  REGION_INDEX.scan(
    tokenize(text),
    (key) => REGION_INDEX.get(key),
    (ids) => {
      for (const id of ids) found.add(id);
      return true;
    },
  );
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
