import {
  ActivityFailure,
  ApplicationFailure,
  ChildWorkflowFailure,
  executeChild,
  patched,
  workflowInfo,
} from '@temporalio/workflow';
import type { Expansion } from '../activities/expand-node';
import { runIdOf, type AnyRunSettings } from '../core/run/run-kind';
import { DEFAULT_INLINE_NODES } from '../core/run/run-settings';
import { comparePaths, ROOT_PATH } from '../core/tree/branch-path';
import {
  childrenWithBudgets,
  type ExploreNode,
  InlineAllowance,
  leafBeforeExpansion,
  openChildren,
  pruneDivergent,
} from '../core/tree/exploration';
import type { CandidateFailure, Leaf } from '../core/tree/node';
import { baselinePolicy, llmPolicy, scoring } from './activity-proxies';
import { BranchPathAttr, BuildIdAttr, CaseIdAttr } from './search-attributes';

/** Where an exploration starts: a node already in the store (or the root), with its budget and h. */
export type BranchStart = ExploreNode;

export interface BranchInput {
  settings: AnyRunSettings;
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

/** The patch marker of inline subtrees: histories from before it replay the one-line-per-workflow rule. */
export const INLINE_SUBTREES_PATCH = 'inline-subtrees';

/**
 * Explores a subtree: expands the start node, records the children that end there (a final diagnosis,
 * no budget left) and explores the others — concurrently, in this workflow while the node budgets it has
 * taken on stay within `settings.inlineNodes`, and in child branch workflows (id: case workflow id +
 * "/b/" + path) beyond that. A history grows by about six events per expansion, so a workflow's share
 * of the tree bounds its history; a case of the default size is one workflow, which costs the Temporal
 * server and the worker far less per LLM call than a workflow per line of the tree.
 * Histories recorded before the patch follow the old rule: the first open child in this workflow, the
 * others in child workflows.
 */
export async function explore(input: BranchInput, branchWorkflow: BranchWorkflowFn): Promise<BranchResult> {
  const { settings, caseId, caseWorkflowId } = input;
  const propose =
    settings.policy === 'openai' ? llmPolicy(settings).proposeTurnsOpenai : baselinePolicy(settings).proposeTurnsKgBaseline;
  const leaves: Leaf[] = [];
  const failures: CandidateFailure[] = [];
  const spawned: Promise<BranchResult>[] = [];
  const allowance = new InlineAllowance(settings.inlineNodes ?? DEFAULT_INLINE_NODES, !patched(INLINE_SUBTREES_PATCH));

  /** The node's children that may go on (budgeted, pruned when asked), its ended paths recorded. */
  const expand = async (node: BranchStart): Promise<ExploreNode[]> => {
    let expansion: Expansion;
    try {
      expansion = await propose({ settings, caseId, path: node.path });
    } catch (error) {
      leaves.push({ path: node.path, status: 'failed', error: failureMessage(error) });
      return [];
    }
    failures.push(...expansion.failures);
    // Every candidate failed: the failures already record each of them.
    if (expansion.children.length === 0 && expansion.failures.length === 0) {
      leaves.push({ path: node.path, status: 'failed', error: 'the policy proposed no turn' });
    }
    const kids = childrenWithBudgets(node, expansion.children, settings.maxTurns);
    if (!settings.pruneDivergent || kids.length === 0) return kids;
    const hs = await scoring(settings).hypothesisDistances({ settings, caseId, paths: kids.map((k) => k.path) });
    const { kept, pruned } = pruneDivergent(node.h, kids, hs);
    leaves.push(...pruned);
    return kept;
  };

  const visit = async (node: BranchStart): Promise<void> => {
    const ended = leafBeforeExpansion(node, settings.maxTurns);
    if (ended) {
      leaves.push(ended);
      return;
    }
    // A final diagnosis ends its path, and a child without budget cannot go on: neither needs exploring.
    const { open, leaves: endedChildren } = openChildren(await expand(node));
    leaves.push(...endedChildren);
    const { here, elsewhere } = allowance.place(open);
    // Child workflows are started first, then the subtrees explored here (the order of commands is
    // part of the history: it must not change for a given history).
    for (const start of elsewhere) spawned.push(exploreInChild(branchWorkflow, { settings, caseId, caseWorkflowId, start }));
    await Promise.all(here.map(visit));
  };

  await visit(input.start);
  for (const result of await Promise.all(spawned)) {
    leaves.push(...result.leaves);
    failures.push(...result.failures);
  }
  // Concurrent subtrees finish in any order: results go out in tree order.
  leaves.sort((a, b) => comparePaths(a.path, b.path));
  failures.sort((a, b) => comparePaths(a.path, b.path));
  return { leaves, failures };
}

export type BranchWorkflowFn = (input: BranchInput) => Promise<BranchResult>;

/** A subtree explored by a child branch workflow; its failure is one failed leaf at its start. */
function exploreInChild(branchWorkflow: BranchWorkflowFn, input: BranchInput): Promise<BranchResult> {
  const { settings, caseId, caseWorkflowId, start } = input;
  return executeChild(branchWorkflow, {
    workflowId: branchWorkflowId(caseWorkflowId, start.path),
    taskQueue: settings.taskQueues.workflows,
    args: [input],
    typedSearchAttributes: [
      { key: BuildIdAttr, value: runIdOf(settings) },
      { key: CaseIdAttr, value: caseId },
      { key: BranchPathAttr, value: start.path },
    ],
  }).catch((error) => ({
    leaves: [{ path: start.path, status: 'failed' as const, error: failureMessage(error) }],
    failures: [],
  }));
}

/** Explores a case's whole tree from its root, in the calling workflow (a build's case, an evaluation's episode). */
export function exploreFromRoot(
  settings: AnyRunSettings,
  caseId: string,
  branchWorkflow: BranchWorkflowFn,
): Promise<BranchResult> {
  return explore(
    {
      settings,
      caseId,
      caseWorkflowId: workflowInfo().workflowId,
      start: { path: ROOT_PATH, budget: settings.nodeBudget, final: false, h: null },
    },
    branchWorkflow,
  );
}

/** The innermost cause of an activity or child failure, as one line for the report. */
export function failureMessage(error: unknown): string {
  let e = error as { message?: string; cause?: unknown } | undefined;
  while ((e instanceof ActivityFailure || e instanceof ChildWorkflowFailure) && e.cause) e = e.cause as typeof e;
  const message = (e?.message ?? String(error)).replace(/\s+/g, ' ').trim();
  const type = e instanceof ApplicationFailure && e.type ? ` [${e.type}]` : '';
  return `${message.length > 500 ? `${message.slice(0, 500)}…` : message}${type}`;
}
