import type { Case } from '../core/cases/model';
import { TestMenuOracle } from '../core/oracle/oracle';
import type { PolicyContext } from '../core/policy/context';
import type { RunSettings } from '../core/run/run-settings';
import type { CandidateOutcome } from '../core/policy/llm-doctor';
import { childPath, pathChain } from '../core/tree/branch-path';
import { mergeCandidates } from '../core/tree/merge';
import { addUsage, type CandidateFailure, type TreeNode } from '../core/tree/node';
import type { BuildStore } from '../stores/build-store';
import type { CaseCache } from '../stores/case-cache';

/** A node of a case's tree, by reference: what workflow histories carry instead of the turns. */
export interface NodeRef {
  settings: RunSettings;
  caseId: string;
  /** The node to expand ("" for the root). */
  path: string;
}

/** The children an expansion created (written to the store), small enough for a history event. */
export interface Expansion {
  children: { path: string; final: boolean }[];
  failures: CandidateFailure[];
}

/**
 * Expands one node: rebuilds the conversation from the store, asks the policy for k candidate turns,
 * merges identical actions, has the oracle answer each distinct candidate's orders, and writes each
 * child node to the store. Everything it writes is a function of the store's content and the
 * (stored) policy replies, so a retry rewrites the same files.
 */
export async function expandNode(
  ref: NodeRef,
  cases: CaseCache,
  store: BuildStore,
  propose: (context: PolicyContext, testCase: Case) => Promise<CandidateOutcome[]>,
): Promise<Expansion> {
  const { settings, caseId, path } = ref;
  // Expanded before (a resumed build, a retried workflow): its children are in the store already.
  const done = store.readExpansion<Expansion>(caseId, path);
  if (done) return { children: done.children, failures: withoutReplies(done.failures) };
  const testCase = cases.get(settings.casesFile, settings.casesHash, caseId);
  const past = pathChain(path).map((p) => {
    const node = store.readNode(caseId, p);
    return { turn: node.turn, results: node.results };
  });
  const context: PolicyContext = { o1: testCase.o1.text, past, maxTurns: settings.maxTurns, seed: settings.seed, path };
  const outcomes = await propose(context, testCase);
  const byIndex = new Map(outcomes.map((o) => [o.index, o]));
  const valid = outcomes.flatMap((o) => ('turn' in o ? [{ index: o.index, turn: o.turn }] : []));
  const oracle = new TestMenuOracle(testCase, { allowCatchAll: settings.allowCatchAll });
  const children: Expansion['children'] = [];
  const nodes: TreeNode[] = [];
  for (const candidate of mergeCandidates(valid)) {
    // Tokens of merged duplicates were spent too: they count towards the node that absorbed them.
    const spent = [candidate.index, ...candidate.merged].map((i) => byIndex.get(i) as CandidateOutcome);
    const node: TreeNode = {
      path: childPath(path, candidate.index),
      turn: candidate.turn,
      results:
        candidate.turn.action.type === 'order_tests'
          ? candidate.turn.action.tests.map((test) => {
              const answer = oracle.ask(test);
              return { test, status: answer.status, items: answer.items };
            })
          : [],
      merged: candidate.merged,
      usage: spent.reduce((sum, o) => addUsage(sum, o.usage), { prompt: 0, completion: 0 }),
      requests: spent.reduce((sum, o) => sum + o.requests, 0),
      ...traceOf(byIndex.get(candidate.index)),
    };
    nodes.push(node);
    children.push({ path: node.path, final: candidate.turn.action.type === 'final_diagnosis' });
  }
  const failures = outcomes.flatMap((o) =>
    'error' in o
      ? [
          {
            path: childPath(path, o.index),
            error: o.error,
            usage: o.usage,
            requests: o.requests,
            ...(o.reply ? { reply: o.reply } : {}),
          },
        ]
      : [],
  );
  // One write: a crash before it leaves the node to be expanded again, to the same result (the replies
  // are in the response store). The store keeps each failed candidate's invalid reply; the workflow
  // history gets paths, counts and error lines only, never model text.
  store.writeExpansion(caseId, path, { children, failures }, nodes);
  return { children, failures: withoutReplies(failures) };
}

/** The reasoning trace of the candidate a node kept, if its reply had one. */
function traceOf(outcome: CandidateOutcome | undefined): { trace?: string } {
  return outcome && 'trace' in outcome && outcome.trace ? { trace: outcome.trace } : {};
}

/** Failures as the workflow gets them: their invalid replies (model text) stay in the store. */
function withoutReplies(failures: CandidateFailure[]): CandidateFailure[] {
  return failures.map(({ reply: _reply, ...f }) => f);
}
