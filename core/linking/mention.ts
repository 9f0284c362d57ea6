import type { NodeKind } from '../kg/model';
import { FILLER_WORDS } from '../kg/name-words';
import { normalizeName } from '../kg/names';
import { ABBREVIATIONS } from './abbreviations';
import { DISEASE_SYNONYMS } from './disease-synonyms';
import { FINDING_SYNONYMS } from './finding-synonyms';
import { wordWeight } from './score';

/** A mention read for linking: its wordings to try, and whether it denies the finding. */
export interface PreparedMention {
  /** Normalised wordings, the cleaned mention first; `weight` < 1 marks a shortened one. */
  variants: { text: string; weight: number }[];
  negated: boolean;
  /**
   * A value with no word saying it is abnormal ("hemoglobin 14 g/dL"): it may only link to a node
   * named exactly like it, never to an "abnormal/elevated/decreased X" term.
   */
  bareMeasurement: boolean;
}

const ABBREVIATION_BY_SHORT = new Map(ABBREVIATIONS.map((a) => [a.short, a]));

/** Numbers that belong to a name: "type 2", "stage 4", "trisomy 21", "COVID-19", "factor V"… */
const NAME_NUMBER_BEFORE =
  /\b(?:type|grade|stage|class|factor|chromosome|trisomy|covid|hla|mody|ceroid|group|subtype|form|phase|degree)\s*$/i;

/** Removes measured values: "CRP (306.9 mg/L)", "ESR 90 mm/h", "WBC of 15,000/µL", "BP 80/50 mmHg". */
export function stripValues(text: string): string {
  return text
    .replace(/\([^()]*\d[^()]*\)/g, ' ')
    .replace(/\[[^[\]]*\d[^[\]]*\]/g, ' ')
    .replace(
      /(^|[\s:=,;<>≤≥~])(?:[<>≤≥~]=?\s*)?\d+(?:[.,]\d+)*(?:\s*(?:[-–/]|to)\s*\d+(?:[.,]\d+)*)?(?:\s*(?:x|×)\s*10\s*\^?\s*\d+)?(?:\s*(?:%|\/\s*[a-zµμ]+\d*\b|°\s*[cf]\b|[a-zµμ]+(?:\/[a-zµμ0-9.]+)+|mm\s*hg\b|mmhg\b|bpm\b|mg\b|g\b|kg\b|cm\b|mm\b|ml\b|iu\b|u\b|meq\b|mmol\b|ng\b|pg\b|mcg\b|ug\b|µg\b|cells\b|copies\b|beats\b|breaths\b|years?\b|days?\b|weeks?\b|months?\b|hours?\b|h\b|min\b|seconds?\b|s\b))?/gi,
      (match, lead: string, offset: number, whole: string) =>
        NAME_NUMBER_BEFORE.test(whole.slice(0, offset + lead.length)) ? match : `${lead} `,
    )
    .replace(/\s(?:of|at|was|were|is|measured)\s*$/i, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Reporting words that say nothing about the finding itself ("hepatomegaly present", "mild edema noted"). */
const REPORTING_WORDS =
  /\b(?:noted|present|presence of|evidence of|consistent with|suggestive of|suggesting|seen|observed|identified|detected|revealed|showed|shows|demonstrated|mild|mildly|marked|markedly|significant|significantly|noticeably|slight|slightly)\b/g;

/** Words that make a measurement a finding: without one, "hemoglobin 14 g/dL" asserts nothing abnormal. */
const QUALIFIER =
  /\b(?:elevated|increased|raised|high|higher|decreased|reduced|low|lower|diminished|depressed|abnormal|positive|prolonged|shortened|deficient|absent|undetectable|detectable|critical|markedly|severe)\b/;
const TRAILING_QUALIFIER = /\s(elevated|increased|raised|high|decreased|reduced|low|diminished|prolonged|positive)$/;

const NEGATION = [
  /\b(?:intact|not indicated|not provided|not mentioned|not specified|not available|not assessed|not performed|not done|sterile|non distended|non tender|nontender|clear)$/,
  /^(?:no|not|non|without|absent|absence of|negative for|denies|denied|free of|lack of|never|ruled out|rule out)\b/,
  /\b(?:was|were|is|are|came back|tested)?\s*(?:negative|absent|not detected|not seen|not found|not identified|unremarkable|normal|within normal limits|wnl|ruled out)$/,
  /^(?:normal|unremarkable)\b/,
];

/** Leading and trailing negation cues, to recover the finding a negated statement denies. */
const NEGATION_CUES = [
  /^(?:no|not|non|without|absent|absence of|negative for|denies|denied|free of|lack of|never|ruled out|rule out|normal|unremarkable)\s+/i,
  /\s+(?:was|were|is|are|came back|tested)?\s*(?:negative|absent|not detected|not seen|not found|not identified|unremarkable|normal|within normal limits|wnl|ruled out|intact|clear|sterile)\s*$/i,
];

/**
 * The finding a negated statement says is absent: "no fever" → "fever", "AFB smear negative" → "AFB
 * smear", "negative for malignancy" → "malignancy"; null when the statement is not negated or nothing is left.
 */
export function withoutNegation(statement: string): string | null {
  if (!isNegated(normalizeName(statement))) return null;
  let text = statement.trim();
  for (const cue of NEGATION_CUES) text = text.replace(cue, '').trim();
  return /[a-z]{3}/i.test(text) && normalizeName(text) !== normalizeName(statement) ? text : null;
}

/** True when the text says a finding is absent or normal ("no fever", "blood cultures negative"). */
export function isNegated(normalised: string): boolean {
  return NEGATION.some((pattern) => pattern.test(normalised));
}

/** "X secondary to Y" → "X": the head of a diagnosis phrase. */
const QUALIFIER_TAIL =
  /\s+(?:secondary to|due to|caused by|associated with|complicated by|in the setting of|with|without|involving|presenting as|following|after)\s+.*$/;

/** "ptosis worse on upward gaze" → "ptosis": a finding with its circumstances. */
const FINDING_TAIL =
  /\s+(?:worse|worsening|better|improving|improved|on|upon|during|when|while|after|before|since|for|at|over|lasting|radiating|exacerbated|relieved|triggered|provoked|in the|of the|with)\s.*$/;

/** Clinical wordings mapped to the KG's, by kind (finding-synonyms.ts, disease-synonyms.ts). */
const SYNONYMS: Record<NodeKind, [RegExp, string][]> = { finding: FINDING_SYNONYMS, disease: DISEASE_SYNONYMS };

/** Longer diagnosis phrases are not cut into sub-phrases. */
const MAX_PHRASE_WORDS = 16;
const PHRASE_BREAK =
  /\b(?:and|or|with|without|in|of the|from|to|due to|secondary to|caused by|associated with|complicated by|involving|following|after|co infection)\b/;

export function prepareMention(text: string, kind: NodeKind): PreparedMention {
  const withoutValues = stripValues(text);
  const raw = kind === 'finding' ? withoutValues.replace(REPORTING_WORDS, ' ').replace(/\s+/g, ' ').trim() : withoutValues;
  const cleaned = normalizeName(raw);
  const negated = kind === 'finding' && isNegated(cleaned);
  const measured = normalizeName(withoutValues) !== normalizeName(text.replace(/[()[\]]/g, ' '));
  let bareMeasurement = kind === 'finding' && measured && !QUALIFIER.test(normalizeName(text));
  const variants = new Map<string, number>();
  const add = (t: string, weight: number) => {
    const n = normalizeName(t);
    if (n && (variants.get(n) ?? 0) < weight) variants.set(n, weight);
  };
  add(raw, 1);
  for (const expanded of expandAbbreviations(raw)) add(expanded, 1);
  // "High-grade dedifferentiated chondrosarcoma (DDCS)": the bracketed abbreviation repeats the name.
  const unbracketed = raw.replace(/\([^()]*\)/g, ' ');
  if (unbracketed !== raw) add(unbracketed, 1);
  const head = raw.replace(/[,;(].*$/, '').trim();
  if (head && head !== raw) add(head, 0.95);
  for (const [variant, weight] of [...variants]) {
    const tail = QUALIFIER_TAIL.exec(variant);
    if (tail) add(variant.slice(0, tail.index), weight * 0.95);
  }
  if (kind === 'finding') {
    for (const [variant, weight] of [...variants]) {
      const trailing = TRAILING_QUALIFIER.exec(variant);
      if (trailing) add(`${trailing[1]} ${variant.slice(0, trailing.index)}`, weight);
    }
    for (const [variant, weight] of [...variants]) {
      const tail = FINDING_TAIL.exec(variant);
      if (tail && tail.index > 0) add(variant.slice(0, tail.index), weight * 0.9);
    }
  }
  for (const [variant, weight] of [...variants]) {
    for (const [pattern, term] of SYNONYMS[kind]) {
      if (!pattern.test(variant)) continue;
      add(variant.replace(pattern, term), weight);
      bareMeasurement = false; // the wording itself names an abnormality ("leukocytosis (15.3 × 10^3/µL)")
    }
  }
  if (kind === 'disease') {
    // A diagnosis phrase names its disease inside: "Disseminated histoplasmosis in an immunocompetent
    // patient", "Cryptococcal meningitis and tubercular meningitis". Each part (split at connectives)
    // competes with its shorter endings — English puts the head noun last — down to the last specific
    // word ("Castleman disease", not "disease"), weighted by the share of the part they keep.
    for (const [variant, weight] of [...variants]) {
      for (const [index, part] of variant.split(PHRASE_BREAK).entries()) {
        // The first part is the diagnosis; later ones are causes, settings, complications.
        const partWeight = index === 0 ? weight : weight * 0.75;
        const words = part.trim().split(' ').filter(Boolean);
        if (words.length === 0 || words.length > MAX_PHRASE_WORDS) continue;
        const lastSpecific = words.findLastIndex((w) => wordWeight(w) === 1 && !FILLER_WORDS.has(w));
        if (lastSpecific < 0) continue;
        for (let start = 0; start <= lastSpecific; start++) {
          add(words.slice(start).join(' '), partWeight * (0.75 + (0.25 * (words.length - start)) / words.length));
        }
      }
    }
  }
  return { variants: [...variants].map(([t, weight]) => ({ text: t, weight })), negated, bareMeasurement };
}

/** The mention with each abbreviation expanded (one variant per expansion of the first ones found). */
export function expandAbbreviations(text: string): string[] {
  let results = [text];
  for (const match of text.matchAll(/[A-Za-z][A-Za-z0-9-]*/g)) {
    const token = match[0];
    const abbreviation = ABBREVIATION_BY_SHORT.get(token.toLowerCase());
    if (!abbreviation) continue;
    const capitals = (token.match(/[A-Z]/g) ?? []).length;
    if (abbreviation.caps && capitals < 2) continue;
    const pattern = new RegExp(`(?<![A-Za-z0-9-])${token.replace(/[-]/g, '\\-')}(?![A-Za-z0-9-])`);
    results = results.flatMap((r) => abbreviation.long.map((long) => r.replace(pattern, long)));
    if (results.length > 8) break;
  }
  return results.filter((r) => r !== text);
}
