import { readDiagnosis } from '../judge/diagnosis-text';
import type { Case } from './model';

/** What replaces a phrase naming the gold diagnosis in a result. */
export const WITHHELD = '[diagnosis withheld]';

export interface Redaction {
  /** Menu item id. */
  item: string;
  /** The phrase removed, as the result wrote it. */
  phrase: string;
}

/**
 * The names of a case's gold diagnosis that a result could give away: the principal phrase of each
 * condition of its short and long forms, the whole short form, and the bracketed aliases and
 * abbreviations ("Lobular capillary hemangioma (LCH)"). A single word is a name only when it is
 * specific enough (six letters or more: "tuberculosis", not "tumor"); an abbreviation must be written in
 * capitals, as it is in the gold. A phrase with a digit is a grade, stage or variant ("Gleason 3+4",
 * "BEND2 fusion"): a finding, not the disease's name.
 */
export function goldNames(gold: Case['gold']): { phrase: string; caseSensitive: boolean }[] {
  const names = new Map<string, boolean>();
  for (const form of [gold.short, gold.long]) {
    const read = readDiagnosis(form);
    const phrases = [read.text.replace(/\([^()]*\)/g, ' '), ...read.conditions.map((c) => c.principal)];
    for (const p of phrases) {
      const phrase = p
        .replace(/\s+/g, ' ')
        .replace(/[.,;:]+$/, '')
        .trim();
      const words = phrase.split(' ').filter(Boolean);
      if (/\d/.test(phrase)) continue;
      if (words.length >= 2 || (words.length === 1 && /[a-z]{6,}/i.test(phrase))) names.set(phrase.toLowerCase(), false);
    }
    for (const alias of read.conditions.flatMap((c) => c.aliases)) {
      const a = alias.trim();
      if (/\d/.test(a) && !/^[A-Z][A-Z0-9-]{1,9}$/.test(a)) continue;
      if (/^[A-Z][A-Z0-9-]{1,9}$/.test(a)) names.set(a, true);
      else if (a.split(' ').length >= 2 || /[a-z]{6,}/i.test(a)) names.set(a.toLowerCase(), false);
    }
  }
  // Longest first, so that "capillary hemangioma of the lip" goes before "capillary hemangioma".
  return [...names.entries()]
    .map(([phrase, caseSensitive]) => ({ phrase, caseSensitive }))
    .sort((a, b) => b.phrase.length - a.phrase.length);
}

/** A capitalised word (a genus) right before a lower-case name, not at the start of a sentence. */
const ORGANISM_GENUS = /(?:^|[^.!?:\s])\s+[A-Z][a-z]+\s+$/;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A name as a pattern: whole words, any spacing or hyphen between them, an optional possessive. */
function namePattern(phrase: string, caseSensitive: boolean): RegExp {
  const words = phrase.split(/[\s-]+/).map((w) => `${escape(w.replace(/['’]s$/, ''))}(?:['’]s)?`);
  return new RegExp(`(?<![\\w-])${words.join('[\\s-]+')}(?![\\w-])`, caseSensitive ? 'g' : 'gi');
}

/**
 * A case whose results no longer name its gold diagnosis: each phrase of a result that names it
 * (goldNames) is replaced by WITHHELD, the rest of the result — its findings — kept. Case reports often
 * end a result with the authors' reading ("…, consistent with pyoderma gangrenosum"): left in, a doctor
 * could read the answer off the environment. The initial observation is left as it is (it is what the
 * patient presents with). Returns the redactions made, for the case's metadata.
 */
export function redactGold(testCase: Case): { testCase: Case; redactions: Redaction[] } {
  const patterns = goldNames(testCase.gold).map((n) => namePattern(n.phrase, n.caseSensitive));
  const redactions: Redaction[] = [];
  const menu = testCase.menu.map((item) => {
    let result = item.result;
    for (const pattern of patterns) {
      result = result.replace(pattern, (match: string, offset: number, whole: string) => {
        // "Mycobacterium tuberculosis": the organism a test found is a finding, not the authors' reading.
        if (/^[a-z]/.test(match) && ORGANISM_GENUS.test(whole.slice(0, offset))) return match;
        redactions.push({ item: item.id, phrase: match });
        return WITHHELD;
      });
    }
    return result === item.result ? item : { ...item, result };
  });
  if (redactions.length === 0) return { testCase, redactions };
  return { testCase: { ...testCase, menu, metadata: { ...testCase.metadata, redacted: redactions } }, redactions };
}
