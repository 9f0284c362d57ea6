import { llmCost } from '../../core/run/run-settings';
import { CompositionalJudge } from '../../core/judge/compositional-judge';
import { linkGold, scorePath } from '../../core/dataset/score-case';
import { episodeRecord, type EpisodeRecord } from '../../core/eval/episode';
import { breakdowns, evalReport, evalSummary, wilsonInterval } from '../../core/eval/summary';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../config/project-root';
import { CATEGORY_COSTS, COMMON_TEST_COSTS, orderCost, TEST_COSTS_VERSION } from '../../core/eval/test-costs';
import { MemoryKg } from '../../core/kg/memory-kg';
import { clinicalStatements } from '../../core/linking/statements';
import { EntityLinker } from '../../core/linking/linker';
import { TestMenuOracle } from '../../core/oracle/oracle';
import type { DoctorTurn } from '../../core/policy/turn';
import type { OrderResult, TreeNode } from '../../core/tree/node';
import { TINY_CASES } from '../support/tiny-cases';
import { tinyKg } from '../support/tiny-kg';

const kg = new MemoryKg(tinyKg());
const linker = new EntityLinker(kg);
const ddx = (...entries: [string, number][]) => entries.map(([diagnosis, likelihood]) => ({ diagnosis, likelihood }));
const pneumonia = TINY_CASES.find((c) => c.id === 'tiny-pneumonia')!;

describe('the test-cost table', () => {
  const result = (test: string, items: OrderResult['items'] = []): OrderResult => ({
    test,
    status: items.length ? 'result' : 'unavailable',
    items,
  });
  it('prices an order by the common test its wording names, the more specific first', () => {
    expect(orderCost(result('CT angiography of the chest'))).toEqual({ usd: 330, basis: 'CT angiography' });
    expect(orderCost(result('CT abdomen and pelvis with contrast'))).toEqual({ usd: 310, basis: 'CT of the abdomen and pelvis' });
    expect(orderCost(result('Chest X-ray'))).toEqual({ usd: 35, basis: 'X-ray' });
    expect(orderCost(result('CBC with differential'))).toEqual({ usd: 8, basis: 'Complete blood count' });
    expect(orderCost(result('blood cultures x2'))).toEqual({ usd: 10, basis: 'Blood culture' });
    expect(orderCost(result('MRI of the brain'))).toEqual({ usd: 380, basis: 'MRI' });
    expect(orderCost(result('antinuclear antibodies'))).toEqual({ usd: 15, basis: 'Autoantibodies' });
    expect(orderCost(result('nuclear medicine bone scan'))).toEqual({ usd: 280, basis: 'Nuclear medicine scan' });
  });
  it('charges nothing for a physical examination, which is part of the visit', () => {
    expect(orderCost(result('abdominal examination')).usd).toBe(0);
    expect(orderCost(result('lung auscultation')).usd).toBe(0);
  });
  it('falls back to what the order revealed: a named test, else the dearest category; else "other"', () => {
    const item = (name: string, category: OrderResult['items'][number]['category']) => ({
      id: 'm1',
      name,
      category,
      result: 'r',
    });
    expect(orderCost(result('the usual', [item('Serum troponin I', 'lab')]))).toEqual({ usd: 10, basis: 'Troponin' });
    expect(orderCost(result('workup', [item('Factor V Leiden', 'lab'), item('Tissue exam', 'pathology')]))).toEqual({
      usd: 150,
      basis: 'category:pathology',
    });
    expect(orderCost(result('quantum assay'))).toEqual({ usd: 100, basis: 'category:other' });
  });
});

describe('the accuracy interval', () => {
  it('is the Wilson score interval at 95%', () => {
    // p = 0.8, n = 10: centre 0.7167, half-width 0.2266 (z = 1.96).
    expect(wilsonInterval(8, 10)).toEqual([0.4902, 0.9433]);
    // At 0 and n it stays inside [0, 1] and is not degenerate, unlike the normal approximation.
    expect(wilsonInterval(0, 5)).toEqual([0, 0.4345]);
    expect(wilsonInterval(5, 5)).toEqual([0.5655, 1]);
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });
});

/** An episode of tiny-pneumonia: order two tests (one on the menu), then a final diagnosis. */
async function pneumoniaEpisode(finalDiagnosis: string): Promise<EpisodeRecord> {
  const oracle = new TestMenuOracle(pneumonia);
  const ask = (test: string): OrderResult => ({ test, ...oracle.ask(test) });
  const first: DoctorTurn = {
    reasoning: 'r',
    differential: ddx(['pneumonia', 0.6], ['bronchitis', 0.4]),
    action: { type: 'order_tests', tests: ['chest X-ray', 'sputum culture'], rationale: 'why' },
  };
  const last: DoctorTurn = {
    reasoning: 'r',
    differential: ddx([finalDiagnosis, 0.8], ['bronchitis', 0.2]),
    action: { type: 'final_diagnosis', diagnosis: finalDiagnosis },
  };
  const chain: TreeNode[] = [
    {
      path: '0',
      turn: first,
      results: first.action.type === 'order_tests' ? first.action.tests.map(ask) : [],
      merged: [],
      usage: { prompt: 100, completion: 20 },
      requests: 1,
    },
    { path: '0.0', turn: last, results: [], merged: [], usage: { prompt: 150, completion: 30 }, requests: 1 },
  ];
  const context = {
    testCase: pneumonia,
    goldNode: await linkGold(linker, pneumonia),
    o1Evidence: clinicalStatements(pneumonia.o1.text),
  };
  const score = await scorePath(kg, linker, new CompositionalJudge(kg, linker), context, chain, 'final');
  return episodeRecord({
    evalId: 'e',
    testCase: pneumonia,
    chain,
    leaf: { path: '0.0', status: 'final' },
    score,
    tokens: { prompt: 250, completion: 50, total: 300 },
    requests: 2,
    maxTurns: 3,
    resumable: false,
  });
}

describe('an episode record', () => {
  it('counts orders, answers, menu items revealed and cost, and scores the path against the KG', async () => {
    const r = await pneumoniaEpisode('bacterial pneumonia');
    expect(r).toMatchObject({
      case_id: 'tiny-pneumonia',
      final_diagnosis: 'bacterial pneumonia',
      correct: true,
      judge: 'same-wording',
      judge_evidence: { matches: [{ method: 'same-wording', answer: 'bacterial pneumonia' }] },
      status: 'final',
      error: null,
      turns_used: 2,
      orders: 2,
      answered: 1,
      unavailable: 1,
      test_precision: 0.5,
      test_recall: 0.5,
      menu_items: 2,
      revealed_items: 1,
      test_cost: 44,
      dtc: 1,
      body_system: [],
      rare_disease: null,
    });
    expect(r.turns[0]?.orders.map((o) => [o.test, o.answered, o.cost, o.items])).toEqual([
      ['chest X-ray', true, 35, ['m1']],
      ['sputum culture', false, 9, []],
    ]);
    expect(r.turns.map((t) => t.hypothesis_distance)).toEqual([1.8, 0.6]);
    expect(r.messages.filter((m) => m.role === 'assistant')).toHaveLength(2);
  });
  it('is wrong when the diagnosis is another disease', async () => {
    const r = await pneumoniaEpisode('myocardial infarction');
    expect([r.correct, r.final_diagnosis, r.dtc]).toEqual([false, 'myocardial infarction', 0]);
  });
});

describe('the evaluation summary', () => {
  const record = (over: Partial<EpisodeRecord>): EpisodeRecord =>
    ({
      correct: false,
      status: 'final',
      judge: 'kg',
      source: 'medrbench',
      test_precision: 1,
      test_recall: 0.5,
      turns_used: 2,
      test_cost: 10,
      dtc: 1,
      rac: 1,
      grounded_ordering: 1,
      orders: 1,
      unavailable: 0,
      tokens: { prompt: 0, completion: 0, total: 0 },
      requests: 0,
      body_system: [],
      disorder_category: [],
      rare_disease: null,
      ...over,
    }) as EpisodeRecord;
  const records = [
    record({ correct: true, body_system: ['Lungs', 'Heart'], rare_disease: true, test_cost: 40, turns_used: 3 }),
    record({ correct: false, body_system: ['Lungs'], rare_disease: false, test_precision: null, orders: 0, dtc: 0, rac: 0.5 }),
    record({ correct: true, source: 'agentclinic', test_precision: 0.5, orders: 2, unavailable: 1 }),
  ];

  it('gives accuracy with its interval and the means; precision over the cases that ordered anything', () => {
    expect(evalSummary(records)).toEqual({
      cases: 3,
      accuracy: 0.6667,
      accuracy_ci95: wilsonInterval(2, 3),
      test_precision: 0.75,
      test_recall: 0.5,
      mean_turns: 2.3333,
      mean_cost: 20,
      dtc: 0.6667,
      rac: 0.8333,
    });
  });
  it('counts a case that could not run as a wrong answer, and leaves it out of the means', () => {
    const s = evalSummary(records, 1);
    expect([s.cases, s.accuracy, s.mean_cost]).toEqual([4, 0.5, 20]);
  });
  it('breaks accuracy down by metadata; a case with two body systems counts in both', () => {
    const by = Object.fromEntries(breakdowns(records).map((b) => [b.by, b.groups.map((g) => [g.value, g.cases, g.correct])]));
    expect(by).toEqual({
      source: [
        ['medrbench', 2, 1],
        ['agentclinic', 1, 1],
      ],
      body_system: [
        ['Lungs', 2, 1],
        ['(not given)', 1, 1],
        ['Heart', 1, 1],
      ],
      disorder_category: [['(not given)', 3, 2]],
      rare_disease: [
        ['(not given)', 1, 1],
        ['not rare', 1, 0],
        ['rare', 1, 1],
      ],
    });
  });
  it('eval.json says which judge decided and how many orders went unanswered', () => {
    const info = {
      evalId: 'e',
      policy: 'kg-baseline',
      model: null,
      judge: 'kg',
      maxTurns: 5,
      casesFile: 'f',
      casesHash: 'h',
      testCostsVersion: 'v',
    };
    const report = evalReport(info, [...records, record({ judge: 'wording', correct: true })], [{ case_id: 'x', error: 'boom' }]);
    expect(report).toMatchObject({
      cases: 5,
      correct: 3,
      judge: 'kg',
      judged_by: { kg: 3, wording: 1 },
      unavailable_share: 0.25,
    });
  });
});

describe('docs/test-costs.md', () => {
  it('lists every entry of the cost table with its code and price', () => {
    // Table cells are padded to a column width: compare with single spaces.
    const doc = fs.readFileSync(path.join(PROJECT_ROOT, 'docs', 'test-costs.md'), 'utf8').replace(/ +/g, ' ');
    for (const c of COMMON_TEST_COSTS) expect(doc).toContain(`| ${c.name} | ${c.cpt} | ${c.usd} |`);
    for (const [category, usd] of Object.entries(CATEGORY_COSTS)) expect(doc).toContain(`| ${category} | ${usd} |`);
    expect(doc).toContain(TEST_COSTS_VERSION);
  });
});

describe('the LLM cost', () => {
  it('prices prompt and completion tokens per million, to the cent, and is null without prices', () => {
    expect(llmCost({ prompt: 1_500_000, completion: 200_000 }, { promptPerMillion: 0.15, completionPerMillion: 0.6 })).toBe(0.35);
    expect(llmCost({ prompt: 1_500_000, completion: 200_000 }, null)).toBeNull();
  });
});
