import type { EpisodeCounts } from '../activities/eval-activities';
import type { EvalReport } from '../core/eval/summary';
import type { EvalSettings } from '../core/eval/eval-settings';
import { episodeScoring, evalSteps } from './activity-proxies';
import { branchWorkflow } from './branch';
import { exploreFromRoot } from './explore';
import { runAllCases, type CaseRunInput, type RunInput, type RunKind, type RunProgress } from './run-cases';

/** An evaluation's progress: what every run counts, and the episodes judged correct. */
export interface EvalProgress extends RunProgress {
  correct: number;
}

export type EvalInput = RunInput<EvalSettings, EvalProgress>;
export type EpisodeInput = CaseRunInput<EvalSettings>;

/** The workflow id of an evaluation. */
export function evaluationWorkflowId(evalId: string): string {
  return `eval/${evalId}`;
}

/** An evaluation: its cases are single episodes (episodeWorkflow); it counts the correct ones. */
const EVALUATION: RunKind<EvalSettings, EvalProgress, EpisodeCounts, EvalReport> = {
  plan: (settings) => evalSteps(settings).planEvaluation(settings),
  caseWorkflow: episodeWorkflow,
  zero: () => ({ correct: 0 }),
  count(progress, counts) {
    if (counts.correct) progress.correct++;
    if (counts.failed) progress.failedBranches++;
    progress.requests += counts.requests;
    progress.tokens += counts.tokens;
  },
  // The Temporal UI's TrajectoriesKept column is a build's: an evaluation shows cases done and failed.
  attributes: () => [],
  finish: (settings, caseIds, failedCases) => evalSteps(settings).exportEval(settings, caseIds, failedCases),
};

/**
 * One evaluation: the build's machinery with k = 1 — every case one greedy episode through the same
 * policy, oracle and KG code (case workflows through a sliding window, continue-as-new, resumable by the
 * same ids) — scored into per-case records, then eval.jsonl, eval.json and report.html.
 */
export async function evaluationWorkflow(input: EvalInput): Promise<EvalReport & { workflow_runs: number }> {
  return runAllCases(input, EVALUATION);
}

/** One case of an evaluation: its episode (skipped when an earlier run scored it), then its record. */
export async function episodeWorkflow(input: EpisodeInput): Promise<EpisodeCounts> {
  const { settings, caseId } = input;
  const finished = await evalSteps(settings).finishedEpisode({ settings, caseId });
  if (finished) return finished;
  const episode = await exploreFromRoot(settings, caseId, branchWorkflow);
  return episodeScoring(settings).scoreEpisode({ settings, caseId, leaves: episode.leaves, failures: episode.failures });
}
