import { MemoryKg } from '../../core/kg/memory-kg';
import { EntityLinker } from '../../core/linking/linker';
import { clinicalStatements } from '../../core/linking/statements';
import type { PolicyContext } from '../../core/policy/context';
import { BASELINE_TESTS, KgBaselinePolicy } from '../../core/policy/kg-baseline';
import { candidateSeed, proposeWithLlm, type CompletionRequest } from '../../core/policy/llm-doctor';
import { renderTurn, type PastStep } from '../../core/policy/prompts';
import { doctorTurnSchema, parseTurn, type DoctorTurn } from '../../core/policy/turn';
import { revealRoots } from '../../core/metrics/test-reveals';
import { tinyKg } from '../support/tiny-kg';

const valid: DoctorTurn = {
  reasoning: 'Productive cough and fever.',
  differential: [
    { diagnosis: 'pneumonia', likelihood: 0.7 },
    { diagnosis: 'bronchitis', likelihood: 0.3 },
  ],
  action: { type: 'order_tests', tests: ['chest X-ray'], rationale: 'consolidation?' },
};
const context = (past: PastStep[] = [], maxTurns = 3): PolicyContext => ({
  o1: 'A 60-year-old man with wet cough and fever.',
  past,
  maxTurns,
  seed: 7,
  path: past.length === 0 ? '' : '0',
});

describe('clinical statements', () => {
  it('splits text into statements and carries a listed denial over its list', () => {
    expect(
      clinicalStatements('History: 35-year-old woman with diplopia and ptosis, no fever, chills or rash. Temp 38.5 °C.'),
    ).toEqual(['35-year-old woman', 'diplopia', 'ptosis', 'no fever', 'no chills', 'no rash', 'Temp 38.5 °C']);
    expect(clinicalStatements('Denies chest pain or dyspnea but reports palpitations')).toEqual([
      'Denies chest pain',
      'no dyspnea',
      'reports palpitations',
    ]);
  });
});

describe('the LLM doctor', () => {
  function fakeEndpoint(replies: Record<string, string[]>) {
    const requests: CompletionRequest[] = [];
    const used = new Map<string, number>();
    return {
      requests,
      complete: async (request: CompletionRequest) => {
        requests.push(request);
        const key = `${request.candidate}:${request.attempt}`;
        const list = replies[key] ?? [];
        const n = used.get(key) ?? 0;
        used.set(key, n + 1);
        return { content: list[n] ?? renderTurn(valid), usage: { prompt: 100, completion: 10 } };
      },
    };
  }

  it('asks k candidates with their own stable seeds, repairs an invalid reply once, and fails a candidate invalid twice', async () => {
    const endpoint = fakeEndpoint({
      '1:first': ['not json at all'],
      '2:first': [JSON.stringify({ ...valid, differential: [] })],
      '2:repair': [JSON.stringify({ ...valid, reasoning: '' })],
    });
    const outcomes = await proposeWithLlm(endpoint.complete, context(), 3, 0.7);
    expect(outcomes[0]).toEqual({ index: 0, turn: valid, usage: { prompt: 100, completion: 10 }, requests: 1 });
    expect(outcomes[1]).toEqual({ index: 1, turn: valid, usage: { prompt: 200, completion: 20 }, requests: 2 });
    expect(outcomes[2]).toMatchObject({ index: 2, requests: 2, usage: { prompt: 200, completion: 20 } });
    expect('error' in (outcomes[2] as object) && (outcomes[2] as { error: string }).error).toBe(
      'invalid reply after a repair request: reasoning: expected reasoning text (first reply: differential: expected a non-empty differential)',
    );
    // The repair request shows the model its reply and what was wrong with it.
    const repair = endpoint.requests.find((r) => r.candidate === 1 && r.attempt === 'repair') as CompletionRequest;
    expect(repair.messages.slice(-2).map((m) => m.role)).toEqual(['assistant', 'user']);
    expect(repair.messages[repair.messages.length - 2]?.content).toBe('not json at all');
    expect(repair.messages[repair.messages.length - 1]?.content).toMatch(/^Your reply could not be used:\nthe reply is not JSON/);
    const seeds = endpoint.requests.filter((r) => r.attempt === 'first').map((r) => r.seed);
    expect(seeds).toEqual([0, 1, 2].map((i) => candidateSeed(7, '', i)));
    expect(new Set(seeds).size).toBe(3);
    expect(candidateSeed(7, '', 0)).toBe(candidateSeed(7, '', 0));
    expect(candidateSeed(7, '0', 0)).not.toBe(candidateSeed(7, '', 0));
  });

  it('requires a final diagnosis on the last allowed turn', async () => {
    const endpoint = fakeEndpoint({});
    const past: PastStep[] = [{ turn: valid, results: [] }];
    const outcomes = await proposeWithLlm(endpoint.complete, context(past, 2), 1, 0.7);
    expect(endpoint.requests.every((r) => r.finalOnly)).toBe(true);
    // The fake always answers with an order: refused, repaired with another order, refused again.
    expect(outcomes[0]).toMatchObject({ error: expect.stringMatching(/action\.type/) });
  });

  it('lets transport errors through for Temporal to retry', async () => {
    const failing = async () => {
      throw new Error('HTTP 429');
    };
    await expect(proposeWithLlm(failing, context(), 2, 0.7)).rejects.toThrow('HTTP 429');
  });
});

describe('reading a turn', () => {
  const reply = (likelihoods: unknown[]) =>
    JSON.stringify({ ...valid, differential: likelihoods.map((likelihood, i) => ({ diagnosis: `d${i}`, likelihood })) });

  it('reads likelihoods on a 0-100 scale as percentages, keeping their ranking', () => {
    expect(parseTurn(reply([70, 30]), false)).toMatchObject({
      turn: { differential: [{ likelihood: 0.7 }, { likelihood: 0.3 }] },
    });
    expect(parseTurn(reply([10, 0.5]), false)).toMatchObject({
      turn: { differential: [{ likelihood: 0.1 }, { likelihood: 0.005 }] },
    });
    expect(parseTurn(reply([0.7, 0.3]), false)).toMatchObject({
      turn: { differential: [{ likelihood: 0.7 }, { likelihood: 0.3 }] },
    });
  });

  it('reads raw line breaks inside strings as escapes, and leaves escaped ones alone', () => {
    const raw =
      '{"reasoning": "fever\nand cough\t", "differential": [{"diagnosis": "pneumonia", "likelihood": 0.7}], ' +
      '"action": {"type": "final_diagnosis", "diagnosis": "pneumo\\"nia\\n"}}';
    expect(parseTurn(raw, true)).toMatchObject({ turn: { reasoning: 'fever\nand cough', action: { diagnosis: 'pneumo"nia' } } });
    expect(parseTurn('{"reasoning": \n "x"', false)).toEqual({ problems: expect.stringMatching(/^the reply is not JSON/) });
  });

  it('still refuses what no scale explains: above 100, negative, not a number', () => {
    for (const bad of [
      [150, 10],
      [-1, 50],
      ['70', 30],
    ]) {
      expect(parseTurn(reply(bad), false)).toEqual({ problems: expect.stringContaining('differential.0.likelihood') });
    }
  });
});

describe('the KG baseline doctor', () => {
  const kg = new MemoryKg(tinyKg());
  const policy = new KgBaselinePolicy(kg, new EntityLinker(kg));

  it('ranks diseases by the findings it links, and is deterministic', async () => {
    const first = await policy.propose(context(), 3);
    expect(first).toHaveLength(3);
    for (const turn of first) expect(doctorTurnSchema.safeParse(turn).success).toBe(true);
    expect(first[0]?.differential.map((d) => d.diagnosis)).toEqual(['pneumonia', 'bronchitis', 'urinary tract infection']);
    expect(first[0]?.reasoning).toMatch(
      /^Findings so far: Productive cough; Fever\. .* No test left to order can tell the hypotheses apart/,
    );
    expect(await policy.propose(context(), 3)).toEqual(first);
  });

  it('commits on the last turn', async () => {
    const past: PastStep[] = [{ turn: valid, results: [] }];
    const last = await policy.propose(context(past, 2), 2);
    expect(last.map((t) => t.action.type)).toEqual(['final_diagnosis', 'final_diagnosis']);
  });

  it('orders only tests whose reveals the grounding metric knows', () => {
    for (const test of BASELINE_TESTS) expect([test, revealRoots(test).length > 0]).toEqual([test, true]);
  });
});
