import fs from 'node:fs';
import path from 'node:path';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { Command } from 'commander';
import { connectTemporalClient, workflowUiLink } from '../clients/temporal';
import type { BuildReport, BuildSummary } from '../core/dataset/report';
import type { EvalReport } from '../core/eval/summary';
import { UserError } from '../core/errors';
import { BuildStore } from '../stores/build-store';
import { DATASET_FILES } from '../stores/dataset-export';
import { readManifest } from './resolve-settings';
import { buildWorkflowId, type BuildProgress } from '../workflows/build';
import { evaluationWorkflowId, type EvalProgress } from '../workflows/evaluation';
import { progressQuery, type RunProgress } from '../workflows/run-cases';
import { CasesDoneAttr, CasesFailedAttr, TrajectoriesKeptAttr } from '../workflows/search-attributes';
import type { Config } from '../config';
import { configFor } from './context';
import { emit } from './output';
import { retryingActivities, type RetryingActivity } from './retrying-activities';

/** What `medaction status` reports (a stable interface: fields are only added). */
export interface BuildStatus {
  build_id: string;
  workflow_id: string;
  /** "build" (a dataset build) or "evaluation" (`medaction eval`). */
  kind: 'build' | 'evaluation';
  /** Temporal's status of the build workflow: RUNNING, COMPLETED, FAILED, TERMINATED, … */
  status: string;
  ui: string;
  out: string | null;
  cases: number | null;
  cases_done: number | null;
  cases_failed: number | null;
  running: number | null;
  /** A build's kept trajectories (null for an evaluation). */
  trajectories_kept: number | null;
  prefixes_kept: number | null;
  rejected: number | null;
  failed_branches: number | null;
  tokens: number | null;
  /** An evaluation's episodes judged correct so far (null for a build). */
  correct: number | null;
  /** An evaluation's correct episodes / episodes done (null for a build, or before any is done). */
  accuracy: number | null;
  failed_cases: { case_id: string; error: string }[];
  /** Every failed branch of the cases finished so far, with its last error (from the output store). */
  branch_failures: { case_id: string; branch_path: string; error: string }[];
  /** Activities of a running build being retried (an LLM endpoint that keeps failing), with their attempt and last error. */
  retrying: RetryingActivity[];
  /** Why some figures are missing or stale (null when all is well). */
  note: string | null;
}

/** Finds a build's workflow, or an evaluation's of that id; an unknown id is a clear error. */
export async function describeBuild(client: Client, buildId: string) {
  for (const [kind, workflowId] of [
    ['build', buildWorkflowId(buildId)],
    ['evaluation', evaluationWorkflowId(buildId)],
  ] as const) {
    const handle = client.workflow.getHandle(workflowId);
    try {
      return { kind, handle, description: await handle.describe() };
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError || (error as Error).name === 'WorkflowNotFoundError')) throw error;
    }
  }
  throw new UserError(
    `no build "${buildId}" in namespace ${client.options.namespace} (no workflow ${buildWorkflowId(buildId)}, nor an evaluation ${evaluationWorkflowId(buildId)})`,
  );
}

/** The output folder a build records in its memo (its store). */
export async function buildOutputFolder(config: Config, buildId: string): Promise<string> {
  const client = await connectTemporalClient(config);
  try {
    const { description } = await describeBuild(client, buildId);
    if (typeof description.memo?.out !== 'string') throw new UserError(`build ${buildId} does not record its output folder`);
    return description.memo.out;
  } finally {
    await client.connection.close();
  }
}

type Found = Awaited<ReturnType<typeof describeBuild>>;

/** A build's status before any figure is known: its ids, state, links and the failures its store holds. */
function baseStatus(config: Config, buildId: string, { kind, handle, description }: Found): BuildStatus {
  const out = typeof description.memo?.out === 'string' ? description.memo.out : null;
  return {
    build_id: buildId,
    workflow_id: handle.workflowId,
    kind,
    status: description.status.name,
    ui: workflowUiLink(config, handle.workflowId),
    out,
    cases: null,
    cases_done: null,
    cases_failed: null,
    running: null,
    trajectories_kept: null,
    prefixes_kept: null,
    rejected: null,
    failed_branches: null,
    tokens: null,
    correct: null,
    accuracy: null,
    failed_cases: [],
    branch_failures: out ? branchFailures(out) : [],
    retrying: [],
    note: null,
  };
}

/** A running run's figures: from its progress query, or (no worker answering) its last search attributes. */
async function runningFigures(client: Client, { kind, handle, description }: Found): Promise<Partial<BuildStatus>> {
  const p = await client.withDeadline(Date.now() + 5000, () => handle.query(progressQuery)).catch(() => undefined);
  if (p) return kind === 'evaluation' ? evalProgressFigures(p as EvalProgress) : buildProgressFigures(p as BuildProgress);
  const attrs = description.typedSearchAttributes;
  return {
    cases_done: attrs.get(CasesDoneAttr) ?? null,
    cases_failed: attrs.get(CasesFailedAttr) ?? null,
    ...(kind === 'build' ? { trajectories_kept: attrs.get(TrajectoriesKeptAttr) ?? null } : {}),
    note: `no worker answered the progress query: figures are from the last search-attribute update; start \`npx medaction worker\` to continue the ${kind}`,
  };
}

/** What builds and evaluations both count. */
function runProgressFigures(p: RunProgress): Partial<BuildStatus> {
  return {
    cases: p.total,
    cases_done: p.casesDone,
    cases_failed: p.casesFailed,
    running: p.running,
    failed_branches: p.failedBranches,
    tokens: p.tokens,
    failed_cases: p.failedCases,
  };
}

function buildProgressFigures(p: BuildProgress): Partial<BuildStatus> {
  return { ...runProgressFigures(p), trajectories_kept: p.trajectoriesKept, prefixes_kept: p.prefixesKept, rejected: p.rejected };
}

function evalProgressFigures(p: EvalProgress): Partial<BuildStatus> {
  return { ...runProgressFigures(p), correct: p.correct };
}

/** A completed build's figures, from its result (the build summary, or the evaluation's eval.json). */
async function completedFigures({ kind, handle }: Found, out: string | null): Promise<Partial<BuildStatus>> {
  if (kind === 'evaluation') {
    const r: EvalReport = await handle.result();
    return {
      cases: r.cases,
      cases_done: r.cases - r.cases_failed.length,
      cases_failed: r.cases_failed.length,
      running: 0,
      correct: r.correct,
      tokens: r.tokens,
      accuracy: r.accuracy,
      failed_cases: r.cases_failed,
    };
  }
  const s: BuildSummary = await handle.result();
  const report = out ? readReport(out) : undefined;
  return {
    cases: s.cases,
    cases_done: s.cases - s.cases_failed,
    cases_failed: s.cases_failed,
    running: 0,
    trajectories_kept: s.trajectories_kept,
    prefixes_kept: s.prefixes_kept,
    rejected: s.rejected,
    failed_branches: report?.failed_branches.length ?? null,
    tokens: s.tokens,
    failed_cases: report?.failed_cases ?? [],
  };
}

/** An evaluation in progress: its accuracy so far (correct episodes of those done). */
function withAccuracy(status: BuildStatus): BuildStatus {
  if (status.kind !== 'evaluation' || status.accuracy !== null) return status;
  const done = status.cases_done ?? 0;
  return { ...status, accuracy: done > 0 && status.correct !== null ? status.correct / done : null };
}

function humanStatus(s: BuildStatus): string {
  const figures =
    s.cases === null
      ? ''
      : s.kind === 'evaluation'
        ? `  episodes ${s.cases_done}/${s.cases} done, ${s.cases_failed} failed${s.running ? `, ${s.running} running` : ''}; ` +
          `${s.correct ?? '?'} correct${s.accuracy !== null ? ` (accuracy ${s.accuracy.toFixed(3)})` : ''}, ${s.tokens} tokens`
        : `  cases ${s.cases_done}/${s.cases} done, ${s.cases_failed} failed${s.running ? `, ${s.running} running` : ''}; ` +
          `${s.trajectories_kept} trajectories kept (${s.prefixes_kept} prefixes), ${s.rejected} rejected, ` +
          `${s.failed_branches ?? '?'} failed branches, ${s.tokens} tokens`;
  return [
    `${s.kind === 'evaluation' ? 'evaluation' : 'build'} ${s.build_id}: ${s.status}`,
    figures,
    ...s.failed_cases.map((f) => `  failed case ${f.case_id}: ${f.error}`),
    ...s.branch_failures.map((f) => `  failed branch ${f.case_id} ${f.branch_path || '(root)'}: ${f.error}`),
    ...s.retrying.map((r) => `  retrying ${r.activity} in ${r.workflow_id} (attempt ${r.attempt}): ${r.last_error}`),
    s.note ? `  note: ${s.note}` : '',
    s.out ? `  output: ${s.out}` : '',
    `  Temporal Web UI: ${s.ui}`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** A build's or an evaluation's status, from Temporal and its output folder. */
export async function buildStatus(config: Config, client: Client, buildId: string): Promise<BuildStatus> {
  const found = await describeBuild(client, buildId);
  const base = baseStatus(config, buildId, found);
  const state = found.description.status.name;
  const figures =
    state === 'RUNNING'
      ? { ...(await runningFigures(client, found)), retrying: await retryingActivities(client, buildId) }
      : state === 'COMPLETED'
        ? await completedFigures(found, base.out)
        : {};
  return withAccuracy({ ...base, ...figures });
}

export function statusCommand(): Command {
  return new Command('status')
    .description('show a build or an evaluation: its state, progress, failed cases, and where its output is')
    .argument('<build-id>', 'the build id `medaction build` printed, or the eval id `medaction eval` printed')
    .option('--json', 'print one JSON object')
    .action(async (buildId: string, opts: { json?: boolean }, command: Command) => {
      const config = configFor(command);
      const client = await connectTemporalClient(config);
      try {
        emit(Boolean(opts.json), await buildStatus(config, client, buildId), humanStatus);
      } finally {
        await client.connection.close();
      }
    });
}

function branchFailures(out: string): BuildStatus['branch_failures'] {
  const manifest = readManifest(out);
  if (!manifest) return [];
  const store = new BuildStore(out);
  return manifest.caseIds.flatMap((id) => (store.readOutcome(id)?.failed_branches ?? []).map((f) => ({ case_id: id, ...f })));
}

/** A build's report.json, if it has one (written by its last export). */
export function readReport(out: string): BuildReport | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(out, DATASET_FILES.report), 'utf8')) as BuildReport;
  } catch {
    return undefined;
  }
}
