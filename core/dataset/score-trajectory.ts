import type { Case } from '../cases/model';
import type { KgAccess } from '../kg/access';
import type { EntityLinker } from '../linking/linker';
import { TestMenuOracle, type OracleOptions } from '../oracle/oracle';
import { childPath } from '../tree/branch-path';
import type { TreeNode } from '../tree/node';
import { judgePath, type FilterSettings, type RejectionReason } from '../tree/selection';
import type { DiagnosisJudge, JudgeEvidence } from './judge';
import type { OutsideTrajectory } from './outside-trajectory';
import type { PathScores, TurnRecord } from './records';
import { pathScores, scorePath, turnRecords, verdictOnFinal, type PathContext } from './score-case';

/** What `medaction score` writes per trajectory: the record's fields as in trajectories.jsonl, and the verdict. */
export interface ScoredTrajectory extends PathScores {
  case_id: string;
  /** kept (whole), prefix (its leading turns would be kept) or the rejection reason. */
  verdict: 'kept' | 'prefix' | RejectionReason;
  /** Why the whole path was rejected (null: kept), also when a prefix of it is kept. */
  reason: RejectionReason | null;
  /** Leading turns kept as a prefix (null: none). */
  prefix_turns: number | null;
  final_diagnosis: string | null;
  correct: boolean | null;
  judge: string | null;
  judge_evidence: JudgeEvidence | null;
  turns: TurnRecord[];
}

/**
 * Scores a trajectory made outside this project in this project's environment: each order is answered
 * by the case's oracle unless the trajectory gives its results, then the path is linked, measured,
 * judged and filtered exactly as a build's path is (scorePath, judgePath).
 */
export async function scoreOutsideTrajectory(
  kg: KgAccess,
  linker: EntityLinker,
  judge: DiagnosisJudge,
  context: PathContext,
  trajectory: OutsideTrajectory,
  filter: FilterSettings,
  oracleOptions: OracleOptions = {},
): Promise<ScoredTrajectory> {
  const testCase: Case = context.testCase;
  const oracle = new TestMenuOracle(testCase, oracleOptions);
  let path = '';
  const chain: TreeNode[] = trajectory.turns.map((t, i) => {
    path = childPath(path, 0);
    const tests = t.turn.action.type === 'order_tests' ? t.turn.action.tests : [];
    if (t.turn.action.type === 'final_diagnosis' && i < trajectory.turns.length - 1)
      throw new Error(`turn ${i + 1} is a final diagnosis but turns follow it`);
    return {
      path,
      turn: t.turn,
      results: tests.map((test, j) => {
        const given = t.results?.[j];
        if (given)
          return {
            test,
            status: given.status,
            items: given.items.map((item, k) => ({ id: `given-${i}-${j}-${k}`, category: 'other' as const, ...item })),
          };
        const answer = oracle.ask(test);
        return { test, status: answer.status, items: answer.items };
      }),
      merged: [],
      usage: { prompt: 0, completion: 0 },
      requests: 0,
    };
  });
  const status = chain[chain.length - 1]?.turn.action.type === 'final_diagnosis' ? 'final' : 'budget';
  const { metrics, finalDiagnosis, judgement } = await scorePath(kg, linker, judge, context, chain, status);
  const verdict = judgePath(status, metrics, judgement.correct, filter);
  return {
    case_id: testCase.id,
    verdict: verdict.complete ? 'kept' : verdict.prefixTurns !== undefined ? 'prefix' : (verdict.reason as RejectionReason),
    reason: verdict.reason ?? null,
    prefix_turns: verdict.prefixTurns ?? null,
    final_diagnosis: finalDiagnosis,
    ...verdictOnFinal(finalDiagnosis, judgement),
    ...pathScores(metrics),
    turns: turnRecords(metrics, chain),
  };
}
