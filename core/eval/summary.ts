import { llmCost, type LlmPrices } from '../run/run-settings';
import { roundTo } from '../round';
import type { EpisodeRecord } from './episode';

/** The evaluation summary `medaction eval --json` prints (a stable interface: fields are only added). */
export interface EvalSummary {
  cases: number;
  accuracy: number;
  /** Wilson score interval at 95 %. */
  accuracy_ci95: [number, number];
  /** Mean over the cases that ordered anything (null: none did). */
  test_precision: number | null;
  test_recall: number;
  mean_turns: number;
  mean_cost: number;
  dtc: number | null;
  rac: number | null;
}

export interface EvalGroup {
  value: string;
  cases: number;
  correct: number;
  accuracy: number;
  accuracy_ci95: [number, number];
  mean_turns: number;
  mean_cost: number;
}

/** eval.json: the summary, what produced it, and the breakdowns. */
export interface EvalReport extends EvalSummary {
  eval_id: string;
  policy: string;
  model: string | null;
  /** The correctness judge: "kg" (KG equivalence, wording when the KG cannot decide) or "llm:<model>". */
  judge: string;
  /** How many cases each judge method decided ("kg", "wording", "llm:<model>"). */
  judged_by: Record<string, number>;
  max_turns: number;
  cases_file: string;
  cases_hash: string;
  test_costs_version: string;
  correct: number;
  /** Episodes that ended without a final diagnosis (counted as wrong). */
  episodes_failed: number;
  /** Cases that could not be run at all (not in eval.jsonl; counted as wrong in the accuracy). */
  cases_failed: { case_id: string; error: string }[];
  grounded_ordering: number | null;
  mean_orders: number;
  unavailable_share: number | null;
  tokens: number;
  /** USD of the tokens at the configured prices (null: no prices configured). */
  llm_cost_usd: number | null;
  llm_calls: number;
  breakdowns: { by: string; groups: EvalGroup[] }[];
}

const Z95 = 1.959964;

/** The Wilson score interval of a proportion (95 %): sound at small n and at 0 or 1, unlike the normal one. */
export function wilsonInterval(successes: number, n: number, z = Z95): [number, number] {
  if (n === 0) return [0, 1];
  const p = successes / n;
  const denominator = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denominator;
  return [roundTo(Math.max(0, centre - half), 4), roundTo(Math.min(1, centre + half), 4)];
}

const mean = (values: number[]): number =>
  values.length === 0 ? 0 : roundTo(values.reduce((a, b) => a + b, 0) / values.length, 4);
/** Mean of the values a metric gave (null: every one abstained). */
const meanOf = (values: (number | null)[]): number | null => {
  const given = values.filter((v): v is number => v !== null);
  return given.length === 0 ? null : mean(given);
};

/**
 * The summary of an evaluation. A case that could not be run at all counts as a wrong answer (so a
 * flaky endpoint cannot raise the accuracy) but adds nothing to the means of the others.
 */
export function evalSummary(records: EpisodeRecord[], failedCases = 0): EvalSummary {
  const n = records.length + failedCases;
  const correct = records.filter((r) => r.correct).length;
  const precisions = records.flatMap((r) => (r.test_precision === null ? [] : [r.test_precision]));
  return {
    cases: n,
    accuracy: n === 0 ? 0 : roundTo(correct / n, 4),
    accuracy_ci95: wilsonInterval(correct, n),
    test_precision: precisions.length === 0 ? null : mean(precisions),
    test_recall: mean(records.map((r) => r.test_recall)),
    mean_turns: mean(records.map((r) => r.turns_used)),
    mean_cost: mean(records.map((r) => r.test_cost)),
    dtc: meanOf(records.map((r) => r.dtc)),
    rac: meanOf(records.map((r) => r.rac)),
  };
}

/** The metadata accuracy is broken down by: case source, body system, disorder category, rare disease. */
export const BREAKDOWNS: { by: string; values: (r: EpisodeRecord) => string[] }[] = [
  { by: 'source', values: (r) => [r.source] },
  { by: 'body_system', values: (r) => (r.body_system.length > 0 ? r.body_system : ['(not given)']) },
  { by: 'disorder_category', values: (r) => (r.disorder_category.length > 0 ? r.disorder_category : ['(not given)']) },
  { by: 'rare_disease', values: (r) => [r.rare_disease === null ? '(not given)' : r.rare_disease ? 'rare' : 'not rare'] },
];

/** Accuracy per metadata value; a case with several values (two body systems) counts in each. Largest groups first. */
export function breakdowns(records: EpisodeRecord[]): EvalReport['breakdowns'] {
  return BREAKDOWNS.map(({ by, values }) => {
    const groups = new Map<string, EpisodeRecord[]>();
    for (const r of records) for (const v of new Set(values(r))) groups.set(v, [...(groups.get(v) ?? []), r]);
    return {
      by,
      groups: [...groups.entries()]
        .map(([value, rs]) => {
          const correct = rs.filter((r) => r.correct).length;
          return {
            value,
            cases: rs.length,
            correct,
            accuracy: roundTo(correct / rs.length, 4),
            accuracy_ci95: wilsonInterval(correct, rs.length),
            mean_turns: mean(rs.map((r) => r.turns_used)),
            mean_cost: mean(rs.map((r) => r.test_cost)),
          };
        })
        .sort((a, b) => b.cases - a.cases || a.value.localeCompare(b.value)),
    };
  });
}

export interface EvalRunInfo {
  evalId: string;
  policy: string;
  model: string | null;
  judge: string;
  maxTurns: number;
  casesFile: string;
  casesHash: string;
  testCostsVersion: string;
  llmPrices?: LlmPrices | null;
}

/** eval.json from the per-case records (in case-file order) and the cases that could not be run. */
export function evalReport(
  info: EvalRunInfo,
  records: EpisodeRecord[],
  failedCases: { case_id: string; error: string }[],
): EvalReport {
  const judgedBy: Record<string, number> = {};
  for (const r of records) if (r.status === 'final') judgedBy[r.judge] = (judgedBy[r.judge] ?? 0) + 1;
  const orders = records.reduce((sum, r) => sum + r.orders, 0);
  return {
    ...evalSummary(records, failedCases.length),
    eval_id: info.evalId,
    policy: info.policy,
    model: info.model,
    judge: info.judge,
    judged_by: judgedBy,
    max_turns: info.maxTurns,
    cases_file: info.casesFile,
    cases_hash: info.casesHash,
    test_costs_version: info.testCostsVersion,
    correct: records.filter((r) => r.correct).length,
    episodes_failed: records.filter((r) => r.status === 'failed').length,
    cases_failed: failedCases,
    grounded_ordering: meanOf(records.map((r) => r.grounded_ordering)),
    mean_orders: mean(records.map((r) => r.orders)),
    unavailable_share: orders === 0 ? null : roundTo(records.reduce((sum, r) => sum + r.unavailable, 0) / orders, 4),
    tokens: records.reduce((sum, r) => sum + r.tokens.total, 0),
    llm_cost_usd: llmCost(
      records.reduce((sum, r) => ({ prompt: sum.prompt + r.tokens.prompt, completion: sum.completion + r.tokens.completion }), {
        prompt: 0,
        completion: 0,
      }),
      info.llmPrices,
    ),
    llm_calls: records.reduce((sum, r) => sum + r.requests, 0),
    breakdowns: breakdowns(records),
  };
}

/** The fields `--json` prints, in the documented order. */
export function summaryFields(report: EvalReport): EvalSummary {
  const { cases, accuracy, accuracy_ci95, test_precision, test_recall, mean_turns, mean_cost, dtc, rac } = report;
  return { cases, accuracy, accuracy_ci95, test_precision, test_recall, mean_turns, mean_cost, dtc, rac };
}
