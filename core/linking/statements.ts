/**
 * Splits clinical free text (an initial presentation, a test result) into short statements that entity
 * linking can read one at a time: "35-year-old woman with diplopia and ptosis, no fever or rash" →
 * "35-year-old woman", "diplopia", "ptosis", "no fever", "no rash". A negation at the head of a list
 * ("no", "denies", "without", "negative for") carries over its commas and conjunctions, so listed
 * denials stay denials; "but" and "with" end it.
 */

const NEGATION_HEAD = /^(?:no|not|without|denies|denied|negative for|absence of|free of|never)\b/i;
/** Words that end a negated list. */
const SCOPE_BREAK = /^(?:but|with|however|although|though)$/i;
/** Separators inside a sentence: commas, semicolons, and the conjunctions of a list. */
const SEPARATOR = /\s*(?:[,;]|\band\b|\bor\b|\bnor\b|\bbut\b|\bwith\b|\bhowever\b|\balthough\b|\bwhich\b|\bwho\b)\s*/i;
/** Sentence ends: a full stop not inside a number, ?, !, or a line break. */
const SENTENCE_END = /(?<!\d)\.(?!\d)|[?!\n]+/;
/** "History:", "Vital signs -" and other labels at the start of a line. */
const LABEL = /^[A-Z][A-Za-z /()&-]{0,40}:\s+/;

export function clinicalStatements(text: string): string[] {
  const statements: string[] = [];
  for (const rawSentence of text.split(SENTENCE_END)) {
    const sentence = rawSentence.trim().replace(LABEL, '');
    if (!sentence) continue;
    let negated = false;
    // Split while keeping the separators, to see which conjunction ended each part.
    const parts = sentence.split(new RegExp(`(${SEPARATOR.source})`, 'i'));
    for (let i = 0; i < parts.length; i += 2) {
      const part = (parts[i] as string).trim();
      const before = (parts[i - 1] ?? '').trim().replace(/^[,;]\s*/, '');
      if (SCOPE_BREAK.test(before)) negated = false;
      if (!part || !/[a-z]{3}/i.test(part)) continue;
      if (NEGATION_HEAD.test(part)) {
        negated = true;
        statements.push(part);
      } else {
        statements.push(negated ? `no ${part}` : part);
      }
    }
  }
  return [...new Set(statements)];
}
