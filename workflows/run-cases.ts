import {
  continueAsNew,
  defineQuery,
  executeChild,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { FailedCase } from '../core/dataset/report';
import { runIdOf, type AnyRunSettings } from '../core/run/run-kind';
import { failureMessage } from './explore';
import { BuildIdAttr, CaseIdAttr, CasesDoneAttr, CasesFailedAttr } from './search-attributes';

/**
 * The case runner that builds and evaluations share (workflows/build.ts, workflows/evaluation.ts): cases
 * as child workflows through a sliding window, progress by query and in search attributes, continue-as-new
 * before the history grows large, then the run's final step. What a kind of run counts is its own.
 */

/** What every run counts, carried across continue-as-new and answered by the `progress` query. */
export interface RunProgress {
  total: number;
  /** Index of the next case to start. */
  next: number;
  casesDone: number;
  casesFailed: number;
  running: number;
  failedBranches: number;
  requests: number;
  tokens: number;
  failedCases: FailedCase[];
  /** Runs of the workflow so far (continue-as-new starts another). */
  runs: number;
  /** Set when the run's files have been written. */
  exported: boolean;
}

/** A build's or an evaluation's workflow input. */
export interface RunInput<S extends AnyRunSettings, P extends RunProgress> {
  settings: S;
  /** Absent on the first run; continue-as-new passes it on. */
  progress?: P;
}

/** A case child workflow's input. */
export interface CaseRunInput<S extends AnyRunSettings> {
  settings: S;
  caseId: string;
}

/** The progress query of builds and evaluations (each answers with its own progress type). */
export const progressQuery = defineQuery<RunProgress>('progress');

/** The workflow id of a case in a build or an evaluation: a rerun or resume finds the same one. */
export function caseWorkflowId(runId: string, caseId: string): string {
  return `${runId}/case/${caseId}`;
}

/** What makes a kind of run: how it plans, runs and counts a case, and what it does at the end. */
export interface RunKind<S extends AnyRunSettings, P extends RunProgress, C, R> {
  /** The case ids to run, in order (an activity that also records the manifest). */
  plan(settings: S): Promise<string[]>;
  caseWorkflow(input: CaseRunInput<S>): Promise<C>;
  /** The kind's own counts, zero. */
  zero(): Omit<P, keyof RunProgress>;
  /** Counts a finished case into the progress. */
  count(progress: P, counts: C): void;
  /** Search attributes of the kind's own counts (the Temporal UI's columns). */
  attributes(progress: P): SearchAttributeUpdatePair[];
  /** Writes the run's results (an activity) once every case has run. */
  finish(settings: S, caseIds: string[], failedCases: FailedCase[]): Promise<R>;
}

/**
 * One run of a build or an evaluation: plans its cases, runs them, continues as new (the same workflow
 * type) while cases are left, then writes the results and returns them with the number of runs.
 */
export async function runAllCases<S extends AnyRunSettings, P extends RunProgress, C, R>(
  input: RunInput<S, P>,
  kind: RunKind<S, P, C, R>,
): Promise<R & { workflow_runs: number }> {
  const { settings } = input;
  const caseIds = await kind.plan(settings);
  const progress = input.progress ?? ({ ...newRunProgress(caseIds.length), ...kind.zero() } as P);
  progress.running = 0;
  progress.runs++;
  setHandler(progressQuery, () => progress);
  await runCaseWindow(settings, caseIds, progress, kind);
  if (progress.next < caseIds.length) {
    await continueAsNew<(input: RunInput<S, P>) => Promise<unknown>>({ settings, progress });
  }
  const result = await kind.finish(settings, caseIds, progress.failedCases);
  progress.exported = true;
  publishProgress(progress, kind.attributes(progress));
  return { ...result, workflow_runs: progress.runs };
}

/** The shared counts of a run that has not started a case yet. */
function newRunProgress(total: number): RunProgress {
  return {
    total,
    next: 0,
    casesDone: 0,
    casesFailed: 0,
    running: 0,
    failedBranches: 0,
    requests: 0,
    tokens: 0,
    failedCases: [],
    runs: 0,
    exported: false,
  };
}

/** Progress in search attributes (the Temporal UI's columns) and the memo. */
function publishProgress(progress: RunProgress, own: SearchAttributeUpdatePair[]): void {
  upsertSearchAttributes([
    { key: CasesDoneAttr, value: progress.casesDone },
    { key: CasesFailedAttr, value: progress.casesFailed },
    ...own,
  ]);
  upsertMemo({ progress: `${progress.casesDone + progress.casesFailed}/${progress.total} cases` });
}

/**
 * Runs cases as child workflows (one per case, id: run id + case id) through a sliding window of
 * `settings.concurrency`, counting their results into `progress`, until every case has run or this run
 * of the workflow has started `casesPerRun` of them (then the caller continues as new). The window is
 * drained first, so no child outlives the run that awaits it.
 */
async function runCaseWindow<S extends AnyRunSettings, P extends RunProgress, C>(
  settings: S,
  caseIds: string[],
  progress: P,
  kind: RunKind<S, P, C, unknown>,
): Promise<void> {
  const runId = runIdOf(settings);
  const inFlight = new Map<string, Promise<void>>();
  let startedThisRun = 0;
  const timeToContinue = () => startedThisRun >= settings.casesPerRun || workflowInfo().continueAsNewSuggested;
  for (;;) {
    while (inFlight.size < settings.concurrency && progress.next < caseIds.length && !timeToContinue()) {
      const caseId = caseIds[progress.next++] as string;
      startedThisRun++;
      const run = executeChild(kind.caseWorkflow, {
        workflowId: caseWorkflowId(runId, caseId),
        taskQueue: settings.taskQueues.workflows,
        args: [{ settings, caseId }],
        typedSearchAttributes: [
          { key: BuildIdAttr, value: runId },
          { key: CaseIdAttr, value: caseId },
        ],
      })
        .then((counts) => {
          progress.casesDone++;
          kind.count(progress, counts as C);
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
    publishProgress(progress, kind.attributes(progress));
  }
}
