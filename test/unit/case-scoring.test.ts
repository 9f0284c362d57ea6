import fs from 'node:fs';
import { serializeCases } from '../../core/cases/case-file';
import { CompositionalJudge } from '../../core/judge/compositional-judge';
import { LlmJudge } from '../../core/dataset/llm-judge';
import type { BuildSettings } from '../../core/dataset/build-settings';
import { buildReport, everythingFailed, histogram, summaryOf } from '../../core/dataset/report';
import { scoreCaseTree, type ScoreSettings } from '../../core/dataset/score-case';
import { MemoryKg } from '../../core/kg/memory-kg';
import { summariseTurns } from '../../core/metrics/trajectory-metrics';
import { EntityLinker } from '../../core/linking/linker';
import { conversation } from '../../core/policy/prompts';
import type { DoctorTurn } from '../../core/policy/turn';
import type { CandidateFailure, TreeNode } from '../../core/tree/node';
import { DEFAULT_FILTER } from '../../core/tree/selection';
import { BUNDLED_CASES_FILE, bundledCases } from '../../stores/bundled-cases';
import { TINY_CASES } from '../support/tiny-cases';
import { buildReportPage } from '../../core/report/build-page';
import { barsChart, histogramChart } from '../../core/report/charts';
import { renderCharts } from '../../stores/html-report';
import { tinyKg } from '../support/tiny-kg';

const kg = new MemoryKg(tinyKg());
const linker = new EntityLinker(kg);
const judge = new CompositionalJudge(kg, linker);
const settings: ScoreSettings = {
  buildId: 'b',
  policy: 'openai',
  model: 'm',
  promptsVersion: 'v',
  maxTurns: 3,
  // The tree mechanics under test, without the premature-closure rule (its own test below).
  filter: { ...DEFAULT_FILTER, minGroundedOrdering: 0, minAnswered: 0 },
};
const mi = TINY_CASES.find((c) => c.id === 'tiny-mi')!;

const ddx = (...entries: [string, number][]) => entries.map(([diagnosis, likelihood]) => ({ diagnosis, likelihood }));
function node(path: string, turn: DoctorTurn, results: TreeNode['results'] = []): TreeNode {
  return { path, turn, results, merged: [], usage: { prompt: 10, completion: 5 }, requests: 1 };
}
const order = (test: string, differential: DoctorTurn['differential']): DoctorTurn => ({
  reasoning: 'r',
  differential,
  action: { type: 'order_tests', tests: [test], rationale: 'why' },
});
const final = (diagnosis: string, differential: DoctorTurn['differential']): DoctorTurn => ({
  reasoning: 'r',
  differential,
  action: { type: 'final_diagnosis', diagnosis },
});
const item = (name: string, result: string) => ({ id: 'm1', name, category: 'lab' as const, result });

/** The chest-pain case explored as the scripted build test explores it (docs: test/support/scripted-doctor.ts). */
function miTree() {
  const nodes = new Map<string, TreeNode>([
    ['0', node('0', final('myocardial infarction', ddx(['myocardial infarction', 0.9], ['pneumonia', 0.1])))],
    [
      '1',
      node('1', order('chest X-ray', ddx(['pneumonia', 0.5], ['myocardial infarction', 0.5])), [
        { test: 'chest X-ray', status: 'result', items: [item('Chest X-ray', 'Normal chest radiograph.')] },
      ]),
    ],
    ['1.0', node('1.0', final('pneumonia', ddx(['pneumonia', 0.6], ['myocardial infarction', 0.4])))],
    [
      '1.1',
      node('1.1', order('troponin', ddx(['myocardial infarction', 0.7], ['pneumonia', 0.3])), [
        { test: 'troponin', status: 'result', items: [item('Troponin', 'Increased circulating troponin concentration.')] },
      ]),
    ],
    ['1.1.0', node('1.1.0', final('pneumonia', ddx(['pneumonia', 0.6], ['myocardial infarction', 0.4])))],
  ]);
  return {
    testCase: mi,
    nodes,
    leaves: [
      { path: '0', status: 'final' as const },
      { path: '1.0', status: 'final' as const },
      { path: '1.1.0', status: 'final' as const },
    ],
    failures: [
      {
        path: '1.1.1',
        error: 'invalid reply after a repair request: differential: expected a non-empty differential',
        usage: { prompt: 7, completion: 3 },
        requests: 2,
      },
    ],
  };
}

describe('scoring a case tree', () => {
  it('keeps the correct path, keeps the converging prefix of a wrong one, and records every rejection and failure', async () => {
    const outcome = await scoreCaseTree(kg, linker, judge, miTree(), settings);
    expect(outcome.gold_node).toBe('TINY:D8');
    expect(outcome.trajectories.map((t) => [t.id, t.kind, t.correct, t.dtc, t.rac])).toEqual([
      // One-turn path: no step for DTC or RAC to judge; the prefix's one step brought a normal X-ray the KG cannot read.
      ['b/tiny-mi/t/0', 'complete', true, null, null],
      ['b/tiny-mi/p/1.1', 'prefix', null, 1, null],
    ]);
    expect(outcome.rejections.map((r) => [r.branch_path, r.reason, r.prefix_kept, r.turns])).toEqual([
      ['1.0', 'incorrect_diagnosis', null, 2],
      ['1.1.0', 'incorrect_diagnosis', 'b/tiny-mi/p/1.1', 3],
      ['1.1.1', 'branch_failed', 'b/tiny-mi/p/1.1', 2],
    ]);
    expect(outcome.failed_branches).toEqual([
      { branch_path: '1.1.1', error: 'invalid reply after a repair request: differential: expected a non-empty differential' },
    ]);
    // The prefix ends with the doctor's order; the results of that order are not part of it.
    const prefix = outcome.trajectories[1]!;
    expect(prefix.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant']);
    expect(prefix.turns.map((t) => [t.action, t.converging, t.gold_rank, t.orders])).toEqual([
      ['order_tests', null, 2, [{ test: 'chest X-ray', grounded: false, information: 0, answered: true, cost: 35 }]],
      ['order_tests', true, 1, [{ test: 'troponin', grounded: false, information: 0, answered: true, cost: 10 }]],
    ]);
    expect(prefix.test_cost).toBe(45);
    expect(prefix.tokens).toEqual({ prompt: 20, completion: 10, total: 30 });
    // Tokens and requests of the five turns, and of the failed candidate's two requests.
    expect(outcome).toMatchObject({ nodes: 5, leaves: 3, complete: 1, prefixes: 1, rejected: 3, depth: 3, requests: 7 });
    expect(outcome.tokens).toEqual({ prompt: 57, completion: 28, total: 85 });
    expect(outcome.rejections[2]?.tokens).toEqual({ prompt: 27, completion: 13, total: 40 });
    expect(outcome.rejected_by_reason).toEqual({ incorrect_diagnosis: 2, branch_failed: 1 });
  });

  it("records each turn's reasoning trace on its assistant message, and never sends one back to the model", async () => {
    const tree = miTree();
    tree.nodes.set('1', { ...tree.nodes.get('1')!, trace: 'X-ray first: pneumonia is as likely.' });
    tree.nodes.set('1.1', { ...tree.nodes.get('1.1')!, trace: 'Normal film; troponin next.' });
    const outcome = await scoreCaseTree(kg, linker, judge, tree, settings);
    const prefix = outcome.trajectories.find((t) => t.kind === 'prefix')!;
    expect(prefix.messages.filter((m) => m.role === 'assistant').map((m) => m.reasoning_content)).toEqual([
      'X-ray first: pneumonia is as likely.',
      'Normal film; troponin next.',
    ]);
    expect(outcome.trajectories.find((t) => t.kind === 'complete')!.messages.some((m) => 'reasoning_content' in m)).toBe(false);
    const past = ['1', '1.1'].map((p) => tree.nodes.get(p)!);
    expect(conversation(mi.o1.text, past, 3).some((m) => 'reasoning_content' in m)).toBe(false);
  });

  it("keeps a failed candidate's invalid reply on its rejected record", async () => {
    const tree = miTree();
    const failures: CandidateFailure[] = [{ ...tree.failures[0]!, reply: '{"reasoning": "r", "differential": []}' }];
    const outcome = await scoreCaseTree(kg, linker, judge, { ...tree, failures }, settings);
    expect(outcome.rejections.find((r) => r.branch_path === '1.1.1')).toMatchObject({
      reason: 'branch_failed',
      invalid_reply: '{"reasoning": "r", "differential": []}',
    });
    expect(outcome.rejections.filter((r) => r.branch_path !== '1.1.1').every((r) => r.invalid_reply === null)).toBe(true);
  });

  it('rejects a diagnosis made without one answered order as premature closure (the default filter)', async () => {
    const outcome = await scoreCaseTree(kg, linker, judge, miTree(), {
      ...settings,
      filter: { ...settings.filter, minAnswered: 0.5 },
    });
    expect(outcome.rejections.find((r) => r.branch_path === '0')).toMatchObject({ reason: 'premature_closure', correct: true });
    expect(outcome.trajectories.map((t) => t.branch_path)).toEqual(['1.1']);
  });

  it('sums outcomes into the build report, failed LLM calls among the calls', async () => {
    // Node 1 timed out once and node 1.1 got a 500 once before their expansions succeeded.
    const callFailures = [
      { path: '1', attempt: 1, kind: 'timeout' as const, status: null, error: 'Request timed out.', retried: true },
      { path: '1.1', attempt: 1, kind: 'http' as const, status: 500, error: 'overloaded', retried: true },
    ];
    const outcome = await scoreCaseTree(kg, linker, judge, { ...miTree(), callFailures }, settings);
    expect(outcome).toMatchObject({ requests: 7, failed_calls: 2, timeouts: 1, retries: 2 });
    const build = { buildId: 'b', configHash: 'h', policy: 'openai', model: 'm' } as BuildSettings;
    const report = buildReport(build, [outcome], [{ case_id: 'tiny-x', error: 'case file changed' }]);
    expect(summaryOf(report)).toEqual({
      build_id: 'b',
      cases: 2,
      cases_failed: 1,
      trajectories_kept: 2,
      prefixes_kept: 1,
      rejected: 3,
      llm_calls: 9,
      failed_calls: 2,
      timeouts: 1,
      retries: 2,
      failed_branches: 1,
      tokens: 85,
    });
    expect(everythingFailed(summaryOf(report))).toBe(false);
    expect(everythingFailed({ ...summaryOf(report), trajectories_kept: 0, rejected: 1 })).toBe(true);
    expect(everythingFailed({ ...summaryOf(report), cases_failed: 2 })).toBe(true);
    // 2 kept of 4 paths explored (1 kept whole, 3 rejected, one of which gave the prefix).
    expect(report.acceptance_rate).toBe(0.5);
    expect(report.rejected_by_reason).toMatchObject({ incorrect_diagnosis: 2, branch_failed: 1, diverged: 0 });
    expect(report.failed_branches).toEqual([
      { case_id: 'tiny-mi', branch_path: '1.1.1', error: expect.stringMatching(/^invalid reply/) },
    ]);
    expect(report.distributions.trajectories_per_case.counts[2]).toBe(1);
  });

  it('counts the tokens of turns that the budget left off every path', async () => {
    const unused = [node('2', final('pneumonia', ddx(['pneumonia', 1])))];
    const outcome = await scoreCaseTree(kg, linker, judge, { ...miTree(), unused }, settings);
    expect(outcome.tokens.total).toBe(85 + 15);
    expect(outcome.requests).toBe(8);
    expect(outcome.nodes).toBe(5);
  });

  it('drops a prefix that lies on a kept complete path', async () => {
    const tree = miTree();
    // Make 1.1.0 correct: the whole path is kept, and its prefix 1.1 adds nothing.
    tree.nodes.set(
      '1.1.0',
      node('1.1.0', final('myocardial infarction', ddx(['myocardial infarction', 0.9], ['pneumonia', 0.1]))),
    );
    const outcome = await scoreCaseTree(kg, linker, judge, { ...tree, failures: [] }, settings);
    expect(outcome.trajectories.map((t) => [t.branch_path, t.kind])).toEqual([
      ['0', 'complete'],
      ['1.1.0', 'complete'],
    ]);
    expect(outcome.rejections.map((r) => [r.branch_path, r.prefix_kept])).toEqual([['1.0', null]]);
  });

  it('names a missing node instead of scoring a partial path', async () => {
    const tree = miTree();
    tree.nodes.delete('1.1');
    await expect(scoreCaseTree(kg, linker, judge, tree, settings)).rejects.toThrow(
      'case tiny-mi: node 1.1 of a path to a leaf is missing',
    );
  });
});

describe('report helpers and bundled data', () => {
  it('bins values by lower edges, the last bin closed', () => {
    expect(histogram([0, 0.05, 0.5, 1, 1], [0, 0.5, 1])).toEqual({ bins: [0, 0.5, 1], counts: [2, 1, 2], mean: 0.51 });
    expect(histogram([], [0, 1])).toEqual({ bins: [0, 1], counts: [0, 0], mean: null });
    // A metric that abstained is counted apart, not binned.
    expect(histogram([null, 0.5, null], [0, 1])).toEqual({ bins: [0, 1], counts: [1, 0], mean: 0.5, abstained: 2 });
  });

  it('ships data/cases/bundled.jsonl exactly as the importers make it from the bundled sources', () => {
    expect(fs.readFileSync(BUNDLED_CASES_FILE, 'utf8')).toBe(serializeCases(bundledCases()));
  });
});

describe('the LLM judge', () => {
  const input = {
    final: 'UTI',
    finalDistance: 6,
    finalNode: null,
    goldNode: 'X',
    gold: { short: 'urinary tract infection', long: 'urinary tract infection' },
  };

  it('asks once, repairs an invalid reply once, and refuses a reply invalid twice', async () => {
    const asked: string[][] = [];
    const judgeWith = (replies: string[]) =>
      new LlmJudge(async (messages, attempt) => {
        asked.push([attempt, messages[messages.length - 1]?.content ?? '']);
        return replies.shift() ?? '';
      }, 'judge-model');
    expect(await judgeWith(['{"correct": true, "reason": "UTI is the abbreviation"}']).judge(input)).toEqual({
      correct: true,
      method: 'llm:judge-model',
    });
    expect(asked[0]?.[1]).toBe('Reference diagnosis: urinary tract infection\nPredicted diagnosis: UTI');
    expect(await judgeWith(['yes', '{"correct": false, "reason": "no"}']).judge(input)).toEqual({
      correct: false,
      method: 'llm:judge-model',
    });
    expect(asked[2]?.[0]).toBe('repair');
    await expect(judgeWith(['yes', '{"correct": "maybe"}']).judge(input)).rejects.toThrow(
      /the LLM judge's reply is invalid after a repair request: correct: expected true or false reason: expected a short reason/,
    );
  });
});

describe('the HTML report of a build', () => {
  it('has the charts, the failures and a kept trajectory as a conversation, everything escaped', async () => {
    const outcome = await scoreCaseTree(kg, linker, judge, miTree(), settings);
    const build = {
      buildId: 'b<1>',
      configHash: 'h',
      policy: 'openai',
      model: 'm',
      branching: 2,
      maxTurns: 3,
      judge: 'kg',
    } as BuildSettings;
    const report = buildReport(build, [outcome], [{ case_id: 'tiny-x', error: 'case <file> changed' }]);
    const sample = outcome.trajectories.find((t) => t.kind === 'complete') ?? null;
    const { charts, html } = buildReportPage(report, sample);
    expect(Object.keys(charts.specs)).toEqual([
      'funnel',
      'dtc',
      'rac',
      'grounded',
      'per-case',
      'tree-size',
      'tree-depth',
      'test-cost',
    ]);
    expect(html).toContain('MedAction build b&lt;1&gt;');
    expect(html).toContain('case &lt;file&gt; changed');
    expect(html).toContain('1 failed branches');
    expect(html).toContain(`A kept trajectory: ${sample?.id}`);
    expect((html.match(/class="msg assistant"/g) ?? []).length).toBe(sample?.turns.length);
    const filled = charts.fill(html, { funnel: '<svg class="marks">F</svg>' });
    expect(filled).toContain('<figure class="chart" id="chart-funnel"><svg class="marks">F</svg></figure>');
    expect(filled).toContain('chart dtc missing');
    expect(charts.fill(html, { error: 'no vega' })).toContain('chart not rendered: no vega');
  });

  it('renders its Vega-Lite charts to SVG in a child process', async () => {
    const h = histogram([0.1, 0.5, 0.5, 1], [0, 0.5, 1]);
    const svgs = await renderCharts({
      one: histogramChart('Scores', h, 'DTC'),
      two: barsChart('Funnel', [{ label: 'kept', value: 3 }], 'paths'),
    });
    expect(Object.keys(svgs)).toEqual(['one', 'two']);
    expect((svgs as Record<string, string>).one).toMatch(/^<svg[^>]*class="marks"/);
    // Three bars (one per bin), the bin labels on the axis.
    expect(
      ((svgs as Record<string, string>).one?.match(/role-mark.*?bar|<path [^>]*aria-roledescription="bar"/g) ?? []).length,
    ).toBeGreaterThan(0);
    expect((svgs as Record<string, string>).one).toContain('0–0.5');
  });
});

describe('a path with no scored turn', () => {
  it('has null metrics, not perfect ones (a branch that failed at its first turn)', () => {
    expect(summariseTurns([])).toEqual({
      dtc: null,
      rac: null,
      rac0: null,
      groundedOrdering: null,
      answered: 0,
      answeredOrders: 0,
    });
  });
});
