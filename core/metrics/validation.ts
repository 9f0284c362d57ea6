import { roundTo } from '../round';

/** The metrics the validation table reports, by record field (docs/metrics.md, "Validation"). */
export const VALIDATED_METRICS = ['dtc', 'rac', 'grounded_ordering', 'answered'] as const;
export type ValidatedMetric = (typeof VALIDATED_METRICS)[number];

/** The defects of the labelled fixture and the metric meant to catch each one. */
export const DEFECT_METRIC: Record<string, ValidatedMetric> = {
  lucky_guess: 'dtc',
  stalled_differential: 'dtc',
  unsupported_jump: 'rac',
  ignoring_decisive_result: 'rac',
  ungrounded_order: 'grounded_ordering',
  shotgun_ordering: 'grounded_ordering',
  premature_closure: 'answered',
};

export interface LabelledScore {
  label: string;
  scores: Record<ValidatedMetric, number | null>;
  kept: boolean;
}

/**
 * Area under the ROC curve of a metric separating good trajectories (should score high) from one
 * defect's (should score low): the chance that a random good one scores above a random bad one, ties
 * counting half. A metric that abstains (null) passes the filter, so it counts as 1 here.
 */
export function separationAuc(good: (number | null)[], bad: (number | null)[]): number | null {
  if (good.length === 0 || bad.length === 0) return null;
  const value = (v: number | null) => v ?? 1;
  let wins = 0;
  for (const g of good) for (const b of bad) wins += value(g) > value(b) ? 1 : value(g) === value(b) ? 0.5 : 0;
  return roundTo(wins / (good.length * bad.length), 4);
}

export interface ValidationTable {
  /** Good trajectories kept by the filter, of all good ones. */
  goodKept: number;
  good: number;
  /** Per defect: how many, how many the filter rejected, and the AUC of every metric against the good ones. */
  defects: { defect: string; n: number; rejected: number; auc: Record<ValidatedMetric, number | null> }[];
}

export function validationTable(scored: LabelledScore[]): ValidationTable {
  const good = scored.filter((s) => s.label === 'good');
  const defects = [...new Set(scored.map((s) => s.label).filter((l) => l !== 'good'))].sort();
  return {
    goodKept: good.filter((s) => s.kept).length,
    good: good.length,
    defects: defects.map((defect) => {
      const bad = scored.filter((s) => s.label === defect);
      const auc = Object.fromEntries(
        VALIDATED_METRICS.map((m) => [
          m,
          separationAuc(
            good.map((s) => s.scores[m]),
            bad.map((s) => s.scores[m]),
          ),
        ]),
      ) as Record<ValidatedMetric, number | null>;
      return { defect, n: bad.length, rejected: bad.filter((s) => !s.kept).length, auc };
    }),
  };
}
