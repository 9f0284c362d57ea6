import { parseOutsideTrajectory } from '../../core/dataset/outside-trajectory';
import { renderTurn } from '../../core/policy/prompts';

const order = (tests: string[], extra: Record<string, unknown> = {}) => ({
  differential: [
    { diagnosis: 'pneumonia', likelihood: 0.6 },
    { diagnosis: 'bronchitis', likelihood: 0.4 },
  ],
  action: { type: 'order_tests', tests },
  ...extra,
});
const final = {
  differential: [{ diagnosis: 'pneumonia', likelihood: 1 }],
  action: { type: 'final_diagnosis', diagnosis: 'pneumonia' },
};

describe('reading a trajectory made elsewhere (medaction score)', () => {
  it('reads the documented turn format; no results given means the oracle answers', () => {
    const t = parseOutsideTrajectory(JSON.stringify({ case_id: 'c1', turns: [order(['chest x-ray']), final] }));
    expect(t.caseId).toBe('c1');
    expect(t.turns.map((x) => x.turn.action.type)).toEqual(['order_tests', 'final_diagnosis']);
    expect(t.turns[0]!.results).toBeUndefined();
  });

  it('takes given results as text, UNAVAILABLE, {result}, items, or by test name (a test left out goes to the oracle)', () => {
    const t = parseOutsideTrajectory(
      JSON.stringify({
        case_id: 'c1',
        turns: [
          order(['CBC', 'CRP', 'culture', 'x-ray'], {
            results: [
              'WBC 15',
              'UNAVAILABLE',
              { result: 'E. coli' },
              { status: 'result', items: [{ name: 'CXR', result: 'consolidation' }] },
            ],
          }),
          order(['Chest X-ray', 'sputum culture'], { results: { 'chest x-ray': 'consolidation' } }),
          final,
        ],
      }),
    );
    expect(t.turns[0]!.results).toEqual([
      { status: 'result', items: [{ name: 'result', result: 'WBC 15' }] },
      { status: 'unavailable', items: [] },
      { status: 'result', items: [{ name: 'result', result: 'E. coli' }] },
      { status: 'result', items: [{ name: 'CXR', result: 'consolidation' }] },
    ]);
    expect(t.turns[1]!.results).toEqual([{ status: 'result', items: [{ name: 'result', result: 'consolidation' }] }, undefined]);
  });

  it('accepts percentages and missing likelihoods (ranks stand in), and any number of tests', () => {
    const t = parseOutsideTrajectory(
      JSON.stringify({
        case_id: 'c1',
        turns: [
          {
            differential: [
              { diagnosis: 'a', likelihood: 60 },
              { diagnosis: 'b', likelihood: 30 },
            ],
            action: { type: 'order_tests', tests: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'] },
          },
          { differential: [{ diagnosis: 'a' }, { diagnosis: 'b' }], action: { type: 'final_diagnosis', diagnosis: 'a' } },
        ],
      }),
    );
    expect(t.turns[0]!.turn.differential.map((d) => d.likelihood)).toEqual([1, 0.5]);
    expect(t.turns[1]!.turn.differential.map((d) => d.likelihood)).toEqual([1, 0.5]);
  });

  it("reads an exported record's messages, not its per-turn metric records", () => {
    const turn = {
      reasoning: 'r',
      differential: [{ diagnosis: 'pneumonia', likelihood: 1 }],
      action: { type: 'final_diagnosis' as const, diagnosis: 'pneumonia' },
    };
    const t = parseOutsideTrajectory(
      JSON.stringify({
        case_id: 'c1',
        turns: [{ turn: 0, rac: null }],
        messages: [
          { role: 'system', content: 's' },
          { role: 'user', content: 'o1' },
          { role: 'assistant', content: renderTurn(turn) },
        ],
      }),
    );
    expect(t.turns.map((x) => x.turn)).toEqual([turn]);
  });

  it('says what is wrong', () => {
    expect(() => parseOutsideTrajectory('{')).toThrow(/^not JSON/);
    expect(() => parseOutsideTrajectory('{"case": "x"}')).toThrow(
      'expected {case_id, turns: [...]} or {case_id, messages: [...]}',
    );
    expect(() =>
      parseOutsideTrajectory(JSON.stringify({ case_id: 'c', turns: [{ differential: [], action: final.action }] })),
    ).toThrow(/turns\.0\.differential: expected a non-empty differential/);
    expect(() =>
      parseOutsideTrajectory(JSON.stringify({ case_id: 'c', turns: [order(['a', 'b'], { results: ['x'] })] })),
    ).toThrow('turns[0].results: expected one result per test (2), got 1');
    expect(() =>
      parseOutsideTrajectory(JSON.stringify({ case_id: 'c', messages: [{ role: 'assistant', content: 'not json' }] })),
    ).toThrow('assistant message 1 is not a JSON doctor turn');
  });
});
