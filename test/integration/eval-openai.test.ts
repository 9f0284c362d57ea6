import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { createNeo4jDriver } from '../../clients/neo4j';
import type { EpisodeRecord } from '../../core/eval/episode';
import type { EvalReport } from '../../core/eval/summary';
import { loadKg } from '../../stores/neo4j-kg/loader';
import { runCli } from '../support/cli';
import { ddx, final, order, SCRIPT, scriptedDoctor, type Script } from '../support/scripted-doctor';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../support/scripted-llm-server';
import { testConfig } from '../support/test-env';
import { writeTinyCases } from '../support/tiny-cases';
import { tinyKg } from '../support/tiny-kg';

jest.setTimeout(600_000);

/**
 * The episodes the scripted doctor plays with k = 1 (candidate 0 at each node):
 * - tiny-pneumonia orders a chest X-ray (on the menu) and a sputum culture (not: UNAVAILABLE), then
 *   commits to bacterial pneumonia — correct;
 * - tiny-uti orders a urinalysis (the first reply is a 429), then commits to UTI (the first reply a 500);
 * - tiny-mi orders troponin, then commits to pneumonia — wrong.
 */
const EVAL_SCRIPT: Script = {
  'tiny-pneumonia': {
    '|0': { reply: order(['chest X-ray', 'sputum culture'], ddx(['pneumonia', 0.6], ['bronchitis', 0.4])) },
    '0|0': { reply: final('bacterial pneumonia', ddx(['bacterial pneumonia', 0.8], ['bronchitis', 0.2])) },
  },
  'tiny-uti': { '|0': SCRIPT['tiny-uti']!['|0']!, '0|0': SCRIPT['tiny-uti']!['0|0']! },
  'tiny-mi': {
    '|0': { reply: order(['troponin'], ddx(['myocardial infarction', 0.5], ['pneumonia', 0.5])) },
    '0|0': { reply: final('pneumonia', ddx(['pneumonia', 0.6], ['myocardial infarction', 0.4])) },
  },
};

const config = testConfig();
let driver: Driver;
let server: ScriptedLlmServer;
let work: string;
let casesFile: string;

beforeAll(async () => {
  driver = createNeo4jDriver(config);
  await loadKg(driver, config.neo4j.database, tinyKg(), { replace: true });
  server = await startScriptedLlmServer(scriptedDoctor(0, 4000, 0, EVAL_SCRIPT).script);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'medaction-eval-openai-'));
  casesFile = writeTinyCases(work);
});

afterAll(async () => {
  await server?.close();
  await driver?.close();
});

const env = () => ({
  MEDACTION_LLM_BASE_URL: server.url,
  MEDACTION_LLM_API_KEY: 'sk-test-eval',
  MEDACTION_LLM_MODEL: 'scripted-doctor',
  MEDACTION_LLM_TIMEOUT_MS: '1500',
  MEDACTION_MAX_TURNS: '3',
  // USD per million tokens: the reports give the LLM cost.
  MEDACTION_LLM_PRICE_PROMPT: '2',
  MEDACTION_LLM_PRICE_COMPLETION: '8',
});

describe('medaction eval with the openai policy against a scripted OpenAI-compatible server', () => {
  it('runs one greedy episode per case and reports exactly the scripted per-case metrics', async () => {
    const out = path.join(work, 'eval');
    const result = await runCli(['eval', '--cases', casesFile, '--out', out, '--policy', 'openai', '--json'], env(), 300_000);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split('\n').pop() as string);
    // Hand-derived from the script, the tiny cases' menus, the tiny KG and the cost table.
    expect(summary).toEqual({
      cases: 3,
      accuracy: 0.6667,
      accuracy_ci95: [0.2077, 0.9385],
      test_precision: 0.8333,
      test_recall: 0.5,
      mean_turns: 2,
      mean_cost: 19,
      dtc: 0.6667,
      // The mean over the episodes where RAC judged something (tiny-mi only).
      rac: 0,
    });

    const records = fs
      .readFileSync(path.join(out, 'eval.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as EpisodeRecord);
    const metrics = (r: EpisodeRecord) => ({
      case: r.case_id,
      final: r.final_diagnosis,
      correct: r.correct,
      judge: r.judge,
      turns: r.turns_used,
      orders: r.orders,
      answered: r.answered,
      unavailable: r.unavailable,
      precision: r.test_precision,
      recall: r.test_recall,
      cost: r.test_cost,
      dtc: r.dtc,
      rac: r.rac,
      grounded: r.grounded_ordering,
    });
    expect(records.map(metrics)).toEqual([
      // h: 0.6·δ(pneumonia, bacterial pneumonia)=1 + 0.4·δ(bronchitis, …)=3 → 1.8, then 0.2·3 = 0.6: it falls,
      // converging. Turn 1: bacterial pneumonia refines pneumonia (δ 1), bronchitis falls, after a result
      // ("consolidation") the tiny KG relates to no hypothesis: RAC abstains (turn 0, apart, is not in RAC).
      // Cost: chest X-ray $35 + a culture $9.
      {
        case: 'tiny-pneumonia',
        final: 'bacterial pneumonia',
        correct: true,
        judge: 'same-wording',
        turns: 2,
        orders: 2,
        answered: 1,
        unavailable: 1,
        precision: 0.5,
        recall: 0.5,
        cost: 44,
        dtc: 1,
        rac: null,
        grounded: 0,
      },
      // Urinalysis $3; h 0.3·δ(pneumonia, UTI)=4 = 1.2, then 0.4: converging. The rise of UTI at turn 1
      // follows a result the tiny KG cannot read (leukocyte esterase): RAC abstains.
      {
        case: 'tiny-uti',
        final: 'urinary tract infection',
        correct: true,
        judge: 'same-wording',
        turns: 2,
        orders: 1,
        answered: 1,
        unavailable: 0,
        precision: 1,
        recall: 0.5,
        cost: 3,
        dtc: 1,
        rac: null,
        grounded: 0,
      },
      // h: 0.5·0 + 0.5·cap 6 = 3, then 0.6·6 = 3.6: diverging. Turn 1: the raised troponin supports MI, yet
      // pneumonia rises (0.5 → 0.6) and MI falls: neither is supported, RAC 0. Troponin $10.
      {
        case: 'tiny-mi',
        final: 'pneumonia',
        correct: false,
        judge: 'different',
        turns: 2,
        orders: 1,
        answered: 1,
        unavailable: 0,
        precision: 1,
        recall: 0.5,
        cost: 10,
        dtc: 0,
        rac: 0,
        grounded: 0,
      },
    ]);
    const pneumonia = records[0] as EpisodeRecord;
    expect(pneumonia.turns[0]?.orders).toEqual([
      { test: 'chest X-ray', answered: true, grounded: false, cost: 35, items: ['m1'] },
      { test: 'sputum culture', answered: false, grounded: false, cost: 9, items: [] },
    ]);
    expect(pneumonia.turns.map((t) => t.hypothesis_distance)).toEqual([1.8, 0.6]);
    expect(pneumonia.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant']);
    // Greedy: one request per turn (k = 1), plus the retried 429 and 500 at the server, not counted as calls.
    expect(records.map((r) => r.requests)).toEqual([2, 2, 2]);

    const report = JSON.parse(fs.readFileSync(path.join(out, 'eval.json'), 'utf8')) as EvalReport;
    expect(report).toMatchObject({
      ...summary,
      judge: 'kg',
      policy: 'openai',
      model: 'scripted-doctor',
      correct: 2,
      episodes_failed: 0,
    });
    const tokens = records.reduce((sum, r) => ({ p: sum.p + r.tokens.prompt, c: sum.c + r.tokens.completion }), { p: 0, c: 0 });
    expect(tokens.p).toBeGreaterThan(0);
    expect(report.llm_cost_usd).toBe(Math.round(((tokens.p * 2 + tokens.c * 8) / 1e6) * 100) / 100);
    expect(report.breakdowns.find((b) => b.by === 'source')?.groups).toEqual([
      { value: 'test', cases: 3, correct: 2, accuracy: 0.6667, accuracy_ci95: [0.2077, 0.9385], mean_turns: 2, mean_cost: 19 },
    ]);
    const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toContain('MedAction evaluation');
    expect(html).toContain('id="trajectory"');

    // Run again: every episode is in the store, so nothing is asked of the endpoint and the bytes are the same.
    const before = server.requests.length;
    const again = await runCli(['eval', '--cases', casesFile, '--out', out, '--policy', 'openai', '--json'], env(), 300_000);
    expect(again.code).toBe(0);
    expect(server.requests.length).toBe(before);
    expect(fs.readFileSync(path.join(out, 'eval.jsonl'), 'utf8')).toBe(records.map((r) => JSON.stringify(r)).join('\n') + '\n');

    // `medaction status` answers for an evaluation too: its episodes and accuracy.
    const status = await runCli(['status', summary.eval_id ?? evalIdOf(out), '--json'], env());
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      kind: 'evaluation',
      status: 'COMPLETED',
      cases: summary.cases,
      cases_done: summary.cases,
      correct: Math.round(summary.accuracy * summary.cases),
      accuracy: summary.accuracy,
      out,
    });
  });

  it('judges with the LLM judge when asked, and says so in every record and in the summary', async () => {
    const out = path.join(work, 'eval-llm-judge');
    const result = await runCli(
      ['eval', '--cases', casesFile, '--out', out, '--policy', 'openai', '--judge', 'llm', '--json'],
      env(),
      300_000,
    );
    expect(result.code).toBe(0);
    const records = fs
      .readFileSync(path.join(out, 'eval.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as EpisodeRecord);
    // The scripted judge calls a prediction correct when it names the reference: the same verdicts as the KG's.
    expect(records.map((r) => [r.case_id, r.correct, r.judge])).toEqual([
      ['tiny-pneumonia', true, 'llm:scripted-doctor'],
      ['tiny-uti', true, 'llm:scripted-doctor'],
      ['tiny-mi', false, 'llm:scripted-doctor'],
    ]);
    const report = JSON.parse(fs.readFileSync(path.join(out, 'eval.json'), 'utf8')) as EvalReport;
    expect([report.judge, report.judged_by]).toEqual(['llm:scripted-doctor', { 'llm:scripted-doctor': 3 }]);
    expect(fs.readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('judge llm:scripted-doctor');
  });
});

/** The evaluation id an output folder's eval.json records. */
function evalIdOf(out: string): string {
  return (JSON.parse(fs.readFileSync(path.join(out, 'eval.json'), 'utf8')) as { eval_id: string }).eval_id;
}
