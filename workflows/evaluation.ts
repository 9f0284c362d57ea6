import { continueAsNew, setHandler } from '@temporalio/workflow';
import type { CaseCounts } from '../activities/scoring-activities';
import type { EvalReport } from '../core/eval/summary';
import { buildSteps, episodeScoring, evalSteps } from './activity-proxies';
import { branchWorkflow } from './branch';
import { newProgress, progressQuery, publishProgress, runCaseWindow, type BuildInput } from './build';
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
  const { settings } = input;
  const caseIds = await buildSteps(settings).planBuild(settings);
  const progress = input.progress ?? newProgress(caseIds.length);
  progress.running = 0;
  progress.runs++;
  setHandler(progressQuery, () => progress);
  await runCaseWindow(settings, caseIds, progress, episodeWorkflow);
  if (progress.next < caseIds.length) {
    await continueAsNew<typeof evaluationWorkflow>({ settings, progress });
  }
  const report = await evalSteps(settings).exportEval(settings, caseIds, progress.failedCases);
  progress.exported = true;
  publishProgress(progress);
  return { ...report, workflow_runs: progress.runs };
}

/** One case of an evaluation: its episode (skipped when an earlier run scored it), then its record. */
export async function episodeWorkflow(input: CaseInput): Promise<CaseCounts> {
  const { settings, caseId } = input;
  const finished = await evalSteps(settings).finishedEpisode({ settings, caseId });
  if (finished) return finished;
  const episode = await exploreFromRoot(settings, caseId, branchWorkflow);
  return episodeScoring(settings).scoreEpisode({ settings, caseId, leaves: episode.leaves, failures: episode.failures });
}
