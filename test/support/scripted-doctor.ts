import { candidateSeed } from '../../core/policy/llm-doctor';
import { childPath, ROOT_PATH } from '../../core/tree/branch-path';
import type { ChatRequestBody, ScriptedReply } from './scripted-llm-server';
import { TINY_CASES } from './tiny-cases';

/**
 * The doctor the scripted LLM server plays in the synthesis tests, on the tiny cases (k = 2, 3 turns).
 * Each reply is chosen by case, node path and candidate (recovered from the request's seed), and some
 * carry a fault the first time they are asked: a 429, a 500, a hang past the client's timeout,
 * malformed JSON (then a valid repair), a schema-invalid turn twice (the candidate fails).
 */
export const SCRIPT_BRANCHING = 2;
export const SCRIPT_MAX_TURNS = 3;

type Fault = '429' | '500' | 'hang';
export interface Step {
  reply: unknown;
  /** A fault answered the first time this candidate is asked. */
  fault?: Fault;
  /** The first reply is not JSON; the repair gets `reply`. */
  malformedFirst?: boolean;
  /** Both the first reply and the repair are valid JSON that the turn schema refuses. */
  invalidTwice?: boolean;
}

export const ddx = (...entries: [string, number][]) => entries.map(([diagnosis, likelihood]) => ({ diagnosis, likelihood }));
export const order = (tests: string[], differential: ReturnType<typeof ddx>) => ({
  reasoning: `Working through the differential; next: ${tests.join(', ')}.`,
  differential,
  action: { type: 'order_tests', tests, rationale: 'to confirm the leading hypothesis' },
});
export const final = (diagnosis: string, differential: ReturnType<typeof ddx>) => ({
  reasoning: `The findings point to ${diagnosis}.`,
  differential,
  action: { type: 'final_diagnosis', diagnosis },
});

/** case id → "path|candidate" → step. */
export const SCRIPT: Script = {
  'tiny-pneumonia': {
    '|0': { reply: order(['chest X-ray', 'lung auscultation'], ddx(['pneumonia', 0.6], ['bronchitis', 0.4])) },
    '|1': { reply: final('myocardial infarction', ddx(['myocardial infarction', 0.7], ['pneumonia', 0.3])) },
    '0|0': { reply: final('bacterial pneumonia', ddx(['bacterial pneumonia', 0.8], ['bronchitis', 0.2])) },
    // Moves away from the gold (h 1.8 → 5.5): early pruning stops here.
    '0|1': { reply: order(['troponin'], ddx(['myocardial infarction', 0.9], ['pneumonia', 0.1])) },
    '0.1|0': { reply: final('myocardial infarction', ddx(['myocardial infarction', 0.9], ['pneumonia', 0.1])) },
    // The same action as candidate 0: merged into branch 0.1.0.
    '0.1|1': { reply: final('Myocardial infarction', ddx(['myocardial infarction', 0.8], ['pneumonia', 0.2])) },
  },
  'tiny-uti': {
    '|0': { reply: order(['urinalysis'], ddx(['urinary tract infection', 0.7], ['pneumonia', 0.3])), fault: '429' },
    '|1': { reply: order(['urine culture'], ddx(['urinary tract infection', 0.6], ['pneumonia', 0.4])), malformedFirst: true },
    '0|0': { reply: final('urinary tract infection', ddx(['urinary tract infection', 0.9], ['pneumonia', 0.1])), fault: '500' },
    '0|1': { reply: final('pneumonia', ddx(['pneumonia', 0.6], ['urinary tract infection', 0.4])), fault: 'hang' },
    '1|0': { reply: null, invalidTwice: true },
    '1|1': { reply: final('urinary tract infection', ddx(['urinary tract infection', 0.9], ['pneumonia', 0.1])) },
  },
  'tiny-mi': {
    '|0': { reply: final('myocardial infarction', ddx(['myocardial infarction', 0.9], ['pneumonia', 0.1])) },
    '|1': { reply: order(['chest X-ray'], ddx(['pneumonia', 0.5], ['myocardial infarction', 0.5])) },
    '1|0': { reply: final('pneumonia', ddx(['pneumonia', 0.6], ['myocardial infarction', 0.4])) },
    '1|1': { reply: order(['troponin'], ddx(['myocardial infarction', 0.7], ['pneumonia', 0.3])) },
    '1.1|0': { reply: final('pneumonia', ddx(['pneumonia', 0.6], ['myocardial infarction', 0.4])) },
    '1.1|1': { reply: final('pneumonia', ddx(['pneumonia', 0.6], ['myocardial infarction', 0.4])) },
  },
};

/** A reply valid as JSON that the turn schema refuses: an empty differential. */
const SCHEMA_INVALID = JSON.stringify({
  reasoning: 'unsure',
  differential: [],
  action: { type: 'final_diagnosis', diagnosis: 'UTI' },
});

/** Where a request is in the tree: recovered from its seed (every path to the turn limit is tried). */
function seedIndex(buildSeed: number): Map<number, { path: string; candidate: number }> {
  const index = new Map<number, { path: string; candidate: number }>();
  const visit = (path: string, depth: number) => {
    if (depth >= SCRIPT_MAX_TURNS) return;
    for (let i = 0; i < SCRIPT_BRANCHING; i++) {
      index.set(candidateSeed(buildSeed, path, i), { path, candidate: i });
      visit(childPath(path, i), depth + 1);
    }
  };
  visit(ROOT_PATH, 0);
  return index;
}

export interface ScriptedDoctor {
  script(body: ChatRequestBody): ScriptedReply;
  /** Faults answered so far, as "case|path|candidate:fault". */
  faults: string[];
}

export type Script = Record<string, Record<string, Step>>;

export function scriptedDoctor(buildSeed = 0, hangMs = 4000, delayMs = 0, script: Script = SCRIPT): ScriptedDoctor {
  const seeds = seedIndex(buildSeed);
  const faulted = new Set<string>();
  const faults: string[] = [];
  return {
    faults,
    script(body) {
      // The LLM judge: correct when the prediction names the reference, case aside.
      if ((body.messages[0]?.content ?? '').startsWith('You are a medical expert grading')) {
        const text = body.messages[1]?.content ?? '';
        const reference = /Reference diagnosis: (.*)/.exec(text)?.[1]?.trim().toLowerCase();
        const predicted = /Predicted diagnosis: (.*)/.exec(text)?.[1]?.trim().toLowerCase();
        const correct = reference !== undefined && reference === predicted;
        return {
          kind: 'content',
          content: JSON.stringify({ correct, reason: correct ? 'same disease' : 'a different disease' }),
        };
      }
      const o1 = body.messages[1]?.content ?? '';
      // Variants of the tiny cases (more cases for the crash suite) extend their o1: the base case's script applies.
      const testCase = TINY_CASES.find((c) => o1.includes(c.o1.text));
      const where = body.seed === undefined ? undefined : seeds.get(body.seed);
      if (!testCase || !where) return { kind: 'status', status: 500, message: 'unscripted request' };
      const key = `${where.path}|${where.candidate}`;
      const step = script[testCase.id]?.[key];
      if (!step) return { kind: 'status', status: 500, message: `unscripted step ${testCase.id} ${key}` };
      const repair = (body.messages[body.messages.length - 1]?.content ?? '').startsWith('Your reply could not be used');
      const id = `${testCase.id}|${key}`;
      if (step.fault && !faulted.has(id)) {
        faulted.add(id);
        faults.push(`${id}:${step.fault}`);
        if (step.fault === 'hang') return { kind: 'hang', delayMs: hangMs, content: JSON.stringify(step.reply) };
        return { kind: 'status', status: Number(step.fault), message: `scripted ${step.fault}` };
      }
      if (step.invalidTwice) return { kind: 'content', content: SCHEMA_INVALID, delayMs };
      if (step.malformedFirst && !repair) return { kind: 'content', content: '{"reasoning": "cut off mid-', delayMs };
      return { kind: 'content', content: JSON.stringify(step.reply), delayMs };
    },
  };
}
