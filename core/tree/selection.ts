import { summariseTurns, type TrajectoryMetrics, type TurnMetrics } from '../metrics/trajectory-metrics';
import type { LeafStatus } from './node';

/** The pruning and filtering thresholds (config `build.filter`). */
export interface FilterSettings {
  /** Keep a complete path only if its DTC is at least this. */
  minDtc: number;
  /** Keep a path (complete or prefix) only if its RAC is at least this. */
  minRac: number;
  /** Keep a path only if at least this share of its orders are grounded. */
  minGroundedOrdering: number;
  /** Keep a path only if at least this share of its orders came back with a result (not UNAVAILABLE). */
  minAnswered: number;
  /** A kept prefix has at least this many turns. */
  minPrefixTurns: number;
}

export const DEFAULT_FILTER: FilterSettings = {
  minDtc: 0.5,
  minRac: 0.5,
  minGroundedOrdering: 0.5,
  minAnswered: 0.5,
  minPrefixTurns: 2,
};

export const REJECTION_REASONS = [
  'branch_failed',
  'no_final_diagnosis',
  'incorrect_diagnosis',
  'diverged',
  'unsupported_updates',
  'ungrounded_orders',
  'premature_closure',
  'unanswered_orders',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export interface PathVerdict {
  /** Kept whole: a complete path to a correct diagnosis that passes every threshold. */
  complete: boolean;
  /** Why the whole path was not kept (undefined when it was). */
  reason?: RejectionReason;
  /** Number of leading turns kept as a prefix of a rejected path (undefined: none). */
  prefixTurns?: number;
}

/**
 * The pipeline's filter for one root-to-leaf path, from its metrics:
 * 1. a complete path (ended by a final diagnosis) is kept when the diagnosis is correct, DTC, RAC and
 *    grounded ordering reach their thresholds (a metric that abstains, null, passes), at least one order
 *    was answered before the diagnosis (else premature closure) and the answered share reaches
 *    minAnswered (0 turns both checks off); otherwise it is rejected with the first reason that
 *    applies, in the order of REJECTION_REASONS;
 * 2. a rejected path may still yield a *prefix*: its longest run of leading turns that ends with an
 *    order (not the final turn), converges at every step (h falls, or is within 1), has the gold in the
 *    differential of its last turn, is at least minPrefixTurns long and passes the RAC, grounding and
 *    answered thresholds on its own turns.
 */
export function judgePath(
  status: LeafStatus,
  metrics: TrajectoryMetrics,
  correct: boolean,
  settings: FilterSettings,
): PathVerdict {
  const below = (value: number | null, threshold: number) => value !== null && value < threshold;
  const reason: RejectionReason | undefined =
    status === 'failed'
      ? 'branch_failed'
      : status !== 'final'
        ? 'no_final_diagnosis'
        : !correct
          ? 'incorrect_diagnosis'
          : below(metrics.dtc, settings.minDtc)
            ? 'diverged'
            : below(metrics.rac, settings.minRac)
              ? 'unsupported_updates'
              : below(metrics.groundedOrdering, settings.minGroundedOrdering)
                ? 'ungrounded_orders'
                : metrics.answeredOrders === 0 && settings.minAnswered > 0
                  ? 'premature_closure'
                  : metrics.answered < settings.minAnswered
                    ? 'unanswered_orders'
                    : undefined;
  if (reason === undefined) return { complete: true };
  const prefixTurns = longestPrefix(metrics.turns, status === 'final', settings);
  return { complete: false, reason, ...(prefixTurns !== undefined ? { prefixTurns } : {}) };
}

function longestPrefix(turns: TurnMetrics[], endsWithFinal: boolean, settings: FilterSettings): number | undefined {
  // Turns that ordered tests: every turn but a final one.
  const orderTurns = endsWithFinal ? turns.length - 1 : turns.length;
  let converging = 0; // leading turns whose every step converges
  while (converging < orderTurns && (converging === 0 || turns[converging]?.converging === true)) converging++;
  for (let n = converging; n >= Math.max(1, settings.minPrefixTurns); n--) {
    const prefix = turns.slice(0, n);
    if ((prefix[n - 1] as TurnMetrics).goldRank === null) continue;
    const s = summariseTurns(prefix);
    const passes = (value: number | null, threshold: number) => value === null || value >= threshold;
    if (
      passes(s.rac, settings.minRac) &&
      passes(s.groundedOrdering, settings.minGroundedOrdering) &&
      s.answered >= settings.minAnswered
    )
      return n;
  }
  return undefined;
}
