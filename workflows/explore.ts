import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure, executeChild } from '@temporalio/workflow';
import type { Expansion } from '../activities/expand-node';
import type { BuildSettings } from '../core/dataset/build-settings';
import { pathDepth } from '../core/tree/branch-path';
import { allocateBudget, lineCost } from '../core/tree/budget';
import type { CandidateFailure, Leaf } from '../core/tree/node';
import { baselinePolicy, llmPolicy, scoring } from './activity-proxies';
import { BranchPathAttr, BuildIdAttr, CaseIdAttr } from './search-attributes';

/** Where an exploration starts: a node already in the store (or the root). */
export interface BranchStart {
  path: string;
  /** Descendants this node may have. */
  budget: number;
  /** The node is a final diagnosis: nothing to explore. */
  final: boolean;
  /** The node's hypothesis distance to the gold, when early pruning is on (null: unknown / the root). */
  h: number | null;
}

export interface BranchInput {
  settings: BuildSettings;
  caseId: string;
  /** Branch workflow ids derive from it. */
  caseWorkflowId: string;
  start: BranchStart;
}

/** Leaves and failures of a subtree: small (paths and error lines), never the turns themselves. */
export interface BranchResult {
  leaves: Leaf[];
  failures: CandidateFailure[];
}

/** The workflow id of the branch that starts at `path`, under the case workflow's id. */
export function branchWorkflowId(caseWorkflowId: string, path: string): string {
  return `${caseWorkflowId}/b/${path}`;
}

/**
 * Explores a subtree depth first: expands the start node, records the children that end there (a
 * final diagnosis, no budget left), follows the first child that goes on in this workflow, and starts a
 * child branch workflow for every other one (id: case workflow id + "/b/" + path), then collects their
 * leaves. Each workflow thus follows one line of the tree, a case has fewer branch workflows than paths,
 * and every history stays short.
 */
export async function explore(input: BranchInput, branchWorkflow: BranchWorkflowFn): Promise<BranchResult> {
  const { settings, caseId, caseWorkflowId } = input;
  const propose =
    settings.policy === 'openai' ? llmPolicy(settings).proposeTurnsOpenai : baselinePolicy(settings).proposeTurnsKgBaseline;
  const leaves: Leaf[] = [];
  const failures: CandidateFailure[] = [];
  const spawned: Promise<BranchResult>[] = [];
  let node = input.start;
  for (;;) {
    if (node.final) {
      leaves.push({ path: node.path, status: 'final' });
      break;
    }
    if (node.budget <= 0) {
      leaves.push({ path: node.path, status: 'budget' });
      break;
    }
    if (pathDepth(node.path) >= settings.maxTurns) {
      leaves.push({ path: node.path, status: 'failed', error: 'the turn limit was reached without a final diagnosis' });
      break;
    }
    let expansion: Expansion;
    try {
      expansion = await propose({ settings, caseId, path: node.path });
    } catch (error) {
      leaves.push({ path: node.path, status: 'failed', error: failureMessage(error) });
      break;
    }
    failures.push(...expansion.failures);
    if (expansion.children.length === 0) {
      // Every candidate failed: the failures already record each of them.
      if (expansion.failures.length === 0)
        leaves.push({ path: node.path, status: 'failed', error: 'the policy proposed no turn' });
      break;
    }
    const perChild = lineCost(pathDepth(node.path) + 1, settings.maxTurns);
    let kids = allocateBudget(node.budget, expansion.children.length, perChild).map((a) => ({
      ...(expansion.children[a.index] as Expansion['children'][number]),
      budget: a.budget,
      h: null as number | null,
    }));
    if (settings.pruneDivergent) {
      const hs = await scoring(settings).hypothesisDistances({ settings, caseId, paths: kids.map((k) => k.path) });
      kids = kids.filter((kid, i) => {
        kid.h = hs[i] as number;
        if (node.h === null || kid.final || kid.h <= node.h + 1e-9) return true;
        leaves.push({ path: kid.path, status: 'pruned' });
        return false;
      });
    }
    // A final diagnosis ends its path, and a child without budget cannot go on: neither needs a workflow.
    const open = kids.filter((kid) => {
      if (kid.final) leaves.push({ path: kid.path, status: 'final' });
      else if (kid.budget <= 0) leaves.push({ path: kid.path, status: 'budget' });
      return !kid.final && kid.budget > 0;
    });
    const [first, ...others] = open;
    for (const kid of others) {
      const start: BranchStart = { path: kid.path, budget: kid.budget, final: kid.final, h: kid.h };
      spawned.push(
        executeChild(branchWorkflow, {
          workflowId: branchWorkflowId(caseWorkflowId, kid.path),
          taskQueue: settings.taskQueues.workflows,
          args: [{ settings, caseId, caseWorkflowId, start }],
          typedSearchAttributes: [
            { key: BuildIdAttr, value: settings.buildId },
            { key: CaseIdAttr, value: caseId },
            { key: BranchPathAttr, value: kid.path },
          ],
        }).catch((error) => ({
          leaves: [{ path: kid.path, status: 'failed' as const, error: failureMessage(error) }],
          failures: [],
        })),
      );
    }
    if (!first) break;
    node = { path: first.path, budget: first.budget, final: first.final, h: first.h };
  }
  for (const result of await Promise.all(spawned)) {
    leaves.push(...result.leaves);
    failures.push(...result.failures);
  }
  return { leaves, failures };
}

export type BranchWorkflowFn = (input: BranchInput) => Promise<BranchResult>;

/** The innermost cause of an activity or child failure, as one line for the report. */
export function failureMessage(error: unknown): string {
  let e = error as { message?: string; cause?: unknown } | undefined;
  while ((e instanceof ActivityFailure || e instanceof ChildWorkflowFailure) && e.cause) e = e.cause as typeof e;
  const message = (e?.message ?? String(error)).replace(/\s+/g, ' ').trim();
  const type = e instanceof ApplicationFailure && e.type ? ` [${e.type}]` : '';
  return `${message.length > 500 ? `${message.slice(0, 500)}…` : message}${type}`;
}
