import { readDiagnosis } from '../judge/diagnosis-text';
import judgeWords from '../judge/judge-words.json';
import { phraseWords, roleOf } from '../judge/phrase-words';
import { TEST_CONCEPTS } from '../oracle/lexicon';
import type { Case } from './model';

/** Words that report a test's result ("anemia", "leukocytosis"), from the oracle's lexicon. */
const TEST_FINDINGS: ReadonlySet<string> = new Set(TEST_CONCEPTS.flatMap((c) => c.findings ?? []));

/** What replaces a phrase naming the gold diagnosis in a result. */
export const WITHHELD = '[diagnosis withheld]';

export interface Redaction {
  /** Menu item id. */
  item: string;
  /** The phrase removed, as the result wrote it. */
  phrase: string;
}

/** A name of the gold diagnosis to redact, as a pattern source. */
export interface GoldName {
  phrase: string;
  caseSensitive: boolean;
  /**
   * One word left of a longer gold ("Physiological neonatal jaundice" → "jaundice"): in an examination
   * it is the sign itself, so it is redacted only from the reading of a test.
   */
  strippedWord?: boolean;
}

/**
 * The names of a case's gold diagnosis that a result could give away: the principal phrase of each
 * condition of its short and long forms, the whole short form, and the bracketed aliases and
 * abbreviations ("Lobular capillary hemangioma (LCH)"). A single word is a name only when it is
 * specific enough (six letters or more: "tuberculosis", not "tumor"); an abbreviation must be written in
 * capitals, as it is in the gold, and so is a one-word gold in capitals ("PML-IRIS"). The short form's
 * core names (coreName) are names too. A phrase with a digit is a grade, stage or variant ("Gleason
 * 3+4", "BEND2 fusion"): a finding, not the disease's name.
 */
export function goldNames(gold: Case['gold']): GoldName[] {
  const names = new Map<string, boolean>();
  const strippedWords = new Set<string>();
  for (const form of [gold.short, gold.long]) {
    const read = readDiagnosis(form);
    const principals = read.conditions.map((c) => c.principal);
    // The long form is often prose ("…, confirmed by imaging"): only the short form's core names are taken.
    const cores = form === gold.short ? principals.map(coreName) : [];
    for (const [i, core] of cores.entries())
      if (!/\s/.test(core.trim()) && core !== principals[i]) strippedWords.add(core.trim().toLowerCase());
    const phrases = [read.text.replace(/\([^()]*\)/g, ' '), ...principals, ...cores];
    for (const p of phrases) {
      const phrase = p
        .replace(/\s+/g, ' ')
        .replace(/[.,;:]+$/, '')
        .trim();
      const words = phrase.split(' ').filter(Boolean);
      // "PML-IRIS", "COVID-19": one name in capitals is an abbreviation, matched as written.
      if (words.length === 1 && /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$|^[A-Z]{3,}[0-9]*$/.test(phrase)) {
        names.set(phrase, true);
        continue;
      }
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
    .map(([phrase, caseSensitive]) => ({
      phrase,
      caseSensitive,
      ...(strippedWords.has(phrase) && !principalsOf(gold).has(phrase) ? { strippedWord: true } : {}),
    }))
    .sort((a, b) => b.phrase.length - a.phrase.length);
}

/** The principal phrases of the gold's conditions, lower case: a name the gold itself gives whole. */
function principalsOf(gold: Case['gold']): Set<string> {
  return new Set(
    [gold.short, gold.long].flatMap((f) => readDiagnosis(f).conditions.map((c) => c.principal.trim().toLowerCase())),
  );
}

/** A word that grades, stages or places a disease rather than naming it: "advanced", "grade", "III", "4th", "right". */
function qualifying(token: string, previous: string | undefined): boolean {
  if (/\d/.test(token) || /^[ivx]+$/i.test(token)) return true;
  // "Type A", "class B": a one-letter code after a grading word.
  if (/^[a-z]$/i.test(token) && previous !== undefined && qualifying(previous, undefined)) return true;
  const words = phraseWords(token).words;
  // "type", "class": filler to name matching, a grading word here.
  if (words.length === 0) return judgeWords.modifiers.includes(token.toLowerCase());
  return words.every((w) => roleOf(w) === 'modifier');
}

/**
 * The disease's own name inside a gold's principal phrase: the words after its last grading or staging
 * word, before a trailing site ("Solid Grade III primary adenoid cystic carcinoma of the right 4th rib" →
 * "adenoid cystic carcinoma"; "Advanced Hodgkin's lymphoma" → "Hodgkin's lymphoma"). Results name the
 * disease so, not with the gold's qualifiers. A trailing "of …" is cut when only sites and qualifiers
 * follow it or two words of name precede it ("Tetralogy of Fallot" and "Carcinoma of the breast" stay
 * whole), and a core that is no longer specific is not used.
 */
export function coreName(principal: string): string {
  let tokens = principal.split(/\s+/).filter(Boolean);
  const cut = tokens.findIndex(
    (t, i) =>
      i > 0 &&
      /^(of|in|involving|affecting|at|on)$/i.test(t) &&
      (tokens.slice(i + 1).every((u, j) => /^(the|a|an|and)$/i.test(u) || qualifying(u, tokens[i + j]) || isSite(u)) ||
        // "Follicular lymphoma of the left axilla": two words of name before it say which disease.
        tokens.slice(0, i).filter((u, j) => !qualifying(u, tokens[j - 1])).length >= 2),
  );
  // "Carcinoma of the breast": one word left is the class, not this disease.
  if (cut > 1) tokens = tokens.slice(0, cut);
  // Qualifiers stand before the head noun: the last word before any "of"/"with" ("Tubular ectasia of the
  // epididymis": the head is "ectasia"), which is never itself a qualifier to cut after.
  const of = tokens.findIndex((t, i) => i > 0 && /^(of|in|with|involving|affecting|at|on)$/i.test(t));
  const head = (of > 0 ? of : tokens.length) - 1;
  let last = -1;
  tokens.slice(0, head).forEach((t, i) => {
    if (qualifying(t, tokens[i - 1])) last = i;
  });
  let core = tokens.slice(last + 1);
  // "Heidenhain variant of Creutzfeldt–Jakob disease": the disease the variant is of.
  while (core.length > 0 && /^(of|the|a|an|with)$/i.test(core[0] as string)) core = core.slice(1);
  const content = core.some((t) => phraseWords(t).words.some((w) => roleOf(w) === 'content'));
  // "Symptomatic anemia due to …": a lone word that reports a test's finding is a finding in a result.
  const finding = core.length === 1 && TEST_FINDINGS.has((core[0] as string).toLowerCase());
  return content && !finding ? core.join(' ') : principal;
}

function isSite(token: string): boolean {
  const words = phraseWords(token).words;
  return words.length > 0 && words.every((w) => roleOf(w) === 'site');
}

/** A capitalised word (a genus) right before a lower-case name, not at the start of a sentence. */
const ORGANISM_GENUS = /(?:^|[^.!?:\s])\s+[A-Z][a-z]+\s+$/;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A name as a pattern: whole words, any spacing or hyphen between them, an optional possessive. */
function namePattern(phrase: string, caseSensitive: boolean): RegExp {
  const words = phrase.split(/[\s\-–—]+/).map((w) => `${escape(w.replace(/['’]s$/, ''))}(?:['’]s)?`);
  // Between two words: spacing or a hyphen or dash, and perhaps a bracketed gloss ("AL-lambda (light-chain) amyloidosis").
  const gap = '[\\s\\-–—]+(?:\\([^()]{1,40}\\)[\\s\\-–—]+)?';
  return new RegExp(`(?<![\\w-])${words.join(gap)}(?![\\w-])`, caseSensitive ? 'g' : 'gi');
}

/**
 * A case whose results no longer name its gold diagnosis: each phrase of a result that names it
 * (goldNames) is replaced by WITHHELD, the rest of the result — its findings — kept. Case reports often
 * end a result with the authors' reading ("…, consistent with pyoderma gangrenosum"): left in, a doctor
 * could read the answer off the environment. Item names and aliases, shown with an answer, are redacted
 * the same way. The initial observation is left as it is (it is what the patient presents with). Returns
 * the redactions made, for the case's metadata.
 */
export function redactGold(testCase: Case): { testCase: Case; redactions: Redaction[] } {
  const names = goldNames(testCase.gold).map((n) => ({ ...n, pattern: namePattern(n.phrase, n.caseSensitive) }));
  const redactions: Redaction[] = [];
  const menu = testCase.menu.map((item) => {
    const redact = (text: string): string => {
      let out = text;
      for (const { pattern, strippedWord } of names) {
        if (strippedWord && item.category === 'exam') continue;
        out = out.replace(pattern, (match: string, offset: number, whole: string) => {
          // "Mycobacterium tuberculosis": the organism a test found is a finding, not the authors' reading.
          if (/^[a-z]/.test(match) && ORGANISM_GENUS.test(whole.slice(0, offset))) return match;
          redactions.push({ item: item.id, phrase: match });
          return WITHHELD;
        });
      }
      return out;
    };
    // A name made from the result's first words ("Radiologic diagnosis suggested neurofibroma") is shown
    // with the answer too.
    const result = redact(item.result);
    const name = redact(item.name);
    const aliases = item.aliases.map(redact);
    const same = result === item.result && name === item.name && aliases.every((a, i) => a === item.aliases[i]);
    return same ? item : { ...item, name, aliases, result };
  });
  if (redactions.length === 0) return { testCase, redactions };
  return { testCase: { ...testCase, menu, metadata: { ...testCase.metadata, redacted: redactions } }, redactions };
}
