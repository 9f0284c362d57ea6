import { roundTo } from '../round';
import { REJECTION_REASONS, type RejectionReason } from '../tree/selection';
import type { ScoredTrajectory } from './score-trajectory';

/** `medaction score --json`: what the filter made of the trajectories, and the mean metrics (abstentions left out). */
export interface ScoreSummary {
  n: number;
  kept: number;
  prefixes: number;
  rejected_by_reason: Record<RejectionReason, number>;
  mean_dtc: number | null;
  mean_rac: number | null;
  mean_grounded: number | null;
}

export function summariseScores(scored: ScoredTrajectory[]): ScoreSummary {
  const byReason = Object.fromEntries(REJECTION_REASONS.map((r) => [r, 0])) as Record<RejectionReason, number>;
  // Every path not kept whole counts under its reason, also when a prefix of it is kept (as in a build report).
  for (const s of scored) if (s.reason !== null) byReason[s.reason] += 1;
  const mean = (values: (number | null)[]) => {
    const given = values.filter((v): v is number => v !== null);
    return given.length === 0 ? null : roundTo(given.reduce((a, b) => a + b, 0) / given.length, 4);
  };
  return {
    n: scored.length,
    kept: scored.filter((s) => s.verdict === 'kept').length,
    prefixes: scored.filter((s) => s.verdict === 'prefix').length,
    rejected_by_reason: byReason,
    mean_dtc: mean(scored.map((s) => s.dtc)),
    mean_rac: mean(scored.map((s) => s.rac)),
    mean_grounded: mean(scored.map((s) => s.grounded_ordering)),
  };
}
