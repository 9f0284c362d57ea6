import words from './judge-words.json';
import { phraseWords } from './phrase-words';

/**
 * A diagnosis as written (an LLM's answer or a gold), read into the conditions it names. Each condition
 * has its principal phrase, the other names given for it in brackets ("Biermer's disease (pernicious
 * anemia)", "Stiff person syndrome (SPS)"), and its qualifiers: causes, settings, complications, cut off
 * at connectives ("X secondary to Y", "X with Y", "X due to Y").
 */
export interface Condition {
  principal: string;
  aliases: string[];
  qualifiers: string[];
}

export interface ReadDiagnosis {
  /** The text cleaned of markdown, filler, hedges and patient counts. */
  text: string;
  conditions: Condition[];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const alternation = (list: string[]) =>
  [...list]
    .sort((a, b) => b.length - a.length)
    .map((w) => escape(w).replace(/ /g, '\\s+'))
    .join('|');

const FILLER_PREFIX = new RegExp(`^(?:${alternation(words.fillerPrefixes)})\\s*[:\\-–—]?\\s*`, 'i');
const HEDGE = new RegExp(`(?<![\\w-])(?:${alternation(words.hedges.filter((h) => h.length > 2))})(?![\\w-])`, 'gi');
const LEADING_ARTICLE = /^(?:a|an|the)\s+/i;
const PATIENT_COUNT = new RegExp(`\\b(?:${words.patientCounts.join('|')})\\b`, 'gi');
/** "X and Y", "co-infection of X and Y": several conditions. */
const CONDITION_SEPARATOR = new RegExp(`\\s+(?:${alternation(words.conditionSeparators)})\\s+`, 'i');
const CONDITION_PREFIX = new RegExp(`^(?:${alternation(words.conditionSeparators)})(?:\\s+of)?\\s+`, 'i');
/** "X secondary to Y": the cause, setting or complication Y qualifies X. */
const CAUSE = new RegExp(`\\s+(?:${alternation(words.causeConnectives)})\\s+`, 'i');

/** Markdown, code fences, list numbers, hedges and filler removed; one line. */
export function cleanDiagnosis(text: string): string {
  let s = text
    .replace(/```[a-z]*/gi, ' ')
    .replace(/[*_`#>]+/g, ' ')
    .replace(/\r/g, '');
  // Each list item or line is its own statement.
  s = s
    .split(/\n+|(?:^|[\s:;])\d{1,2}[.)]\s+(?=[A-Z])|\b(?:[Pp]atient|[Cc]ase)\s+\d{1,2}\s*:/)
    .map((line) => line.trim().replace(FILLER_PREFIX, ''))
    .filter((line) => line.length > 0)
    .join('; ');
  return s
    .replace(FILLER_PREFIX, '')
    .replace(PATIENT_COUNT, ' ')
    .replace(HEDGE, ' ')
    .replace(/\s+([,;.)])/g, '$1')
    .replace(/\(\s*\)/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^[\s,;:.\-–—]+|[\s,;:.\-–—]+$/g, '')
    .trim();
}

/** Reads a diagnosis into its conditions. */
export function readDiagnosis(raw: string): ReadDiagnosis {
  const text = cleanDiagnosis(raw);
  const conditions: Condition[] = [];
  for (const statement of splitOutsideBrackets(text, /;|\.\s+(?=[A-Z])/)) {
    // "Final diagnosis: co-existing primary malignancies: X; Y": a heading before a colon names no condition.
    const body = statement.includes(':') ? statement.slice(statement.lastIndexOf(':') + 1) : statement;
    conditions.push(...readStatement(body));
  }
  return { text, conditions };
}

/**
 * One statement: its qualifiers are cut off first ("X and Y secondary to Z and W": Z and W qualify),
 * then what is left names one condition or several ("X and Y", "co-infection of X and Y"). A comma does
 * not separate conditions: what follows it qualifies the name before it ("X, grade 2").
 */
function readStatement(statement: string): Condition[] {
  const pieces = splitOutsideBrackets(statement, CAUSE);
  const head = pieces[0] ?? '';
  const comma = splitOutsideBrackets(head, /,\s+/);
  const qualifiers = [...comma.slice(1), ...pieces.slice(1)];
  const named = joinBareSites(splitOutsideBrackets((comma[0] ?? '').replace(CONDITION_PREFIX, '').trim(), CONDITION_SEPARATOR));
  return named.map((text) => readCondition(text, qualifiers)).filter((c): c is Condition => c !== undefined);
}

/**
 * "Hepatic and peritoneal hydatid cysts": a piece that names only sites or modifiers is not a condition of
 * its own but shares the next piece's name.
 */
function joinBareSites(pieces: string[]): string[] {
  const result: string[] = [];
  let pending: string[] = [];
  for (const piece of pieces) {
    const roles = phraseWords(piece.replace(/[([][^()[\]]*[)\]]/g, ' ')).roles;
    if ([...roles.values()].every((r) => r === 'site' || r === 'modifier')) {
      pending.push(piece);
      continue;
    }
    result.push(...pending.map((p) => `${p} ${lastWords(piece)}`), piece);
    pending = [];
  }
  return [...result, ...pending];
}

/** The words of `piece` after its own leading sites and modifiers ("peritoneal hydatid cysts" → "hydatid cysts"). */
function lastWords(piece: string): string {
  const tokens = piece.split(/\s+/);
  const start = tokens.findIndex((t) => {
    const roles = [...phraseWords(t).roles.values()];
    return roles.length > 0 && roles.every((r) => r !== 'site' && r !== 'modifier');
  });
  return start < 0 ? piece : tokens.slice(start).join(' ');
}

function readCondition(text: string, qualifiers: string[]): Condition | undefined {
  const aliases: string[] = [];
  // Bracketed text names the condition again or gives details; either way not part of the principal phrase.
  const principal = text
    .replace(/[([]([^()[\]]*)[)\]]/g, (_m, inner: string) => {
      for (const alias of inner.split(/[,;]|\s+or\s+|\s*\/\s*/)) if (alias.trim()) aliases.push(alias.trim());
      return ' ';
    })
    .replace(/[()[\]]/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(LEADING_ARTICLE, '')
    .trim();
  if (!principal)
    return aliases.length > 0 ? { principal: aliases[0] as string, aliases: aliases.slice(1), qualifiers } : undefined;
  return { principal, aliases, qualifiers };
}

/** Splits at a separator that is not inside brackets. */
function splitOutsideBrackets(text: string, separator: RegExp): string[] {
  const flags = separator.flags.includes('g') ? separator.flags : `${separator.flags}g`;
  const global = new RegExp(separator.source, flags);
  const parts: string[] = [];
  let start = 0;
  for (const match of text.matchAll(global)) {
    const at = match.index ?? 0;
    if (depthAt(text, at) > 0) continue;
    parts.push(text.slice(start, at));
    start = at + match[0].length;
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function depthAt(text: string, index: number): number {
  let depth = 0;
  for (let i = 0; i < index; i++) {
    const c = text[i];
    if (c === '(' || c === '[') depth++;
    else if ((c === ')' || c === ']') && depth > 0) depth--;
  }
  return depth;
}
