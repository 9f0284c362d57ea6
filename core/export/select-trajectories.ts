import type { TrajectoryRecord } from '../dataset/records';
import { Deduplicator } from './trainer-formats';

/** Which kept trajectories an export takes, filtered again without rebuilding. */
export interface TrajectorySelection {
  kinds: TrajectoryRecord['kind'][];
  /** Thresholds on top of the build's: a metric that abstained (null) passes, as in the build's filter. */
  minDtc?: number;
  minRac?: number;
  dedup: boolean;
}

export type Verdict = 'taken' | 'filtered' | 'duplicate';

/** Judges records one at a time, in export order (deduplication remembers what it has taken). */
export class TrajectorySelector {
  private readonly dedup = new Deduplicator();
  readonly counts: Record<Verdict, number> = { taken: 0, filtered: 0, duplicate: 0 };

  constructor(private readonly selection: TrajectorySelection) {}

  judge(record: TrajectoryRecord): Verdict {
    const verdict = this.verdictOn(record);
    this.counts[verdict]++;
    return verdict;
  }

  private verdictOn(r: TrajectoryRecord): Verdict {
    const { kinds, minDtc, minRac, dedup } = this.selection;
    const passes = (value: number | null, threshold: number | undefined) =>
      threshold === undefined || value === null || value >= threshold;
    if (!kinds.includes(r.kind) || !passes(r.dtc, minDtc) || !passes(r.rac, minRac)) return 'filtered';
    return dedup && this.dedup.isDuplicate(r) ? 'duplicate' : 'taken';
  }
}

export interface Selected {
  records: TrajectoryRecord[];
  /** Left out by kind or threshold, and as duplicates. */
  filtered: number;
  duplicates: number;
}

export function selectTrajectories(records: TrajectoryRecord[], selection: TrajectorySelection): Selected {
  const selector = new TrajectorySelector(selection);
  const taken = records.filter((r) => selector.judge(r) === 'taken');
  return { records: taken, filtered: selector.counts.filtered, duplicates: selector.counts.duplicate };
}
