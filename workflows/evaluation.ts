import type { CaseCounts } from '../activities/scoring-activities';
import type { EvalReport } from '../core/eval/summary';
import { episodeScoring, evalSteps } from './activity-proxies';
import { branchWorkflow } from './branch';
import { runAllCases, type BuildInput } from './build';
import type { CaseInput } from './case';
import { exploreFromRoot } from './explore';

/** The workflow id of an evaluation. */
export function evaluationWorkflowId(evalId: string): string {
  return `eval/${evalId}`;
}

/**
 * One evaluation: the build's machinery with k = 1 — every case one greedy episode through the same
 * policy, oracle and KG code (case workflows through a sliding window, continue-as-new, resumable by the
 * same ids) — scored into per-case records, then eval.jsonl, eval.json and report.html.
 */
export async function evaluationWorkflow(input: BuildInput): Promise<EvalReport & { workflow_runs: number }> {
  return runAllCases(input, episodeWorkflow, (caseIds, failedCases) =>
    evalSteps(input.settings).exportEval(input.settings, caseIds, failedCases),
  );
}

/** One case of an evaluation: its episode (skipped when an earlier run scored it), then its record. */
export async function episodeWorkflow(input: CaseInput): Promise<CaseCounts> {
  const { settings, caseId } = input;
  const finished = await evalSteps(settings).finishedEpisode({ settings, caseId });
  if (finished) return finished;
  const episode = await exploreFromRoot(settings, caseId, branchWorkflow);
  return episodeScoring(settings).scoreEpisode({ settings, caseId, leaves: episode.leaves, failures: episode.failures });
}
