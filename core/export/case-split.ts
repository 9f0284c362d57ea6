import { UserError } from '../errors';
import { hash32 } from '../random';

/**
 * Splits by case, never by trajectory, so no case is in two splits (a case in train and validation
 * leaks its answer): within each case source, cases are ordered by a seeded hash of their id and dealt
 * to the splits by their shares, so every split gets each source in proportion.
 */

/** Parses `train=0.9,validation=0.1`: names (letters, digits, underscores: Hugging Face's split names) and shares that add up to 1. */
export function parseSplit(spec: string): { name: string; share: number }[] {
  const parts = spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const splits = parts.map((p) => {
    const match = /^([A-Za-z][A-Za-z0-9_]*)=(\d*\.?\d+)$/.exec(p);
    if (!match)
      throw new UserError(
        `--split: "${p}" is not name=share, the name of letters, digits and underscores (e.g. train=0.9,validation=0.1)`,
        2,
      );
    return { name: match[1] as string, share: Number(match[2]) };
  });
  if (splits.length === 0) throw new UserError('--split: no split given (e.g. train=0.9,validation=0.1)', 2);
  if (new Set(splits.map((s) => s.name)).size !== splits.length)
    throw new UserError(`--split: a split name appears twice in "${spec}"`, 2);
  const total = splits.reduce((sum, s) => sum + s.share, 0);
  if (Math.abs(total - 1) > 1e-6) throw new UserError(`--split: the shares add up to ${total}, not 1`, 2);
  return splits;
}

/** The split of every case: stratified by source, seeded, deterministic. */
export function splitCases(
  cases: { id: string; source: string }[],
  splits: { name: string; share: number }[],
  seed: number,
): Map<string, string> {
  const bySource = new Map<string, string[]>();
  for (const c of cases) bySource.set(c.source, [...(bySource.get(c.source) ?? []), c.id]);
  const assigned = new Map<string, string>();
  for (const ids of bySource.values()) {
    const ordered = [...new Set(ids)].sort((a, b) => hash32(`${seed}|${a}`) - hash32(`${seed}|${b}`) || a.localeCompare(b));
    // Largest-remainder counts: each split's share of this source, summing to its size.
    const exact = splits.map((s) => s.share * ordered.length);
    const counts = exact.map(Math.floor);
    const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    for (let k = 0; counts.reduce((a, b) => a + b, 0) < ordered.length; k++) counts[order[k % order.length]![1]]!++;
    let next = 0;
    splits.forEach((s, i) => {
      for (let n = 0; n < (counts[i] as number); n++) assigned.set(ordered[next++] as string, s.name);
    });
  }
  return assigned;
}
