import type { TrajectoryRecord } from '../dataset/records';
import { dedupTrajectories } from './trainer-formats';

/** Which kept trajectories an export takes, filtered again without rebuilding (issue 20, part 1). */
export interface TrajectorySelection {
  kinds: TrajectoryRecord['kind'][];
  /** Thresholds on top of the build's: a metric that abstained (null) passes, as in the build's filter. */
  minDtc?: number;
  minRac?: number;
  dedup: boolean;
}

export interface Selected {
  records: TrajectoryRecord[];
  /** Left out by kind or threshold, and as duplicates. */
  filtered: number;
  duplicates: number;
}

export function selectTrajectories(records: TrajectoryRecord[], selection: TrajectorySelection): Selected {
  const passes = (value: number | null, threshold: number | undefined) =>
    threshold === undefined || value === null || value >= threshold;
  const wanted = records.filter(
    (r) => selection.kinds.includes(r.kind) && passes(r.dtc, selection.minDtc) && passes(r.rac, selection.minRac),
  );
  if (!selection.dedup) return { records: wanted, filtered: records.length - wanted.length, duplicates: 0 };
  const { kept, dropped } = dedupTrajectories(wanted);
  return { records: kept, filtered: records.length - wanted.length, duplicates: dropped };
}
