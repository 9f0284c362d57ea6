import { roundTo } from '../round';
import { REJECTION_REASONS, type RejectionReason } from '../tree/selection';
import { llmCost } from '../run/run-settings';
import type { BuildSettings } from './build-settings';
import type { CaseOutcome, TokenRecord, TrajectoryRecord } from './records';

export interface FailedCase {
  case_id: string;
  error: string;
}

/** The build summary `medaction build --json` prints (a stable interface: fields are only added). */
export interface BuildSummary {
  build_id: string;
  cases: number;
  cases_failed: number;
  trajectories_kept: number;
  prefixes_kept: number;
  rejected: number;
  /** Every request to the LLM endpoint: answered ones (repairs included) and failed ones. */
  llm_calls: number;
  /** Requests that got no usable answer (HTTP errors, timeouts, lost connections); of them, timeouts and those retried. */
  failed_calls: number;
  timeouts: number;
  retries: number;
  /** Paths that ended because a turn could not be produced. */
  failed_branches: number;
  tokens: number;
}

export interface BuildReport extends Omit<BuildSummary, 'failed_branches'> {
  config_hash: string;
  /** Configuration changes a resume was forced through (`--force`); empty for a consistent build. */
  forced_changes: string[];
  settings: Record<string, unknown>;
  cases_done: number;
  complete_kept: number;
  /** Kept trajectories (complete + prefix) per path explored. */
  acceptance_rate: number;
  rejected_by_reason: Record<RejectionReason, number>;
  tokens_detail: TokenRecord;
  /** USD of the tokens at the configured prices (null: no prices configured). */
  llm_cost_usd: number | null;
  distributions: {
    dtc: Histogram;
    rac: Histogram;
    grounded_ordering: Histogram;
    trajectories_per_case: Histogram;
    tree_nodes: Histogram;
    tree_depth: Histogram;
    /** Ballpark USD of the tests ordered on each kept trajectory (core/eval/test-costs.ts). */
    test_cost: Histogram;
  };
  /** Mean test cost (USD) of a kept trajectory, and of a case (the mean of its kept trajectories). */
  test_cost: { per_trajectory: number | null; per_case: number | null };
  failed_cases: FailedCase[];
  failed_branches: { case_id: string; branch_path: string; error: string }[];
  per_case: {
    case_id: string;
    gold_diagnosis: string;
    gold_node: string | null;
    nodes: number;
    depth: number;
    leaves: number;
    complete: number;
    prefixes: number;
    rejected: number;
    failed_branches: number;
    tokens: number;
  }[];
}

/** Counts per bin; `bins` are lower edges, the last bin is closed. */
export interface Histogram {
  bins: number[];
  counts: number[];
  mean: number | null;
  /** Values left out because the metric abstained (null). */
  abstained?: number;
}

export function histogram(all: (number | null)[], bins: number[]): Histogram {
  const values = all.filter((v): v is number => v !== null);
  const counts = bins.map(() => 0);
  for (const v of values) {
    let i = bins.length - 1;
    while (i > 0 && v < (bins[i] as number)) i--;
    counts[i] = (counts[i] as number) + 1;
  }
  const mean = values.length === 0 ? null : roundTo(values.reduce((a, b) => a + b, 0) / values.length, 4);
  return { bins, counts, mean, ...(values.length < all.length ? { abstained: all.length - values.length } : {}) };
}

/** Shares in [0, 1] by tenths. */
export const SHARE_BINS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
const COUNT_BINS = [0, 1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 50];
/** Dollars: a physical examination is free, one common lab test is about 10, a CT scan 100–300. */
export const COST_BINS = [0, 10, 25, 50, 100, 200, 400, 800, 1600, 3200];

/** The build report from the case outcomes (in case-file order) and the cases that failed outright. */
export function buildReport(settings: BuildSettings, outcomes: CaseOutcome[], failedCases: FailedCase[]): BuildReport {
  const kept = outcomes.flatMap((o) => o.trajectories);
  const rejectedByReason = Object.fromEntries(REJECTION_REASONS.map((r) => [r, 0])) as Record<RejectionReason, number>;
  for (const o of outcomes)
    for (const [r, n] of Object.entries(o.rejected_by_reason)) rejectedByReason[r as RejectionReason] += n;
  const tokens = outcomes.reduce(
    (sum, o) => ({
      prompt: sum.prompt + o.tokens.prompt,
      completion: sum.completion + o.tokens.completion,
      total: sum.total + o.tokens.total,
    }),
    { prompt: 0, completion: 0, total: 0 },
  );
  const rejected = outcomes.reduce((sum, o) => sum + o.rejected, 0);
  const complete = outcomes.reduce((sum, o) => sum + o.complete, 0);
  const prefixes = outcomes.reduce((sum, o) => sum + o.prefixes, 0);
  // Every path explored is either kept whole or rejected (failed branches included).
  const explored = complete + rejected;
  const shares = (value: (t: TrajectoryRecord) => number | null) => histogram(kept.map(value), SHARE_BINS);
  const counts = (value: (o: CaseOutcome) => number) => histogram(outcomes.map(value), COUNT_BINS);
  const trajectoryCosts = histogram(
    kept.map((t) => t.test_cost),
    COST_BINS,
  );
  return {
    build_id: settings.buildId,
    cases: outcomes.length + failedCases.length,
    cases_failed: failedCases.length,
    trajectories_kept: kept.length,
    prefixes_kept: prefixes,
    rejected,
    llm_calls: outcomes.reduce((sum, o) => sum + o.requests + o.failed_calls, 0),
    failed_calls: outcomes.reduce((sum, o) => sum + o.failed_calls, 0),
    timeouts: outcomes.reduce((sum, o) => sum + o.timeouts, 0),
    retries: outcomes.reduce((sum, o) => sum + o.retries, 0),
    tokens: tokens.total,
    config_hash: settings.configHash,
    forced_changes: settings.forced,
    settings: {
      policy: settings.policy,
      model: settings.model,
      branching: settings.branching,
      max_turns: settings.maxTurns,
      node_budget: settings.nodeBudget,
      seed: settings.seed,
      temperature: settings.temperature,
      prune_divergent: settings.pruneDivergent,
      judge: settings.judge,
      filter: settings.filter,
      prompts_version: settings.promptsVersion,
      cases_file: settings.casesFile,
      cases_hash: settings.casesHash,
      limit: settings.limit,
    },
    cases_done: outcomes.length,
    complete_kept: complete,
    acceptance_rate: explored === 0 ? 0 : roundTo(kept.length / explored, 4),
    rejected_by_reason: rejectedByReason,
    tokens_detail: tokens,
    llm_cost_usd: llmCost(tokens, settings.llmPrices),
    distributions: {
      dtc: shares((t) => t.dtc),
      rac: shares((t) => t.rac),
      grounded_ordering: shares((t) => t.grounded_ordering),
      trajectories_per_case: counts((o) => o.trajectories.length),
      tree_nodes: counts((o) => o.nodes),
      tree_depth: counts((o) => o.depth),
      test_cost: trajectoryCosts,
    },
    test_cost: {
      per_trajectory: trajectoryCosts.mean,
      per_case: histogram(
        outcomes
          .filter((o) => o.trajectories.length > 0)
          .map((o) => o.trajectories.reduce((sum, t) => sum + t.test_cost, 0) / o.trajectories.length),
        COST_BINS,
      ).mean,
    },
    failed_cases: failedCases,
    failed_branches: outcomes.flatMap((o) => o.failed_branches.map((f) => ({ case_id: o.case_id, ...f }))),
    per_case: outcomes.map((o) => ({
      case_id: o.case_id,
      gold_diagnosis: o.gold_diagnosis,
      gold_node: o.gold_node,
      nodes: o.nodes,
      depth: o.depth,
      leaves: o.leaves,
      complete: o.complete,
      prefixes: o.prefixes,
      rejected: o.rejected,
      failed_branches: o.failed_branches.length,
      tokens: o.tokens.total,
    })),
  };
}

export function summaryOf(report: BuildReport): BuildSummary {
  const { build_id, cases, cases_failed, trajectories_kept, prefixes_kept, rejected, llm_calls, tokens } = report;
  const { failed_calls, timeouts, retries } = report;
  return {
    build_id,
    cases,
    cases_failed,
    trajectories_kept,
    prefixes_kept,
    rejected,
    llm_calls,
    failed_calls,
    timeouts,
    retries,
    failed_branches: report.failed_branches.length,
    tokens,
  };
}

/** Nothing came of the build: every case failed, or every path explored ended on a failed branch. */
export function everythingFailed(summary: BuildSummary): boolean {
  if (summary.cases > 0 && summary.cases_failed === summary.cases) return true;
  return summary.trajectories_kept === 0 && summary.rejected > 0 && summary.failed_branches === summary.rejected;
}
