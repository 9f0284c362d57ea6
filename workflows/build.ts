import {
  continueAsNew,
  defineQuery,
  executeChild,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CaseCounts } from '../activities/scoring-activities';
import type { BuildSettings } from '../core/dataset/build-settings';
import type { BuildSummary, FailedCase } from '../core/dataset/report';
import { buildSteps } from './activity-proxies';
import { caseWorkflow, caseWorkflowId, type CaseInput } from './case';
import { failureMessage } from './explore';
import { BuildIdAttr, CaseIdAttr, CasesDoneAttr, CasesFailedAttr, TrajectoriesKeptAttr } from './search-attributes';

/** Progress of a build, carried across continue-as-new and answered by the `progress` query. */
export interface BuildProgress {
  total: number;
  /** Index of the next case to start. */
  next: number;
  casesDone: number;
  casesFailed: number;
  running: number;
  trajectoriesKept: number;
  prefixesKept: number;
  rejected: number;
  failedBranches: number;
  requests: number;
  tokens: number;
  failedCases: FailedCase[];
  /** Runs of the build workflow so far (continue-as-new starts another). */
  runs: number;
  /** Set when the dataset files have been written. */
  exported: boolean;
}

export interface BuildInput {
  settings: BuildSettings;
  /** Absent on the first run; continue-as-new passes it on. */
  progress?: BuildProgress;
}

export const progressQuery = defineQuery<BuildProgress>('progress');

/** The workflow id of a build. */
export function buildWorkflowId(buildId: string): string {
  return `build/${buildId}`;
}

/**
 * One dataset build: runs its cases as child workflows through a sliding window of `concurrency`,
 * shows progress by query and in search attributes (the Temporal UI's columns), continues as new before
 * its history grows large (draining its window first, so no child outlives the run that awaits it),
 * and finally exports the dataset.
 */
export async function buildDatasetWorkflow(input: BuildInput): Promise<BuildSummary & { workflow_runs: number }> {
  return runAllCases(input, caseWorkflow, (caseIds, failedCases) =>
    buildSteps(input.settings).exportBuild(input.settings, caseIds, failedCases),
  );
}

/**
 * One run of a build or an evaluation: plans its cases, runs them as `caseChild` workflows, continues as
 * new (the same workflow type) while cases are left, then writes the results with `finish` and returns
 * them with the number of runs.
 */
export async function runAllCases<R>(
  input: BuildInput,
  caseChild: (input: CaseInput) => Promise<CaseCounts>,
  finish: (caseIds: string[], failedCases: FailedCase[]) => Promise<R>,
): Promise<R & { workflow_runs: number }> {
  const { settings } = input;
  const caseIds = await buildSteps(settings).planBuild(settings);
  const progress = input.progress ?? newProgress(caseIds.length);
  progress.running = 0;
  progress.runs++;
  setHandler(progressQuery, () => progress);
  await runCaseWindow(settings, caseIds, progress, caseChild);
  if (progress.next < caseIds.length) {
    await continueAsNew<(input: BuildInput) => Promise<unknown>>({ settings, progress });
  }
  const result = await finish(caseIds, progress.failedCases);
  progress.exported = true;
  publishProgress(progress);
  return { ...result, workflow_runs: progress.runs };
}

/** The progress of a build or evaluation that has not started a case yet. */
function newProgress(total: number): BuildProgress {
  return {
    total,
    next: 0,
    casesDone: 0,
    casesFailed: 0,
    running: 0,
    trajectoriesKept: 0,
    prefixesKept: 0,
    rejected: 0,
    failedBranches: 0,
    requests: 0,
    tokens: 0,
    failedCases: [],
    runs: 0,
    exported: false,
  };
}

/** Progress in search attributes (the Temporal UI's columns) and the memo. */
function publishProgress(progress: BuildProgress): void {
  upsertSearchAttributes([
    { key: CasesDoneAttr, value: progress.casesDone },
    { key: CasesFailedAttr, value: progress.casesFailed },
    { key: TrajectoriesKeptAttr, value: progress.trajectoriesKept },
  ]);
  upsertMemo({ progress: `${progress.casesDone + progress.casesFailed}/${progress.total} cases` });
}

/**
 * Runs cases as child workflows (`caseChild`, one per case, id: build id + case id) through a sliding
 * window of `settings.concurrency`, counting their results into `progress`, until every case has run or
 * this run of the workflow has started `casesPerRun` of them (then the caller continues as new). The
 * window is drained first, so no child outlives the run that awaits it.
 */
async function runCaseWindow(
  settings: BuildSettings,
  caseIds: string[],
  progress: BuildProgress,
  caseChild: (input: CaseInput) => Promise<CaseCounts>,
): Promise<void> {
  const inFlight = new Map<string, Promise<void>>();
  let startedThisRun = 0;
  const timeToContinue = () => startedThisRun >= settings.casesPerRun || workflowInfo().continueAsNewSuggested;
  for (;;) {
    while (inFlight.size < settings.concurrency && progress.next < caseIds.length && !timeToContinue()) {
      const caseId = caseIds[progress.next++] as string;
      startedThisRun++;
      const run = executeChild(caseChild, {
        workflowId: caseWorkflowId(settings.buildId, caseId),
        taskQueue: settings.taskQueues.workflows,
        args: [{ settings, caseId }],
        typedSearchAttributes: [
          { key: BuildIdAttr, value: settings.buildId },
          { key: CaseIdAttr, value: caseId },
        ],
      })
        .then((counts: CaseCounts) => {
          progress.casesDone++;
          progress.trajectoriesKept += counts.complete + counts.prefixes;
          progress.prefixesKept += counts.prefixes;
          progress.rejected += counts.rejected;
          progress.failedBranches += counts.failedBranches;
          progress.requests += counts.requests;
          progress.tokens += counts.tokens;
        })
        .catch((error) => {
          progress.casesFailed++;
          progress.failedCases.push({ case_id: caseId, error: failureMessage(error) });
        })
        .finally(() => {
          inFlight.delete(caseId);
          progress.running = inFlight.size;
        });
      inFlight.set(caseId, run);
      progress.running = inFlight.size;
    }
    if (inFlight.size === 0) break;
    await Promise.race(inFlight.values());
    publishProgress(progress);
  }
}
