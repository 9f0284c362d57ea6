import type { Case } from '../cases/model';
import type { KgAccess } from '../kg/access';
import type { EntityLinker } from '../linking/linker';
import { clinicalStatements } from '../linking/statements';
import { normalizeName } from '../kg/names';
import { linkTrajectory, type TextTurn } from '../metrics/link-trajectory';
import { computeTrajectoryMetrics, summariseTurns, type TrajectoryMetrics } from '../metrics/trajectory-metrics';
import { conversation, type ChatMessage } from '../policy/prompts';
import { comparePaths, parentPath, pathChain, pathDepth } from '../tree/branch-path';
import {
  addUsage,
  NO_TOKENS,
  type CallFailure,
  type CandidateFailure,
  type Leaf,
  type OrderResult,
  type TokenUsage,
  type TreeNode,
} from '../tree/node';
import { judgePath, type FilterSettings, type RejectionReason } from '../tree/selection';
import type { DiagnosisJudge, JudgeEvidence, Judgement } from './judge';
import { goldMatches } from '../linking/gold-links';
import { orderCost, testCost } from '../eval/test-costs';
import {
  trajectoryId,
  type CaseOutcome,
  type PathScores,
  type RejectedRecord,
  type TokenRecord,
  type TrajectoryRecord,
  type TurnRecord,
} from './records';

export interface CaseTree {
  testCase: Case;
  /** Every node on a path to a leaf, by path. */
  nodes: ReadonlyMap<string, TreeNode>;
  leaves: Leaf[];
  failures: CandidateFailure[];
  /** Turns produced but on no path (candidates the budget left out): paid for, so counted in the totals. */
  unused?: TreeNode[];
  /** Requests that got no usable answer while the tree was explored. */
  callFailures?: CallFailure[];
}

export interface ScoreSettings {
  buildId: string;
  policy: string;
  model: string | null;
  promptsVersion: string;
  maxTurns: number;
  filter: FilterSettings;
}

/** The gold diagnosis's KG node: its short form linked (gold-links.ts), else its long form (null: not in the KG). */
export async function linkGold(linker: EntityLinker, testCase: Case): Promise<string | null> {
  return (
    (await goldMatches(linker, testCase.gold.short))[0]?.id ?? (await goldMatches(linker, testCase.gold.long))[0]?.id ?? null
  );
}

/** The evidence statements a result brings: each returned item's result text, split into statements. */
export function resultStatements(results: OrderResult[]): string[] {
  return results.flatMap((r) => r.items.flatMap((item) => clinicalStatements(item.result)));
}

/**
 * Scores every root-to-leaf path of a case's tree against the KG and sorts it: kept whole, kept as a
 * prefix, or rejected with a reason. Candidate failures (a turn that could not be produced) are
 * rejected paths too, so that no failure goes unrecorded. Pure over KgAccess.
 */
export async function scoreCaseTree(
  kg: KgAccess,
  linker: EntityLinker,
  judge: DiagnosisJudge,
  tree: CaseTree,
  settings: ScoreSettings,
): Promise<CaseOutcome> {
  const context = await pathContext(linker, tree.testCase);
  const trajectories: TrajectoryRecord[] = [];
  const rejections: RejectedRecord[] = [];
  const prefixCandidates = new Map<string, TrajectoryRecord>();
  const failedBranches: CaseOutcome['failed_branches'] = [];

  for (const { leaf, chainPath, spent } of pathsToScore(tree)) {
    const chain = chainOf(tree, chainPath);
    const score = await scorePath(kg, linker, judge, context, chain, leaf.status);
    const scored: ScoredPath = { tree, settings, leaf, chain, spent, ...score };
    const verdict = judgePath(leaf.status, score.metrics, score.judgement.correct, settings.filter);
    if (leaf.status === 'failed') failedBranches.push({ branch_path: leaf.path, error: leaf.error ?? 'unknown error' });
    if (verdict.complete) {
      trajectories.push(completeRecord(scored));
      continue;
    }
    let prefixId: string | null = null;
    if (verdict.prefixTurns !== undefined) {
      const prefix = prefixRecord(scored, verdict.prefixTurns);
      prefixId = prefix.id;
      if (!prefixCandidates.has(prefix.branch_path)) prefixCandidates.set(prefix.branch_path, prefix);
    }
    rejections.push(rejectedRecord(scored, verdict.reason as RejectionReason, prefixId));
  }

  trajectories.push(...prefixesOffKeptPaths(prefixCandidates, trajectories, rejections));
  trajectories.sort((a, b) => comparePaths(a.branch_path, b.branch_path) || a.kind.localeCompare(b.kind));
  return caseOutcome(tree, context.goldNode, trajectories, rejections, failedBranches);
}

/** The paths of a tree to score, in path order: its leaves, and each failed candidate as the path to its parent. */
function pathsToScore(tree: CaseTree): { leaf: Leaf; chainPath: string; spent?: TokenUsage }[] {
  return [
    ...tree.leaves.map((leaf) => ({ leaf, chainPath: leaf.path })),
    // A candidate that failed: the path to its parent, recorded as a failed branch of its own.
    ...tree.failures.map((f) => ({
      leaf: { path: f.path, status: 'failed' as const, error: f.error, ...(f.reply ? { reply: f.reply } : {}) },
      chainPath: parentPath(f.path),
      ...(f.usage ? { spent: f.usage } : {}),
    })),
  ].sort((a, b) => comparePaths(a.leaf.path, b.leaf.path));
}

/** The nodes from the root to a path; a missing one is an error naming it. */
function chainOf(tree: CaseTree, path: string): TreeNode[] {
  return pathChain(path).map((p) => {
    const node = tree.nodes.get(p);
    if (!node) throw new Error(`case ${tree.testCase.id}: node ${p} of a path to a leaf is missing from the tree store`);
    return node;
  });
}

/** A path with its scores: what the records of a complete, prefix or rejected path are made from. */
interface ScoredPath extends Awaited<ReturnType<typeof scorePath>> {
  tree: CaseTree;
  settings: ScoreSettings;
  leaf: Leaf;
  chain: TreeNode[];
  spent: TokenUsage | undefined;
}

function recordBase({ tree, settings }: ScoredPath) {
  return { build_id: settings.buildId, case_id: tree.testCase.id, gold_diagnosis: tree.testCase.gold.short };
}

/** A path's conversation, each assistant turn with the reasoning trace it came with (if any). */
function messagesOf({ tree, settings }: ScoredPath, chain: TreeNode[]) {
  const messages = conversation(
    tree.testCase.o1.text,
    chain.map((n) => ({ turn: n.turn, results: n.results })),
    settings.maxTurns,
  );
  let turn = 0;
  return messages.map((m) => {
    if (m.role !== 'assistant') return m;
    const trace = chain[turn++]?.trace;
    return trace ? { ...m, reasoning_content: trace } : m;
  });
}

function tokensOf(chain: TreeNode[], spent: TokenUsage = NO_TOKENS) {
  return tokenRecord(chain.reduce<TokenUsage>((sum, n) => addUsage(sum, n.usage), spent));
}

/** A kept trajectory: a correct path that passes the filter. */
function completeRecord(p: ScoredPath): TrajectoryRecord {
  const { settings, leaf, chain, metrics, finalDiagnosis, judgement } = p;
  return {
    id: trajectoryId(settings.buildId, p.tree.testCase.id, leaf.path, 'complete'),
    ...recordBase(p),
    branch_path: leaf.path,
    kind: 'complete',
    messages: messagesOf(p, chain),
    final_diagnosis: finalDiagnosis,
    correct: true,
    judge: judgement.method,
    judge_evidence: judgement.evidence ?? null,
    ...pathScores(metrics),
    test_cost: testCost(chain.flatMap((n) => n.results)),
    turns: turnRecords(metrics, chain),
    tokens: tokensOf(chain, p.spent),
    ...provenance(settings),
  };
}

/** The kept prefix of a rejected path: its first `turns` turns, ending at the doctor's turn. */
function prefixRecord(p: ScoredPath, turns: number): TrajectoryRecord {
  const { settings, chain, metrics, judgement } = p;
  const prefixChain = chain.slice(0, turns);
  const prefixPath = (prefixChain[prefixChain.length - 1] as TreeNode).path;
  const prefixMetrics = { ...metrics, turns: metrics.turns.slice(0, turns) };
  return {
    id: trajectoryId(settings.buildId, p.tree.testCase.id, prefixPath, 'prefix'),
    ...recordBase(p),
    branch_path: prefixPath,
    kind: 'prefix',
    messages: endAtAssistant(messagesOf(p, prefixChain)),
    final_diagnosis: null,
    correct: null,
    judge: judgement.method,
    judge_evidence: null,
    ...pathScores({ ...prefixMetrics, ...summariseTurns(prefixMetrics.turns) }),
    test_cost: testCost(prefixChain.flatMap((n) => n.results)),
    turns: turnRecords(prefixMetrics, prefixChain),
    tokens: tokensOf(prefixChain),
    ...provenance(settings),
  };
}

/** A rejected path with its reason, and the id of the prefix kept from it, if any. */
function rejectedRecord(p: ScoredPath, reason: RejectionReason, prefixKept: string | null): RejectedRecord {
  const { settings, leaf, chain, metrics, finalDiagnosis, judgement } = p;
  return {
    id: trajectoryId(settings.buildId, p.tree.testCase.id, leaf.path, 'rejected'),
    ...recordBase(p),
    branch_path: leaf.path,
    reason,
    error: leaf.status === 'failed' ? (leaf.error ?? 'unknown error') : null,
    invalid_reply: leaf.reply ?? null,
    final_diagnosis: finalDiagnosis,
    ...verdictOnFinal(finalDiagnosis, judgement),
    ...pathScores(metrics),
    test_cost: testCost(chain.flatMap((n) => n.results)),
    turns: chain.length,
    prefix_kept: prefixKept,
    messages: messagesOf(p, chain),
    tokens: tokensOf(chain, p.spent),
  };
}

/**
 * The prefixes to keep: a prefix that lies on a kept complete path adds nothing that path does not
 * already teach, so it is dropped and its rejected paths no longer point to it.
 */
function prefixesOffKeptPaths(
  candidates: Map<string, TrajectoryRecord>,
  kept: TrajectoryRecord[],
  rejections: RejectedRecord[],
): TrajectoryRecord[] {
  const keptPaths = kept.map((t) => t.branch_path);
  const out: TrajectoryRecord[] = [];
  for (const [path, record] of [...candidates.entries()].sort((a, b) => comparePaths(a[0], b[0]))) {
    if (keptPaths.some((k) => k === path || k.startsWith(`${path}.`))) {
      for (const r of rejections) if (r.prefix_kept === record.id) r.prefix_kept = null;
      continue;
    }
    out.push(record);
  }
  return out;
}

/** The case's outcome: its records and the tree's counts, tokens and requests. */
function caseOutcome(
  tree: CaseTree,
  goldNode: string | null,
  trajectories: TrajectoryRecord[],
  rejections: RejectedRecord[],
  failedBranches: CaseOutcome['failed_branches'],
): CaseOutcome {
  const byReason: CaseOutcome['rejected_by_reason'] = {};
  for (const r of rejections) byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
  const treeNodes = [...tree.nodes.values()];
  // Tokens and requests of the tree: its turns, and the candidates that failed (they were paid for too).
  const spentOn = [
    ...treeNodes,
    ...(tree.unused ?? []),
    ...tree.failures.map((f) => ({ usage: f.usage ?? NO_TOKENS, requests: f.requests ?? 0 })),
  ];
  return {
    case_id: tree.testCase.id,
    gold_diagnosis: tree.testCase.gold.short,
    gold_node: goldNode,
    nodes: treeNodes.length,
    leaves: tree.leaves.length,
    complete: trajectories.filter((t) => t.kind === 'complete').length,
    prefixes: trajectories.filter((t) => t.kind === 'prefix').length,
    rejected: rejections.length,
    rejected_by_reason: byReason,
    failed_branches: failedBranches,
    unfinished_branches: tree.leaves.filter((l) => l.status === 'failed').length,
    tokens: tokenRecord(spentOn.reduce<TokenUsage>((sum, n) => addUsage(sum, n.usage), NO_TOKENS)),
    requests: spentOn.reduce((sum, n) => sum + n.requests, 0),
    failed_calls: (tree.callFailures ?? []).length,
    timeouts: (tree.callFailures ?? []).filter((f) => f.kind === 'timeout').length,
    retries: (tree.callFailures ?? []).filter((f) => f.retried).length,
    depth: Math.max(0, ...treeNodes.map((n) => pathDepth(n.path))),
    trajectories,
    rejections,
  };
}

/** What scoring a path needs of its case, computed once per case. */
export interface PathContext {
  testCase: Case;
  goldNode: string | null;
  /** Evidence statements of the initial observation. */
  o1Evidence: string[];
  /** Hypothesis wordings already judged against the gold (see namesGold). */
  namesGold?: Map<string, Promise<boolean>>;
}

export interface PathScore {
  metrics: TrajectoryMetrics;
  /** The diagnosis the path committed to (null: it ended otherwise). */
  finalDiagnosis: string | null;
  judgement: Judgement;
}

/** A case's path context: its gold diagnosis linked to the KG, its initial observation as evidence. */
export async function pathContext(linker: EntityLinker, testCase: Case): Promise<PathContext> {
  return { testCase, goldNode: await linkGold(linker, testCase), o1Evidence: clinicalStatements(testCase.o1.text) };
}

/**
 * Links one root-to-leaf chain of turns to the KG, computes its DTC, RAC and grounded ordering, and
 * judges its final diagnosis (a path that did not end in one is not correct).
 */
export async function scorePath(
  kg: KgAccess,
  linker: EntityLinker,
  judge: DiagnosisJudge,
  context: PathContext,
  chain: TreeNode[],
  status: Leaf['status'],
): Promise<PathScore> {
  const textTurns: TextTurn[] = chain.map((node, i) => ({
    evidence: i === 0 ? context.o1Evidence : resultStatements((chain[i - 1] as TreeNode).results),
    differential: node.turn.differential,
    orders: node.turn.action.type === 'order_tests' ? node.turn.action.tests : [],
    answered: node.results.map((r) => r.status === 'result'),
    ...(node.turn.action.type === 'final_diagnosis' ? { final: node.turn.action.diagnosis } : {}),
  }));
  const linked = await linkTrajectory(linker, textTurns);
  const metrics = await computeTrajectoryMetrics(kg, linked, context.goldNode, {}, namesGold(judge, context));
  const last = chain[chain.length - 1];
  const finalDiagnosis = status === 'final' && last?.turn.action.type === 'final_diagnosis' ? last.turn.action.diagnosis : null;
  const judgement =
    finalDiagnosis !== null
      ? await judge.judge({ final: finalDiagnosis, gold: context.testCase.gold })
      : { correct: false, method: judge.name };
  return { metrics, finalDiagnosis, judgement };
}

/**
 * Whether a hypothesis names the case's gold: the offline judge's verdict (memoised per case), or, with an
 * LLM judge (too costly to ask about every hypothesis), the same wording as the gold's.
 */
function namesGold(judge: DiagnosisJudge, context: PathContext): (diagnosis: string) => Promise<boolean> {
  const { gold } = context.testCase;
  const memo = (context.namesGold ??= new Map());
  return (diagnosis) => {
    let verdict = memo.get(diagnosis);
    if (!verdict) {
      verdict = judge.offline
        ? judge.judge({ final: diagnosis, gold }).then((j) => j.correct)
        : Promise.resolve([gold.short, gold.long].some((g) => normalizeName(g) === normalizeName(diagnosis)));
      memo.set(diagnosis, verdict);
    }
    return verdict;
  };
}

/** A path's metrics as its record's fields. */
/** The judge's verdict on a path's final diagnosis, as records carry it (all null: the path has none). */
export function verdictOnFinal(
  finalDiagnosis: string | null,
  judgement: Judgement,
): { correct: boolean | null; judge: string | null; judge_evidence: JudgeEvidence | null } {
  if (finalDiagnosis === null) return { correct: null, judge: null, judge_evidence: null };
  return { correct: judgement.correct, judge: judgement.method, judge_evidence: judgement.evidence ?? null };
}

export function pathScores(m: Pick<TrajectoryMetrics, 'dtc' | 'rac' | 'rac0' | 'groundedOrdering' | 'answered'>): PathScores {
  return { dtc: m.dtc, rac: m.rac, rac0: m.rac0, grounded_ordering: m.groundedOrdering, answered: m.answered };
}

function provenance(settings: ScoreSettings) {
  return { policy: settings.policy, model: settings.model, prompts_version: settings.promptsVersion };
}

export function tokenRecord(usage: TokenUsage): TokenRecord {
  return { prompt: usage.prompt, completion: usage.completion, total: usage.prompt + usage.completion };
}

export function turnRecords(metrics: TrajectoryMetrics, chain: TreeNode[]): TurnRecord[] {
  return metrics.turns.map((t, i) => {
    const node = chain[i] as TreeNode;
    return {
      turn: t.turn,
      action: node.turn.action.type,
      hypothesis_distance: t.hypothesisDistance,
      gold_rank: t.goldRank,
      converging: t.converging,
      rac: t.rac,
      ignored_evidence: t.ignoredEvidence,
      updates: t.updates,
      orders: t.orders.map((o, j) => {
        const result = node.results[j];
        return { ...o, answered: result?.status === 'result', cost: result ? orderCost(result).usd : 0 };
      }),
    };
  });
}

/** A prefix for fine-tuning ends with the doctor's order, not with results nobody answers. */
function endAtAssistant(messages: ChatMessage[]): ChatMessage[] {
  const end = messages.map((m) => m.role).lastIndexOf('assistant');
  return messages.slice(0, end + 1);
}
