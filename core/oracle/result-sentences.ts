import { GENERIC_CONCEPTS } from './lexicon';
import { CONCEPTS_BY_ID, findTests } from './phrases';

/**
 * A result read sentence by sentence, so that an order is answered with its own sentence of a result
 * that reports several tests ("Elevated lactate (5.1 mmol/L). HbA1c was 15.6 %." answers "HbA1c" with the
 * second sentence only), never with a neighbour's. Each sentence is kept verbatim.
 */
export interface ResultSentence {
  text: string;
  /** Specific tests the sentence names or, through a finding word, implies ("anemia" → haemoglobin). */
  tests: Set<string>;
}

/**
 * Splits at ". " (or "!", "?", and any of `ends`) before a capital, digit or bracket, never inside
 * brackets ("(183/mL; 96 % PMN)").
 */
export function splitSentences(text: string, ends = '.!?'): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '(' || ch === '[') depth++;
    else if ((ch === ')' || ch === ']') && depth > 0) depth--;
    else if (depth === 0 && ends.includes(ch) && /^\s+[A-Z0-9(]/.test(text.slice(i + 1, i + 3))) {
      out.push(text.slice(start, i + 1).trim());
      start = i + 1;
    }
  }
  out.push(text.slice(start).trim());
  return out.filter(Boolean);
}

export function resultSentences(result: string): ResultSentence[] {
  return splitSentences(result).map((text) => ({
    text,
    tests: new Set(
      findTests(text, 'text')
        .map((m) => m.concept)
        .filter((c) => !GENERIC_CONCEPTS.has(c)),
    ),
  }));
}

/** The request's tests with the panels that contain them and the members they contain: a sentence about any of these is about the request. */
function related(concepts: string[]): Set<string> {
  const out = new Set(concepts);
  for (const c of concepts) for (const m of CONCEPTS_BY_ID.get(c)?.members ?? []) out.add(m);
  for (const panel of CONCEPTS_BY_ID.values()) if ((panel.members ?? []).some((m) => concepts.includes(m))) out.add(panel.id);
  return out;
}

/**
 * The part of a result that answers a request for these tests: the sentences about them, with the
 * sentences that name no test (a continuation: "Diffusion restriction and ADC decrease.") that follow
 * one of them, or open the result when its label answered (`labelled`: the label's tests). Sentences about
 * other tests only are left out. When no sentence is about the request (the label named the test:
 * "CBC: Within normal limits."), the sentences that name no other test are kept, or the whole result if
 * every sentence names another test. Null: the whole result answers.
 */
export function answeringPart(
  sentences: ResultSentence[],
  concepts: string[],
  labelled: ReadonlySet<string> | null,
): string | null {
  if (sentences.length < 2 || concepts.length === 0) return null;
  // A sentence about the test the item's label names ("MR angiography showed …") is about the order it answered.
  const wanted = related([...concepts, ...(labelled ?? [])]);
  const about = sentences.map((s) => [...s.tests].some((t) => wanted.has(t)));
  if (about.some(Boolean)) {
    const kept: string[] = [];
    let following = labelled !== null;
    sentences.forEach((s, i) => {
      if (about[i]) following = true;
      else if (s.tests.size > 0) following = false;
      if (following) kept.push(s.text);
    });
    return kept.length === sentences.length ? null : kept.join(' ');
  }
  const unnamed = sentences.filter((s) => s.tests.size === 0);
  if (unnamed.length === 0 || unnamed.length === sentences.length) return null;
  return unnamed.map((s) => s.text).join(' ');
}
