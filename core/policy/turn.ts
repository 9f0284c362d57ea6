import { z } from 'zod';

/**
 * One doctor turn, as every policy produces it and the dataset records it: free-text reasoning, a
 * ranked differential, and one action — order tests, or commit to a final diagnosis.
 */

/** More tests than this in one order is a shotgun, not a plan; the schema refuses it. */
export const MAX_TESTS_PER_ORDER = 8;
export const MAX_DIFFERENTIAL = 10;

const text = (what: string) =>
  z
    .string({ error: `expected ${what}` })
    .trim()
    .min(1, { error: `expected ${what}` });

export const differentialEntrySchema = z.object({
  diagnosis: text('a diagnosis name'),
  /** Subjective probability in [0, 1]; entries are ranked most likely first. */
  likelihood: z.number({ error: 'expected a number in [0, 1]' }).min(0).max(1),
});

export const orderTestsSchema = z.object({
  type: z.literal('order_tests'),
  tests: z
    .array(text('a test name'))
    .min(1, { error: 'expected at least one test' })
    .max(MAX_TESTS_PER_ORDER, { error: `expected at most ${MAX_TESTS_PER_ORDER} tests` }),
  rationale: text('a rationale'),
});

export const finalDiagnosisSchema = z.object({
  type: z.literal('final_diagnosis'),
  diagnosis: text('a diagnosis'),
});

export const doctorTurnSchema = z.object({
  reasoning: text('reasoning text'),
  differential: z
    .array(differentialEntrySchema)
    .min(1, { error: 'expected a non-empty differential' })
    .max(MAX_DIFFERENTIAL, { error: `expected at most ${MAX_DIFFERENTIAL} diagnoses` }),
  action: z.discriminatedUnion('type', [orderTestsSchema, finalDiagnosisSchema]),
});

/** The last allowed turn: the action must be a final diagnosis. */
export const finalTurnSchema = doctorTurnSchema.extend({ action: finalDiagnosisSchema });

export type DoctorTurn = z.infer<typeof doctorTurnSchema>;
export type TurnAction = DoctorTurn['action'];

/** The schema a turn must satisfy: on the last allowed turn only a final diagnosis is accepted. */
export function turnSchemaFor(lastTurn: boolean): z.ZodType<DoctorTurn> {
  return lastTurn ? finalTurnSchema : doctorTurnSchema;
}

/** Parses a reply: either the turn, or the problems stated plainly (field path and message), one per line. */
export function parseTurn(reply: string, lastTurn: boolean): { turn: DoctorTurn } | { problems: string } {
  let value: unknown;
  try {
    value = JSON.parse(escapeControlCharacters(stripCodeFence(reply)));
  } catch (error) {
    return { problems: `the reply is not JSON (${(error as Error).message})` };
  }
  const parsed = turnSchemaFor(lastTurn).safeParse(readPercentages(value));
  if (parsed.success) return { turn: parsed.data };
  return {
    problems: parsed.error.issues
      .slice(0, 8)
      .map((i) => `${i.path.length ? i.path.join('.') : '(reply)'}: ${i.message}`)
      .join('\n'),
  };
}

/**
 * Likelihoods written on a 0-100 scale are read as percentages: when some entry of the differential is
 * above 1 and none above 100, every entry is divided by 100 (the ranking is kept). Models, small ones
 * above all, often answer "likelihood": 70; anything else out of [0, 1] is still refused.
 */
export function readPercentages(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const differential = (value as { differential?: unknown }).differential;
  if (!Array.isArray(differential)) return value;
  const likelihoods = differential.map((d) =>
    typeof d === 'object' && d !== null ? (d as { likelihood?: unknown }).likelihood : undefined,
  );
  if (!likelihoods.every((l) => typeof l === 'number' && l >= 0 && l <= 100) || !likelihoods.some((l) => (l as number) > 1)) {
    return value;
  }
  return {
    ...value,
    differential: differential.map((d) => ({ ...d, likelihood: (d as { likelihood: number }).likelihood / 100 })),
  };
}

/**
 * Raw line breaks and tabs inside JSON strings, which models often write and JSON forbids, as their
 * escapes; everything outside strings, and escapes already written, are left as they are.
 */
export function escapeControlCharacters(text: string): string {
  let out = '';
  let inString = false;
  let escaped = false;
  for (const ch of text) {
    if (inString && !escaped && ch < ' ') {
      out +=
        ch === '\n' ? '\\n' : ch === '\r' ? '\\r' : ch === '\t' ? '\\t' : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
      continue;
    }
    if (inString && ch === '\\' && !escaped) escaped = true;
    else {
      if (ch === '"' && !escaped) inString = !inString;
      escaped = false;
    }
    out += ch;
  }
  return out;
}

/** Models often wrap JSON in a Markdown code fence even in JSON mode; the content is what counts. */
export function stripCodeFence(reply: string): string {
  const fenced = /^\s*```(?:json)?\s*\n?([\s\S]*?)\n?```\s*$/i.exec(reply);
  return fenced ? (fenced[1] as string) : reply;
}

/** Wording that does not change an action: case, spacing, punctuation at the ends. */
function canonical(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^[\s.,;:]+|[\s.,;:]+$/g, '');
}

/**
 * What makes two actions the same for branch merging: the same set of tests (order and wording
 * aside), or the same final diagnosis. Reasoning and differential do not count.
 */
export function actionKey(action: TurnAction): string {
  if (action.type === 'final_diagnosis') return `final:${canonical(action.diagnosis)}`;
  return `order:${[...new Set(action.tests.map(canonical))].sort().join('|')}`;
}
