import { z } from 'zod';
import type { ChatMessage } from '../policy/prompts';
import { stripCodeFence } from '../policy/turn';

/**
 * The LLM judge's prompt (MedR-Bench style: is the predicted diagnosis the same disease as the gold,
 * allowing synonyms and a more specific or slightly more general name?). Bump the version on any change.
 */
export const JUDGE_PROMPT_VERSION = 'judge-v1';

export const judgementSchema = z.object({
  correct: z.boolean({ error: 'expected true or false' }),
  reason: z.string({ error: 'expected a short reason' }).trim().min(1, { error: 'expected a short reason' }),
});

export function judgeMessages(final: string, gold: { short: string; long: string }): ChatMessage[] {
  return [
    {
      role: 'system',
      content: [
        'You are a medical expert grading a diagnosis against the reference diagnosis of a clinical case.',
        'The prediction is correct if it names the same disease as the reference: a synonym, an abbreviation,',
        'a more specific form of it, or its immediate broader category when the reference adds only detail',
        '(a cause, a site, a stage). It is wrong if it names a different disease, or only a symptom or a',
        'very broad category.',
        'Reply with one JSON object: {"correct": true|false, "reason": "<one sentence>"}.',
      ].join('\n'),
    },
    {
      role: 'user',
      content: `Reference diagnosis: ${gold.short}${gold.long !== gold.short ? `\n(as written in the case: ${gold.long})` : ''}\nPredicted diagnosis: ${final}`,
    },
  ];
}

export function parseJudgement(reply: string): { correct: boolean } | { problems: string } {
  let value: unknown;
  try {
    value = JSON.parse(stripCodeFence(reply));
  } catch (error) {
    return { problems: `the reply is not JSON (${(error as Error).message})` };
  }
  const parsed = judgementSchema.safeParse(value);
  if (parsed.success) return { correct: parsed.data.correct };
  return { problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(reply)'}: ${i.message}`).join('\n') };
}
