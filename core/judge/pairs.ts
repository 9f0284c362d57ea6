import { z } from 'zod';

/** One line of a `medaction judge --pairs` file: an answer and its gold; other fields are passed through. */
export const judgePairSchema = z
  .object({
    answer: z.string({ error: 'expected a string' }).trim().min(1, { error: 'must not be empty' }),
    gold: z.string({ error: 'expected a string' }).trim().min(1, { error: 'must not be empty' }),
    gold_long: z.string({ error: 'expected a string' }).optional(),
    correct: z.boolean({ error: 'expected true or false' }).optional(),
  })
  .passthrough();

export type JudgePair = z.infer<typeof judgePairSchema>;

export interface ReadPairs {
  /** The valid pairs with their line numbers (1-based). */
  pairs: { line: number; pair: JudgePair }[];
  /** Lines that are not a valid pair, by line number, with what is wrong. Blank lines are neither. */
  errors: { line: number; error: string }[];
}

/** Reads a JSON-lines pairs file; a bad line is reported and skipped, never fatal to the rest. */
export function readJudgePairs(text: string): ReadPairs {
  const pairs: ReadPairs['pairs'] = [];
  const errors: ReadPairs['errors'] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      errors.push({ line, error: `not JSON (${(error as Error).message})` });
      return;
    }
    const parsed = judgePairSchema.safeParse(value);
    if (parsed.success) pairs.push({ line, pair: parsed.data });
    else errors.push({ line, error: parsed.error.issues.map((x) => `${x.path.join('.') || '(line)'}: ${x.message}`).join('; ') });
  });
  return { pairs, errors };
}
