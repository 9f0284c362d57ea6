import { z } from 'zod';
import type { ChatMessage } from '../policy/prompts';
import { stripCodeFence } from '../policy/turn';

/**
 * The LLM judge's prompt, with MedR-Bench's judging rule: the prediction is correct when it names the
 * reference disease, an alias or another wording of it; causes, symptoms and treatment are not judged;
 * the reference named together with extra complications is correct; another disease or only a broad
 * category is wrong. Bump the version on any change (it is part of a build's configuration).
 */
export const JUDGE_PROMPT_VERSION = 'judge-v2';

export const judgementSchema = z.object({
  correct: z.boolean({ error: 'expected true or false' }),
  reason: z.string({ error: 'expected a short reason' }).trim().min(1, { error: 'expected a short reason' }),
});

export function judgeMessages(final: string, gold: { short: string; long: string }): ChatMessage[] {
  return [
    {
      role: 'system',
      content: [
        'You are a medical expert grading a predicted diagnosis against the verified diagnosis of a clinical case.',
        'Judge only whether the diagnosis is right:',
        '1. One disease has several names (aliases, abbreviations, eponyms): any of them is correct.',
        '2. Wordings differ ("heart attack" and "myocardial infarction" are the same disease): judge the meaning.',
        '3. Causes, symptoms, findings and treatment are not judged, only the diagnosis itself.',
        '4. A prediction that contains the verified diagnosis together with extra complications or conditions is correct,',
        '   and so is a more specific form of it.',
        "It is wrong when its principal disease is another one (a sibling, another organ's disease), or only a broad",
        'category the verified diagnosis belongs to, or only a symptom.',
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
