import { z } from 'zod';
import { normalizeName } from '../kg/names';
import { UNAVAILABLE } from '../oracle/oracle';
import type { DoctorTurn } from '../policy/turn';

/**
 * A trajectory made anywhere — another pipeline, a clinician, this project's export — as `medaction
 * score` reads it (one JSON line): either turns in the documented format, or the `messages` of an
 * exported trajectory (the assistant messages are the doctor's turns). Unlike the doctor schema, any
 * number of tests per order is accepted: a shotgun order is scored low, not refused.
 */

const text = (what: string) =>
  z
    .string({ error: `expected ${what}` })
    .trim()
    .min(1, { error: `expected ${what}` });

/**
 * The differential, most likely first. Likelihoods may be probabilities, percentages or absent (then the
 * ranks stand in: 1/rank); the metrics normalise them anyway.
 */
const differential = z
  .array(
    z.object({
      diagnosis: text('a diagnosis name'),
      likelihood: z.number({ error: 'expected a likelihood (a number ≥ 0)' }).min(0).optional(),
    }),
  )
  .min(1, { error: 'expected a non-empty differential' })
  .transform((entries) => {
    const given = entries.map((e) => e.likelihood);
    const scale = given.some((l) => l !== undefined && l > 1) ? Math.max(...given.map((l) => l ?? 0)) : 1;
    return entries.map((e, i) => ({
      diagnosis: e.diagnosis,
      likelihood: e.likelihood === undefined ? 1 / (i + 1) : e.likelihood / scale,
    }));
  });

const action = z.discriminatedUnion(
  'type',
  [
    z.object({
      type: z.literal('order_tests'),
      tests: z.array(text('a test name')).min(1, { error: 'expected at least one test' }),
      rationale: z.string().optional(),
    }),
    z.object({ type: z.literal('final_diagnosis'), diagnosis: text('a diagnosis') }),
  ],
  { error: 'expected an action of type order_tests or final_diagnosis' },
);

/**
 * A given result: its text ("UNAVAILABLE" for none), `{result}` or `{text}` (a `test` name may come
 * along), or the items it returned `{status, items: [{name, result}]}`.
 */
const givenResult = z.union([
  z.string(),
  z.object({ result: z.string() }).transform((r) => r.result),
  z.object({ text: z.string() }).transform((r) => r.text),
  z.object({
    status: z.enum(['result', 'unavailable']).default('result'),
    items: z.array(z.object({ name: z.string().default('result'), result: z.string() })).default([]),
  }),
]);

const turn = z.object({
  reasoning: z.string().optional(),
  differential,
  action,
  /**
   * The results of this turn's orders: one per test, or an object by test name (a test it leaves out,
   * or the whole field absent: the case's oracle answers).
   */
  results: z.union([z.array(givenResult), z.record(z.string(), givenResult)]).optional(),
});

const message = z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() });

const turnsLine = z.object({ case_id: text('a case_id'), turns: z.array(turn).min(1, { error: 'expected at least one turn' }) });
const messagesLine = z.object({ case_id: text('a case_id'), messages: z.array(message).min(1) });

export interface OutsideTurn {
  turn: DoctorTurn;
  /** Given results, one per test (undefined: ask the oracle). */
  results?: ({ status: 'result' | 'unavailable'; items: { name: string; result: string }[] } | undefined)[];
}

export interface OutsideTrajectory {
  caseId: string;
  turns: OutsideTurn[];
}

/** Parses one line; throws an Error that says what is wrong (the caller names the line). */
export function parseOutsideTrajectory(line: string): OutsideTrajectory {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new Error(`not JSON: ${(error as Error).message}`);
  }
  // An exported record carries `messages` and per-turn metric records under `turns`: messages win.
  const hasMessages = typeof value === 'object' && value !== null && 'messages' in value;
  const parsed = hasMessages ? messagesLine.safeParse(value) : turnsLine.safeParse(value);
  if (!parsed.success) {
    const shape = typeof value === 'object' && value !== null && ('turns' in value || hasMessages);
    throw new Error(shape ? problems(parsed.error) : 'expected {case_id, turns: [...]} or {case_id, messages: [...]}');
  }
  if ('turns' in parsed.data) {
    const data = parsed.data;
    return {
      caseId: data.case_id,
      turns: data.turns.map((t, i) => {
        const tests = t.action.type === 'order_tests' ? t.action.tests : [];
        if (Array.isArray(t.results) && t.results.length !== tests.length)
          throw new Error(`turns[${i}].results: expected one result per test (${tests.length}), got ${t.results.length}`);
        const results =
          t.results === undefined
            ? undefined
            : Array.isArray(t.results)
              ? t.results
              : tests.map((test) => byTest(t.results as Record<string, Given>, test));
        return {
          turn: doctorTurn(t),
          ...(results ? { results: results.map((r) => (r === undefined ? undefined : givenToResult(r))) } : {}),
        };
      }),
    };
  }
  const data = parsed.data;
  const assistant = data.messages.filter((m) => m.role === 'assistant');
  if (assistant.length === 0) throw new Error('messages: no assistant message (the doctor turns)');
  return {
    caseId: data.case_id,
    turns: assistant.map((m, i) => {
      let reply: unknown;
      try {
        reply = JSON.parse(m.content);
      } catch {
        throw new Error(`assistant message ${i + 1} is not a JSON doctor turn`);
      }
      const t = turn.safeParse(reply);
      if (!t.success) throw new Error(`assistant message ${i + 1}: ${problems(t.error)}`);
      return { turn: doctorTurn(t.data) };
    }),
  };
}

type Given = z.infer<typeof givenResult>;

/** A read turn as the doctor schema's turn (reasoning and rationale may be left out). */
function doctorTurn(t: z.infer<typeof turn>): DoctorTurn {
  const { action } = t;
  return {
    reasoning: t.reasoning ?? '',
    differential: t.differential,
    action:
      action.type === 'order_tests' ? { type: 'order_tests', tests: action.tests, rationale: action.rationale ?? '' } : action,
  };
}

/** A result given by test name: the exact name, else the same name in another case or spacing. */
function byTest(results: Record<string, Given>, test: string): Given | undefined {
  if (test in results) return results[test];
  const key = Object.keys(results).find((k) => normalizeName(k) === normalizeName(test));
  return key === undefined ? undefined : results[key];
}

function givenToResult(r: z.infer<typeof givenResult>) {
  if (typeof r === 'string')
    return r.trim().toUpperCase() === UNAVAILABLE || r.trim() === ''
      ? { status: 'unavailable' as const, items: [] }
      : { status: 'result' as const, items: [{ name: 'result', result: r }] };
  return r.status === 'unavailable' || r.items.length === 0
    ? { status: 'unavailable' as const, items: [] }
    : { status: 'result' as const, items: r.items };
}

function problems(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(line)'}: ${i.message}`).join('; ');
}
