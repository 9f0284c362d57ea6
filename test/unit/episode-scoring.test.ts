import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEpisodeScoringActivities, createEvalActivities } from '../../activities/eval-activities';
import { exportEvaluation } from '../../stores/eval-export';
import { CompositionalJudge } from '../../core/judge/compositional-judge';
import type { EvalSettings } from '../../core/eval/eval-settings';
import type { EpisodeRecord } from '../../core/eval/episode';
import { MemoryKg } from '../../core/kg/memory-kg';
import { EntityLinker } from '../../core/linking/linker';
import { TestMenuOracle } from '../../core/oracle/oracle';
import type { DoctorTurn } from '../../core/policy/turn';
import type { TreeNode } from '../../core/tree/node';
import { BuildStore, BuildStores } from '../../stores/build-store';
import { CaseCache, sha256 } from '../../stores/case-cache';
import { TINY_CASES, writeTinyCases } from '../support/tiny-cases';
import { tinyKg } from '../support/tiny-kg';

/**
 * The evaluation's activities on a store written by hand, without Temporal: how an episode that ended
 * on a broken reply or on exhausted retries is recorded, and what a rerun runs again.
 */
const kg = new MemoryKg(tinyKg());
const linker = new EntityLinker(kg);
const cases = new CaseCache();
let settings: EvalSettings;

beforeEach(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medaction-episode-'));
  const casesFile = writeTinyCases(dir);
  settings = {
    evalId: 'eval-x',
    mode: 'eval',
    storeDir: dir,
    casesFile,
    casesHash: sha256(fs.readFileSync(casesFile)),
    maxTurns: 3,
    judge: 'kg',
    policy: 'openai',
    model: 'm',
  } as EvalSettings;
});

const scoring = () =>
  createEpisodeScoringActivities({
    cases,
    stores: new BuildStores(),
    kg,
    linker,
    judgeFor: () => new CompositionalJudge(kg, linker),
  });
const mi = TINY_CASES.find((c) => c.id === 'tiny-mi')!;
const firstTurn: DoctorTurn = {
  reasoning: 'r',
  differential: [
    { diagnosis: 'myocardial infarction', likelihood: 0.5 },
    { diagnosis: 'pneumonia', likelihood: 0.5 },
  ],
  action: { type: 'order_tests', tests: ['troponin'], rationale: 'why' },
};

/** tiny-mi after one turn: the troponin ordered and answered. */
function storeFirstTurn(): void {
  const node: TreeNode = {
    path: '0',
    turn: firstTurn,
    results: [{ test: 'troponin', ...new TestMenuOracle(mi).ask('troponin') }],
    merged: [],
    usage: { prompt: 100, completion: 20 },
    requests: 1,
  };
  new BuildStore(settings.storeDir).writeExpansion('tiny-mi', '', { children: [{ path: '0', final: false }], failures: [] }, [
    node,
  ]);
}

describe("an evaluation's episode scoring", () => {
  it('records a reply still broken after its repair as a failed episode, wrong, with the error, not run again', async () => {
    storeFirstTurn();
    const error = 'invalid reply after a repair request: differential: expected a non-empty differential';
    const counts = await scoring().scoreEpisode({
      settings,
      caseId: 'tiny-mi',
      leaves: [],
      failures: [{ path: '0.0', error, usage: { prompt: 200, completion: 40 }, requests: 2 }],
    });
    expect(counts).toEqual({ correct: false, failed: true, turns: 1, requests: 3, tokens: 360 });
    const record = new BuildStore(settings.storeDir).readEpisode('tiny-mi') as EpisodeRecord;
    expect(record).toMatchObject({
      status: 'failed',
      correct: false,
      final_diagnosis: null,
      error,
      resumable: false,
      turns_used: 1,
      orders: 1,
      answered: 1,
      test_cost: 10,
    });
    // A refused reply is final: a rerun does not ask again.
    expect(
      await createEvalActivities({ cases, stores: new BuildStores() }).finishedEpisode({ settings, caseId: 'tiny-mi' }),
    ).toEqual(counts);
  });

  it('lets a rerun retry an episode whose next turn could not be produced (retries exhausted)', async () => {
    storeFirstTurn();
    await scoring().scoreEpisode({
      settings,
      caseId: 'tiny-mi',
      leaves: [{ path: '0', status: 'failed', error: 'connection refused [LlmUnavailable]' }],
      failures: [],
    });
    const record = new BuildStore(settings.storeDir).readEpisode('tiny-mi') as EpisodeRecord;
    expect(record).toMatchObject({ status: 'failed', error: 'connection refused [LlmUnavailable]', resumable: true });
    expect(
      await createEvalActivities({ cases, stores: new BuildStores() }).finishedEpisode({ settings, caseId: 'tiny-mi' }),
    ).toBeNull();
  });

  it('exports the episodes in case-file order and names the cases without one', async () => {
    storeFirstTurn();
    await scoring().scoreEpisode({
      settings,
      caseId: 'tiny-mi',
      leaves: [{ path: '0', status: 'failed', error: 'boom' }],
      failures: [],
    });
    const ids = TINY_CASES.map((c) => c.id);
    const report = await exportEvaluation(settings, ids, [{ case_id: 'tiny-uti', error: 'case workflow failed' }]);
    expect(report.cases_failed).toEqual([
      { case_id: 'tiny-uti', error: 'case workflow failed' },
      { case_id: 'tiny-pneumonia', error: 'no episode in the store (the case did not finish)' },
    ]);
    expect([report.cases, report.accuracy, report.episodes_failed]).toEqual([3, 0, 1]);
    const lines = fs.readFileSync(path.join(settings.storeDir, 'eval.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as EpisodeRecord).case_id)).toEqual(['tiny-mi']);
    expect(fs.readFileSync(path.join(settings.storeDir, 'report.html'), 'utf8')).toContain('Cases that could not run');
  });
});
