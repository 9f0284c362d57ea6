import type { CaseCounts } from '../activities/scoring-activities';
import type { BuildSettings } from '../core/dataset/build-settings';
import type { BuildSummary } from '../core/dataset/report';
import { buildSteps } from './activity-proxies';
import { caseWorkflow } from './case';
import { runAllCases, type RunInput, type RunKind, type RunProgress } from './run-cases';
import { TrajectoriesKeptAttr } from './search-attributes';

/** A build's progress: what every run counts, and what its dataset keeps. */
export interface BuildProgress extends RunProgress {
  trajectoriesKept: number;
  prefixesKept: number;
  rejected: number;
}

export type BuildInput = RunInput<BuildSettings, BuildProgress>;

/** The workflow id of a build. */
export function buildWorkflowId(buildId: string): string {
  return `build/${buildId}`;
}

/** A dataset build: its cases are trees (workflows/case.ts); it counts the trajectories they keep. */
const DATASET_BUILD: RunKind<BuildSettings, BuildProgress, CaseCounts, BuildSummary> = {
  plan: (settings) => buildSteps(settings).planBuild(settings),
  caseWorkflow,
  zero: () => ({ trajectoriesKept: 0, prefixesKept: 0, rejected: 0 }),
  count(progress, counts) {
    progress.trajectoriesKept += counts.complete + counts.prefixes;
    progress.prefixesKept += counts.prefixes;
    progress.rejected += counts.rejected;
    progress.failedBranches += counts.failedBranches;
    progress.requests += counts.requests;
    progress.tokens += counts.tokens;
  },
  attributes: (progress) => [{ key: TrajectoriesKeptAttr, value: progress.trajectoriesKept }],
  finish: (settings, caseIds, failedCases) => buildSteps(settings).exportBuild(settings, caseIds, failedCases),
};

/**
 * One dataset build: runs its cases as child workflows through a sliding window of `concurrency`,
 * shows progress by query and in search attributes (the Temporal UI's columns), continues as new before
 * its history grows large (draining its window first, so no child outlives the run that awaits it),
 * and finally exports the dataset.
 */
export async function buildDatasetWorkflow(input: BuildInput): Promise<BuildSummary & { workflow_runs: number }> {
  return runAllCases(input, DATASET_BUILD);
}
