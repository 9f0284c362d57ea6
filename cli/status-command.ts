import fs from 'node:fs';
import path from 'node:path';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { Command } from 'commander';
import { connectTemporalClient, workflowUiLink } from '../clients/temporal';
import type { BuildReport, BuildSummary } from '../core/dataset/report';
import { UserError } from '../core/errors';
import { BuildStore } from '../stores/build-store';
import { DATASET_FILES } from '../stores/dataset-export';
import { readManifest } from './resolve-build-settings';
import { buildWorkflowId, progressQuery, type BuildProgress } from '../workflows/build';
import { CasesDoneAttr, CasesFailedAttr, TrajectoriesKeptAttr } from '../workflows/search-attributes';
import type { Config } from '../config';
import { configFor } from './context';
import { emit } from './output';

/** What `medaction status` reports (a stable interface: fields are only added). */
export interface BuildStatus {
  build_id: string;
  workflow_id: string;
  /** Temporal's status of the build workflow: RUNNING, COMPLETED, FAILED, TERMINATED, … */
  status: string;
  ui: string;
  out: string | null;
  cases: number | null;
  cases_done: number | null;
  cases_failed: number | null;
  running: number | null;
  trajectories_kept: number | null;
  prefixes_kept: number | null;
  rejected: number | null;
  failed_branches: number | null;
  tokens: number | null;
  failed_cases: { case_id: string; error: string }[];
  /** Every failed branch of the cases finished so far, with its last error (from the output store). */
  branch_failures: { case_id: string; branch_path: string; error: string }[];
  /** Why some figures are missing or stale (null when all is well). */
  note: string | null;
}

/** Finds a build's workflow; an unknown id is a clear error. */
export async function describeBuild(client: Client, buildId: string) {
  const handle = client.workflow.getHandle(buildWorkflowId(buildId));
  try {
    return { handle, description: await handle.describe() };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError || (error as Error).name === 'WorkflowNotFoundError') {
      throw new UserError(
        `no build "${buildId}" in namespace ${client.options.namespace} (no workflow ${buildWorkflowId(buildId)})`,
      );
    }
    throw error;
  }
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

export function statusCommand(): Command {
  return new Command('status')
    .description('show a build: its state, progress, failed cases, and where its dataset is')
    .argument('<build-id>', 'the build id `medaction build` printed')
    .option('--json', 'print one JSON object')
    .action(async (buildId: string, opts: { json?: boolean }, command: Command) => {
      const config = configFor(command);
      const client = await connectTemporalClient(config);
      try {
        const { handle, description } = await describeBuild(client, buildId);
        const out = typeof description.memo?.out === 'string' ? description.memo.out : null;
        const status: BuildStatus = {
          build_id: buildId,
          workflow_id: handle.workflowId,
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
          failed_cases: [],
          branch_failures: out ? branchFailures(out) : [],
          note: null,
        };
        const report = out ? readReport(out) : undefined;
        const running = description.status.name === 'RUNNING';
        // The progress query needs a worker; without one, the search attributes the build last set still tell.
        const p = running
          ? await client
              .withDeadline(Date.now() + 5000, () => handle.query(progressQuery))
              .catch(() => undefined as BuildProgress | undefined)
          : undefined;
        if (running && !p) {
          const attrs = description.typedSearchAttributes;
          Object.assign(status, {
            cases_done: attrs.get(CasesDoneAttr) ?? null,
            cases_failed: attrs.get(CasesFailedAttr) ?? null,
            trajectories_kept: attrs.get(TrajectoriesKeptAttr) ?? null,
            note: 'no worker answered the progress query: figures are from the last search-attribute update; start `npx medaction worker` to continue the build',
          });
        } else if (p) {
          Object.assign(status, {
            cases: p.total,
            cases_done: p.casesDone,
            cases_failed: p.casesFailed,
            running: p.running,
            trajectories_kept: p.trajectoriesKept,
            prefixes_kept: p.prefixesKept,
            rejected: p.rejected,
            failed_branches: p.failedBranches,
            tokens: p.tokens,
            failed_cases: p.failedCases,
          });
        } else if (description.status.name === 'COMPLETED') {
          const s: BuildSummary = await handle.result();
          Object.assign(status, {
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
          });
        }
        emit(Boolean(opts.json), status, (s) =>
          [
            `build ${s.build_id}: ${s.status}`,
            s.cases !== null
              ? `  cases ${s.cases_done}/${s.cases} done, ${s.cases_failed} failed${s.running ? `, ${s.running} running` : ''}; ` +
                `${s.trajectories_kept} trajectories kept (${s.prefixes_kept} prefixes), ${s.rejected} rejected, ` +
                `${s.failed_branches ?? '?'} failed branches, ${s.tokens} tokens`
              : '',
            ...s.failed_cases.map((f) => `  failed case ${f.case_id}: ${f.error}`),
            ...s.branch_failures.map((f) => `  failed branch ${f.case_id} ${f.branch_path || '(root)'}: ${f.error}`),
            s.note ? `  note: ${s.note}` : '',
            s.out ? `  output: ${s.out}` : '',
            `  Temporal Web UI: ${s.ui}`,
          ]
            .filter(Boolean)
            .join('\n'),
        );
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
