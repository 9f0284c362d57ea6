import type { KgAccess } from '../kg/access';
import { roundTo } from '../round';

/** A differential entry with its disease linked to the KG (null: not linked). */
export interface LinkedHypothesis {
  diagnosis: string;
  node: string | null;
  likelihood: number;
}

/** One turn, linked: the evidence that arrived before it, the differential, and the orders it made. */
export interface LinkedTurn {
  /** Finding nodes of the evidence seen since the previous turn (turn 0: the initial observation). */
  newFindings: string[];
  differential: LinkedHypothesis[];
  /** Orders of this turn with the finding roots each test can reveal (see test-reveals.ts). */
  orders: { test: string; revealRoots: string[] }[];
  /** The committed diagnosis, when this turn ends the trajectory. */
  final?: { diagnosis: string; node: string | null };
}

export interface MetricOptions {
  /** δ for unrelated or unlinked diseases. */
  distanceCap: number;
}

export const DEFAULT_METRIC_OPTIONS: MetricOptions = { distanceCap: 6 };

export interface TurnMetrics {
  turn: number;
  /** h_t: likelihood-weighted mean δ of the differential to the gold (the cap for an empty differential). */
  hypothesisDistance: number;
  /** 1-based rank of the first hypothesis equivalent to the gold (δ = 0), null if none. */
  goldRank: number | null;
  /** h_t ≤ h_{t−1} (null at turn 0). */
  converging: boolean | null;
  /** Belief updates of this turn (diseases entering the differential or rising in likelihood) and their support. */
  updates: { diagnosis: string; node: string | null; supported: boolean }[];
  /** Supported share of this turn's updates (null: no updates). */
  rac: number | null;
  orders: { test: string; grounded: boolean }[];
}

export interface TrajectoryMetrics {
  /** Share of consecutive turns with h_{t+1} ≤ h_t (1 for a single turn). */
  dtc: number;
  /** Supported share of all belief updates (1 when there are none). */
  rac: number;
  /** Grounded share of all orders (1 when there are none). */
  groundedOrdering: number;
  /** The final diagnosis lies within δ ≤ 1 of the gold. */
  converged: boolean;
  /** δ(final, gold), the cap when there is no final diagnosis. */
  finalDistance: number;
  turns: TurnMetrics[];
}

/**
 * DTC, RAC and grounded ordering of one linked trajectory against a gold disease node, exactly as
 * docs/metrics.md defines them. Pure over KgAccess: the same code runs on the in-memory KG and on Neo4j.
 */
export async function computeTrajectoryMetrics(
  kg: KgAccess,
  turns: LinkedTurn[],
  gold: string | null,
  options: MetricOptions = DEFAULT_METRIC_OPTIONS,
): Promise<TrajectoryMetrics> {
  const cap = options.distanceCap;
  // Every δ needed, in one round trip.
  const nodes = [
    ...new Set(
      turns.flatMap((t) => [...t.differential.map((h) => h.node), t.final?.node ?? null]).filter((n): n is string => n !== null),
    ),
  ];
  const distances = new Map<string, number>();
  if (gold !== null && nodes.length > 0) {
    const values = await kg.diseaseDistances(
      nodes.map((n) => [n, gold] as [string, string]),
      cap,
    );
    nodes.forEach((n, i) => distances.set(n, values[i] as number));
  }
  const delta = (node: string | null) => (node === null || gold === null ? cap : (distances.get(node) ?? cap));

  const result: TurnMetrics[] = [];
  let previous: LinkedHypothesis[] = [];
  for (const [index, turn] of turns.entries()) {
    const hypothesisDistance = weightedDistance(turn.differential, delta, cap);
    const rankIndex = turn.differential.findIndex((h) => delta(h.node) === 0);
    const updates = beliefUpdates(previous, turn.differential);
    const updateNodes = updates.map((u) => u.node).filter((n): n is string => n !== null);
    const supported = new Set(
      updateNodes.length > 0 && turn.newFindings.length > 0 ? await kg.supportedDiseases(updateNodes, turn.newFindings) : [],
    );
    const linkedDifferential = turn.differential.map((h) => h.node).filter((n): n is string => n !== null);
    const orders = [];
    for (const order of turn.orders) {
      const grounded =
        order.revealRoots.length > 0 &&
        linkedDifferential.length > 0 &&
        (await kg.diseasesWithFindingsUnder(linkedDifferential, order.revealRoots)).length > 0;
      orders.push({ test: order.test, grounded });
    }
    const scoredUpdates = updates.map((u) => ({ ...u, supported: u.node !== null && supported.has(u.node) }));
    result.push({
      turn: index,
      hypothesisDistance: roundTo(hypothesisDistance, 4),
      goldRank: rankIndex < 0 ? null : rankIndex + 1,
      converging: index === 0 ? null : hypothesisDistance <= (result[index - 1] as TurnMetrics).hypothesisDistance + 1e-9,
      updates: scoredUpdates,
      rac: scoredUpdates.length === 0 ? null : roundTo(scoredUpdates.filter((u) => u.supported).length / scoredUpdates.length, 4),
      orders,
    });
    previous = turn.differential;
  }

  const final = [...turns].reverse().find((t) => t.final)?.final;
  const finalDistance = final ? delta(final.node) : cap;
  return { ...summariseTurns(result), converged: final !== undefined && finalDistance <= 1, finalDistance, turns: result };
}

/** DTC, RAC and grounded ordering over a run of turn metrics (a whole trajectory, or a prefix of one). */
export function summariseTurns(turns: TurnMetrics[]): Pick<TrajectoryMetrics, 'dtc' | 'rac' | 'groundedOrdering'> {
  const pairs = turns.slice(1);
  const allUpdates = turns.flatMap((t) => t.updates);
  const allOrders = turns.flatMap((t) => t.orders);
  return {
    dtc: pairs.length === 0 ? 1 : roundTo(pairs.filter((t) => t.converging).length / pairs.length, 4),
    rac: allUpdates.length === 0 ? 1 : roundTo(allUpdates.filter((u) => u.supported).length / allUpdates.length, 4),
    groundedOrdering: allOrders.length === 0 ? 1 : roundTo(allOrders.filter((o) => o.grounded).length / allOrders.length, 4),
  };
}

function weightedDistance(differential: LinkedHypothesis[], delta: (node: string | null) => number, cap: number): number {
  const total = differential.reduce((sum, h) => sum + Math.max(0, h.likelihood), 0);
  if (differential.length === 0) return cap;
  // All-zero likelihoods: every hypothesis counts the same.
  if (total === 0) return differential.reduce((sum, h) => sum + delta(h.node), 0) / differential.length;
  return differential.reduce((sum, h) => sum + Math.max(0, h.likelihood) * delta(h.node), 0) / total;
}

/**
 * Hypotheses that entered the differential or rose in likelihood since the previous turn. A hypothesis is
 * the same across turns when it links to the same node, or (unlinked) has the same normalised wording.
 */
function beliefUpdates(previous: LinkedHypothesis[], current: LinkedHypothesis[]): { diagnosis: string; node: string | null }[] {
  const key = (h: LinkedHypothesis) => h.node ?? `text:${h.diagnosis.trim().toLowerCase()}`;
  const before = new Map<string, number>();
  for (const h of previous) before.set(key(h), Math.max(before.get(key(h)) ?? 0, h.likelihood));
  const seen = new Set<string>();
  const updates = [];
  for (const h of current) {
    const k = key(h);
    if (seen.has(k)) continue;
    seen.add(k);
    const old = before.get(k);
    if (old === undefined || h.likelihood > old + 1e-9) updates.push({ diagnosis: h.diagnosis, node: h.node });
  }
  return updates;
}
