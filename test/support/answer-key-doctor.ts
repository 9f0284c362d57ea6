import type { Case } from '../../core/cases/model';
import { hash32 } from '../../core/random';
import { roundTo } from '../../core/round';
import type { ChatRequestBody, ScriptedReply } from './scripted-llm-server';

/**
 * A stand-in teacher for builds and evaluations of real cases (the bundled ones): it knows each case's
 * menu and gold, so it can be right or wrong on purpose. On a case it "knows" (two of three, by a hash
 * of the id) it orders tests from the menu and commits to the gold diagnosis; on the others it commits
 * to a wrong one, its belief in the leading hypothesis rising each turn. Candidate 1 (odd seeds) takes one more turn of tests before committing. The case is
 * found by its initial observation in the request, the turn by the assistant messages already in it.
 */
export function answerKeyDoctor(cases: Case[]): (body: ChatRequestBody) => ScriptedReply {
  return (body) => {
    if ((body.messages[0]?.content ?? '').startsWith('You are a medical expert grading')) {
      return { kind: 'status', status: 500, message: 'the answer-key doctor is no judge' };
    }
    const o1 = body.messages[1]?.content ?? '';
    const testCase = cases.find((c) => o1.includes(c.o1.text));
    if (!testCase) return { kind: 'status', status: 500, message: 'a case the answer key does not have' };
    const turn = body.messages.filter((m) => m.role === 'assistant').length;
    const candidate = (body.seed ?? 0) % 2;
    const knows = answerKeyKnows(testCase.id);
    const gold = testCase.gold.short;
    const wrong = 'viral syndrome';
    const leading = knows ? gold : wrong;
    // Belief moves to the leading hypothesis turn by turn, as a converging differential does.
    const p = Math.min(0.4 + 0.25 * turn, 0.9);
    const differential = [
      { diagnosis: leading, likelihood: p },
      { diagnosis: knows ? wrong : gold, likelihood: roundTo((1 - p) * 0.6, 4) },
      { diagnosis: 'drug reaction', likelihood: roundTo((1 - p) * 0.4, 4) },
    ];
    const orders = testCase.menu.slice(turn * 2, turn * 2 + 2).map((m) => m.name);
    const lastTurn = turn >= candidate + 1 || orders.length === 0;
    const reply = lastTurn
      ? {
          reasoning: `The findings so far point to ${leading}.`,
          differential,
          action: { type: 'final_diagnosis', diagnosis: leading },
        }
      : {
          reasoning: `To tell ${differential[0]!.diagnosis} from ${differential[1]!.diagnosis}: ${orders.join(', ')}.`,
          differential,
          action: { type: 'order_tests', tests: orders, rationale: 'to confirm the leading hypothesis' },
        };
    return { kind: 'content', content: JSON.stringify(reply) };
  };
}

/** The cases the answer key gets right: two of three, by a hash of the id. */
export function answerKeyKnows(caseId: string): boolean {
  return hash32(`answer-key|${caseId}`) % 3 !== 0;
}
