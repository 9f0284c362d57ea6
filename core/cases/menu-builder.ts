import { GENERIC_CONCEPTS } from '../oracle/lexicon';
import { CONCEPTS_BY_ID, findRegions, findTests, type Mention, tokenize } from '../oracle/phrases';
import { splitSentences } from '../oracle/result-sentences';
import type { MenuCategory, MenuItem } from './model';

/**
 * Turns the test results of a report into menu items. An entry is a result with the headings it was
 * found under ("Laboratory Findings", or "Complete Blood Count" › "WBC"). One entry becomes several
 * items when its text reports several tests:
 * - sentence by sentence, when two or more sentences open on different tests
 *   ("Chest X-ray with mediastinal widening. CT angiography showing … Echocardiography showed …");
 * - fragment by fragment, when a sentence lists several analytes each with its own value
 *   ("elevated CRP (306.9 mg/L), leukocytosis (16.5 × 10⁹/L), and hypoalbuminemia").
 * A fragment that carries no value of its own keeps the whole sentence as its result, so the
 * oracle never returns a truncated claim ("Normal blood investigations and thyroid profile").
 */

export interface ResultEntry {
  /** Headings from outer to inner; may be empty (an unlabelled bullet or inline text). */
  path: string[];
  text: string;
}

/** Priority when a label names tests of several categories ("Pathology and Immunochemistry"). */
const CATEGORY_PRIORITY: MenuCategory[] = ['pathology', 'microbiology', 'imaging', 'procedure', 'lab', 'exam', 'other'];

const VALUE_WORD =
  /\d|\b(normal|abnormal|elevated|raised|high|low|increased|decreased|reduced|positive|negative|present|absent|detected|undetectable|within|unremarkable|mild|moderate|severe|markedly|borderline)\b/i;

export function categoryOf(mentions: Mention[]): MenuCategory | undefined {
  const specific = mentions.filter((m) => !GENERIC_CONCEPTS.has(m.concept));
  const chosen = specific.length > 0 ? specific : mentions;
  const categories = new Set(
    chosen.map((m) => CONCEPTS_BY_ID.get(m.concept)?.category).filter((c): c is MenuCategory => c !== undefined),
  );
  return CATEGORY_PRIORITY.find((c) => categories.has(c));
}

/** The category a heading path names, innermost heading first ("Imaging › ECG" is an ECG). */
function categoryOfPath(path: string[]): MenuCategory | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const category = categoryOf(findTests(path[i] as string, 'order'));
    if (category) return category;
  }
  return undefined;
}

function cleanLabel(label: string): string {
  return label.replace(/[_]+/g, ' ').replace(/\*+/g, '').replace(/\s+/g, ' ').trim();
}

/** Splits on sentence ends: ". " or "; " followed by a capital, digit or parenthesis, outside brackets. */
export function sentences(text: string): string[] {
  return splitSentences(text, '.!?;');
}

/** Splits a sentence at top-level commas/semicolons and " and " (not inside parentheses). */
function fragments(sentence: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  const tokens = sentence.split(/(\(|\)|,|;|\s+and\s+)/);
  for (const t of tokens) {
    if (t === '(') depth++;
    if (t === ')') depth = Math.max(0, depth - 1);
    if (depth === 0 && (t === ',' || t === ';' || /^\s+and\s+$/.test(t))) {
      out.push(current);
      current = '';
    } else {
      current += t;
    }
  }
  out.push(current);
  return out.map((f) => f.trim().replace(/^and\s+/i, '')).filter(Boolean);
}

/** Words before a code that grades or classifies ("category C3", "class B"). */
const GRADING_WORDS: ReadonlySet<string> = new Set(['category', 'class', 'stage', 'grade', 'type', 'group', 'classified']);

interface Segment {
  text: string;
  /** The test it reports, when the segment was split off by test. */
  mention?: Mention;
}

/** Categories whose tests start a new item even when named mid-sentence ("…, immunohistochemical staining revealed …"). */
const STANDALONE: ReadonlySet<MenuCategory> = new Set(['pathology', 'imaging', 'procedure', 'microbiology']);

/**
 * The test a sentence reports, if it opens a new result: a test named within its first three words
 * ("Chest X-ray showed …", "An abdominal CT scan …"), or a pathology/imaging/procedure/microbiology
 * test named anywhere. A lab analyte named mid-sentence ("Negative for cytokeratin, PSA, …") is part
 * of the surrounding result, not a result of its own.
 */
function openingTest(sentence: string): Mention | undefined {
  const named = findTests(sentence, 'text').filter((m) => m.kind === 'name' && !GENERIC_CONCEPTS.has(m.concept));
  const first = named[0];
  if (!first) return undefined;
  if (first.start <= 2) return first;
  return named.find((m) => STANDALONE.has(CONCEPTS_BY_ID.get(m.concept)?.category as MenuCategory));
}

function splitByTest(text: string): Segment[] {
  const sents = sentences(text);
  if (sents.length >= 2) {
    const openers = sents.map(openingTest);
    const concepts = openers.filter((m): m is Mention => m !== undefined).map((m) => m.concept);
    if (new Set(concepts).size >= 2) {
      const segments: Segment[] = [];
      sents.forEach((s, i) => {
        const opener = openers[i];
        const last = segments[segments.length - 1];
        if (last && (!opener || opener.concept === last.mention?.concept)) last.text = `${last.text} ${s}`;
        else segments.push({ text: s, ...(opener ? { mention: opener } : {}) });
      });
      // An opening sentence without a test of its own joins the next segment.
      if (segments.length >= 2 && !segments[0]?.mention) {
        const [head, next] = segments as [Segment, Segment];
        next.text = `${head.text} ${next.text}`;
        segments.shift();
      }
      return segments;
    }
  }
  if (sents.length === 1) {
    const frags = fragments(sents[0] as string);
    if (frags.length >= 2) {
      const mentions = frags.map((f) => {
        const words = tokenize(f).map((t) => t.lower);
        return findTests(f, 'text').find(
          (m) =>
            !GENERIC_CONCEPTS.has(m.concept) &&
            (CONCEPTS_BY_ID.get(m.concept)?.category === 'lab' || m.kind === 'finding') &&
            // "classified as category C3", "stage C2": a grade's code, not the analyte of that name.
            !GRADING_WORDS.has(words[m.start - 1] ?? ''),
        );
      });
      const concepts = mentions.map((m) => m?.concept);
      const named = concepts.filter((c): c is string => c !== undefined);
      if (named.length >= 2 && new Set(named).size === named.length && mentions[0] !== undefined) {
        const segments: Segment[] = [];
        let pending = ''; // "renal" in "renal and liver functions normal" belongs to what follows
        frags.forEach((f, i) => {
          const m = mentions[i];
          const last = segments[segments.length - 1];
          if (!m && mentions[i + 1] !== undefined && !VALUE_WORD.test(f)) pending = pending ? `${pending}, ${f}` : f;
          else if (!m && last) last.text = `${last.text}, ${f}`;
          else {
            const own = pending ? `${pending} and ${f}` : f;
            pending = '';
            // A finding ("Pancytopenia") or a value is a result in itself; a bare test name keeps the sentence.
            const standsAlone = VALUE_WORD.test(own) || m?.kind === 'finding';
            segments.push({ text: standsAlone ? own : (sents[0] as string), ...(m ? { mention: m } : {}) });
          }
        });
        return segments;
      }
    }
  }
  return [{ text }];
}

/** "Chest X-ray" from "… Chest X-ray with …": the test as written, with a body region just before it. */
function displayName(m: Mention, text: string): string {
  if (m.kind === 'finding') return CONCEPTS_BY_ID.get(m.concept)?.name ?? m.surface;
  const tokens = tokenize(text);
  let name = m.surface;
  const before = tokens[m.start - 1];
  if (before && findRegions(before.surface).size > 0 && CONCEPTS_BY_ID.get(m.concept)?.modality)
    name = `${before.surface} ${name}`;
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Verbs that end the subject of a result sentence ("ECG and echocardiogram | showed …"). */
const SUBJECT_END =
  /\b(showed|shows|show|showing|revealed|reveals|reveal|revealing|demonstrated|demonstrates|displayed|was|were|is|are|confirmed|confirming|indicated|found|identified|identifying|detected|noted|observed|seen|positive|negative|normal|consistent|suggest|suggested|suggesting|with)\b/i;
/** A result that opens with a finding ("No clumping of platelets observed") has no test for a subject. */
const FINDING_START =
  /^(no|not|negative|positive|normal|abnormal|elevated|raised|low|high|increased|decreased|reduced|mild|mildly|moderate|severe|absent|present|diffuse|multiple|bilateral|left|right|large|small|evidence)\b/i;

/** The subject of a result's first sentence: what was done, before the verb that reports it. */
export function resultSubject(text: string): string {
  const first = sentences(text)[0] ?? '';
  if (FINDING_START.test(first)) return '';
  const end = SUBJECT_END.exec(first);
  return end ? first.slice(0, end.index) : first.split(/\s+/).slice(0, 8).join(' ');
}

/** Tests named in the subject of a result, before its verb: they are what was done. */
function subjectTests(text: string): Mention[] {
  return findTests(resultSubject(text), 'text').filter((m) => m.kind === 'name');
}

/** Abbreviations given in parentheses in a label: "Brain Imaging (MRI)" → "MRI". */
function parentheticals(label: string): string[] {
  return [...label.matchAll(/\(([^()]{1,30})\)/g)].map((m) => (m[1] as string).trim());
}

export function buildMenu(entries: ResultEntry[]): MenuItem[] {
  const items: MenuItem[] = [];
  for (const entry of entries) {
    const path = entry.path.map(cleanLabel).filter(Boolean);
    const text = entry.text.trim();
    if (!text) continue;
    const segments = splitByTest(text);
    for (const segment of segments) {
      const split = segments.length > 1;
      const subjectMentions = subjectTests(segment.text);
      const subject = subjectMentions.filter((m) => !GENERIC_CONCEPTS.has(m.concept));
      let name: string;
      if (split && segment.mention) name = displayName(segment.mention, segment.text);
      else if (path.length > 0) name = path.join(' › ');
      else {
        const first = subject[0] ?? findTests(segment.text, 'text').find((m) => m.kind === 'name');
        name = first
          ? displayName(first, segment.text)
          : segment.text
              .split(/\s+/)
              .slice(0, 6)
              .join(' ')
              .replace(/[.,;:]$/, '');
      }
      const category =
        (split && segment.mention ? categoryOf([segment.mention]) : categoryOfPath(path)) ??
        categoryOf(subjectMentions) ??
        categoryOf(findTests(segment.text, 'text')) ??
        'other';
      const aliases = new Set<string>();
      if (split && path.length > 0) aliases.add(path.join(' › '));
      for (const p of path) if (p !== name) aliases.add(p);
      for (const p of parentheticals(path.join(' '))) aliases.add(p);
      if (!split) for (const m of subject) aliases.add(displayName(m, segment.text));
      aliases.delete(name);
      items.push({ id: `m${items.length + 1}`, category, name, aliases: [...aliases], result: segment.text });
    }
  }
  return items;
}
