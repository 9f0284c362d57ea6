import { conversation, renderTurn } from '../../core/policy/prompts';
import { actionKey, parseTurn, type DoctorTurn } from '../../core/policy/turn';
import { childPath, comparePaths, pathChain, pathDepth, ROOT_PATH } from '../../core/tree/branch-path';
import { allocateBudget, lineCost } from '../../core/tree/budget';
import { mergeCandidates } from '../../core/tree/merge';
import type { TurnMetrics, TrajectoryMetrics } from '../../core/metrics/trajectory-metrics';
import { DEFAULT_FILTER, judgePath } from '../../core/tree/selection';

const order = (tests: string[], diagnosis = 'pneumonia'): DoctorTurn => ({
  reasoning: 'r',
  differential: [{ diagnosis, likelihood: 1 }],
  action: { type: 'order_tests', tests, rationale: 'why' },
});
const final = (diagnosis: string): DoctorTurn => ({
  reasoning: 'r',
  differential: [{ diagnosis, likelihood: 1 }],
  action: { type: 'final_diagnosis', diagnosis },
});

describe('branch paths', () => {
  it('name children by candidate index, and list the chain from the first turn', () => {
    expect(childPath(ROOT_PATH, 2)).toBe('2');
    expect(childPath('0.2', 1)).toBe('0.2.1');
    expect(pathChain('0.2.1')).toEqual(['0', '0.2', '0.2.1']);
    expect(pathChain(ROOT_PATH)).toEqual([]);
    expect(pathDepth('0.2.1')).toBe(3);
    expect(pathDepth(ROOT_PATH)).toBe(0);
  });

  it('sort in tree order, numerically', () => {
    expect(['0.10', '1', '0.9', '0', '0.9.0', ''].sort(comparePaths)).toEqual(['', '0', '0.9', '0.9.0', '0.10', '1']);
  });
});

describe('the node budget', () => {
  it('keeps as many children as can each reach the turn limit, and shares out the rest', () => {
    // 3 candidates at the root, turn limit 5: a child needs 5 nodes for one line to the limit.
    expect(lineCost(1, 5)).toBe(5);
    expect(allocateBudget(40, 3, 5)).toEqual([
      { index: 0, budget: 13 },
      { index: 1, budget: 12 },
      { index: 2, budget: 12 },
    ]);
    // Room for two lines only: the third candidate is not explored.
    expect(allocateBudget(10, 3, 5)).toEqual([
      { index: 0, budget: 4 },
      { index: 1, budget: 4 },
    ]);
    // Not even one full line: one child gets everything.
    expect(allocateBudget(2, 3, 4)).toEqual([{ index: 0, budget: 1 }]);
    expect(allocateBudget(0, 3, 4)).toEqual([]);
  });

  it('never hands out more nodes than it has', () => {
    for (let budget = 0; budget <= 60; budget++) {
      for (let candidates = 1; candidates <= 5; candidates++) {
        for (let perChild = 1; perChild <= 6; perChild++) {
          const a = allocateBudget(budget, candidates, perChild);
          const used = a.length + a.reduce((sum, x) => sum + x.budget, 0);
          expect(used).toBeLessThanOrEqual(budget);
          expect(a.every((x) => x.budget >= 0)).toBe(true);
          if (budget >= candidates * perChild) expect(a).toHaveLength(candidates);
        }
      }
    }
  });

  it('refuses a negative or fractional budget', () => {
    expect(() => allocateBudget(-1, 2)).toThrow(/budget/);
    expect(() => allocateBudget(1.5, 2)).toThrow(/budget/);
  });
});

describe('branch merging', () => {
  it('merges identical actions (test order, case and spacing aside) into the first candidate', () => {
    const merged = mergeCandidates([
      { index: 0, turn: order(['CBC', 'Chest X-ray']) },
      { index: 1, turn: order(['chest x-ray ', 'cbc'], 'bronchitis') },
      { index: 2, turn: final('Pneumonia') },
      { index: 3, turn: final('pneumonia.') },
      { index: 4, turn: order(['CBC']) },
    ]);
    expect(merged.map((m) => [m.index, m.merged])).toEqual([
      [0, [1]],
      [2, [3]],
      [4, []],
    ]);
    expect(actionKey(final('Pneumonia').action)).not.toBe(actionKey(order(['pneumonia']).action));
  });
});

describe('the turn schema and the turn limit', () => {
  it('accepts a turn, also inside a code fence, and refuses an order on the last turn', () => {
    const text = renderTurn(order(['CBC']));
    expect(parseTurn(text, false)).toEqual({ turn: order(['CBC']) });
    expect(parseTurn('```json\n' + text + '\n```', false)).toEqual({ turn: order(['CBC']) });
    const last = parseTurn(text, true);
    expect('problems' in last && last.problems).toMatch(/action\.type/);
    expect(parseTurn(renderTurn(final('pneumonia')), true)).toEqual({ turn: final('pneumonia') });
  });

  it('says plainly what is wrong with a reply', () => {
    expect(parseTurn('{"reasoning": "cut', false)).toEqual({ problems: expect.stringMatching(/^the reply is not JSON/) });
    const empty = parseTurn(JSON.stringify({ ...final('x'), differential: [] }), false);
    expect('problems' in empty && empty.problems).toBe('differential: expected a non-empty differential');
    const tooMany = parseTurn(JSON.stringify(order(Array.from({ length: 9 }, (_, i) => `test ${i}`))), false);
    expect('problems' in tooMany && tooMany.problems).toMatch(/action\.tests: expected at most 8 tests/);
  });

  it('tells the doctor which turn it is, and on the last one that it must conclude', () => {
    const messages = conversation(
      'o1 text',
      [{ turn: order(['CBC']), results: [{ test: 'CBC', status: 'unavailable', items: [] }] }],
      2,
    );
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(messages[1]?.content).toBe('Initial presentation:\no1 text\n\nTurn 1 of 2.');
    expect(messages[3]?.content).toBe(
      'Results:\n- CBC: UNAVAILABLE\n\nTurn 2 of 2. This is your last turn: give your final diagnosis.',
    );
  });
});

describe('the path filter and prefix truncation', () => {
  const turn = (
    i: number,
    h: number,
    converging: boolean | null,
    goldRank: number | null,
    supported: boolean[] = [],
  ): TurnMetrics => ({
    turn: i,
    hypothesisDistance: h,
    goldRank,
    converging,
    updates: supported.map((s, j) => ({ diagnosis: `d${j}`, node: `N${j}`, kind: 'rise' as const, supported: s })),
    ignoredEvidence: false,
    rac: supported.length ? supported.filter(Boolean).length / supported.length : null,
    orders: [{ test: 'CBC', grounded: true, information: 1, answered: true }],
  });
  const metrics = (turns: TurnMetrics[], dtc: number, rac: number): TrajectoryMetrics => ({
    dtc,
    rac,
    rac0: null,
    groundedOrdering: 1,
    answered: 1,
    answeredOrders: turns.length,
    converged: true,
    finalDistance: 0,
    turns,
  });

  it('keeps a correct complete path that passes the thresholds, and names the first failed check otherwise', () => {
    const m = metrics([turn(0, 2, null, 1, [true]), turn(1, 0, true, 1)], 1, 1);
    expect(judgePath('final', m, true, DEFAULT_FILTER)).toEqual({ complete: true });
    expect(judgePath('final', m, false, DEFAULT_FILTER).reason).toBe('incorrect_diagnosis');
    expect(judgePath('final', { ...m, dtc: 0.4 }, true, DEFAULT_FILTER).reason).toBe('diverged');
    expect(judgePath('final', { ...m, rac: 0.4 }, true, DEFAULT_FILTER).reason).toBe('unsupported_updates');
    expect(judgePath('final', { ...m, groundedOrdering: 0 }, true, DEFAULT_FILTER).reason).toBe('ungrounded_orders');
    expect(judgePath('final', { ...m, answeredOrders: 0, answered: 0 }, true, DEFAULT_FILTER).reason).toBe('premature_closure');
    expect(judgePath('final', { ...m, answered: 0.25 }, true, DEFAULT_FILTER).reason).toBe('unanswered_orders');
    // A metric that abstains (null) does not reject.
    expect(judgePath('final', { ...m, dtc: null, rac: null, groundedOrdering: null }, true, DEFAULT_FILTER)).toEqual({
      complete: true,
    });
    expect(judgePath('budget', m, false, DEFAULT_FILTER).reason).toBe('no_final_diagnosis');
    expect(judgePath('failed', m, true, DEFAULT_FILTER).reason).toBe('branch_failed');
  });

  it('truncates a rejected path after its last converging turn that still ranks the gold', () => {
    // Converges for turns 0-2, diverges at 3, ends with a wrong final diagnosis at 4.
    const m = metrics(
      [
        turn(0, 3, null, 2, [true, true]),
        turn(1, 2, true, 1),
        turn(2, 1, true, 1, [true]),
        turn(3, 4, false, null),
        turn(4, 5, false, null),
      ],
      0.5,
      1,
    );
    expect(judgePath('final', m, false, DEFAULT_FILTER)).toEqual({
      complete: false,
      reason: 'incorrect_diagnosis',
      prefixTurns: 3,
    });
    // The gold dropped out of turn 2's differential: the prefix ends at turn 1.
    const dropped = metrics(
      [turn(0, 3, null, 2, [true]), turn(1, 2, true, 1), turn(2, 1, true, null), turn(3, 5, false, null)],
      0.6,
      1,
    );
    expect(judgePath('final', dropped, false, DEFAULT_FILTER).prefixTurns).toBe(2);
    // Too short for minPrefixTurns.
    expect(judgePath('final', dropped, false, { ...DEFAULT_FILTER, minPrefixTurns: 3 }).prefixTurns).toBeUndefined();
  });

  it('never keeps the final turn in a prefix, nor a prefix whose own updates lack support', () => {
    const m = metrics([turn(0, 2, null, 1, [true]), turn(1, 1, true, 1)], 1, 1);
    // Two turns, the second final and wrong: only one order turn, below the minimum of 2.
    expect(judgePath('final', m, false, DEFAULT_FILTER).prefixTurns).toBeUndefined();
    const unsupported = metrics([turn(0, 3, null, 1), turn(1, 2, true, 1, [false, false]), turn(2, 6, false, null)], 0.5, 0);
    expect(judgePath('final', unsupported, false, DEFAULT_FILTER).prefixTurns).toBeUndefined();
    // A branch stopped by the budget keeps its converging prefix (it has no final turn).
    const budget = metrics([turn(0, 3, null, 1, [true]), turn(1, 2, true, 1)], 1, 1);
    expect(judgePath('budget', budget, false, DEFAULT_FILTER)).toEqual({
      complete: false,
      reason: 'no_final_diagnosis',
      prefixTurns: 2,
    });
  });
});
