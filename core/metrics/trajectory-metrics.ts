import type { KgAccess } from '../kg/access';
import { roundTo } from '../round';

/** Version of the metric definitions (docs/metrics.md): part of a build's configuration, so a change rescores. */
export const METRICS_VERSION = 'metrics-v2';

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
  /** Finding nodes the new evidence says are absent ("no fever", "AFB smear negative"). */
  negativeFindings?: string[];
  /** Evidence statements that arrived, linked or not (default: newFindings' count); 0: nothing was learnt. */
  evidenceCount?: number;
  differential: LinkedHypothesis[];
  /** Orders of this turn with the finding roots each test can reveal (see test-reveals.ts), and whether the environment answered them (default true). */
  orders: { test: string; revealRoots: string[]; answered?: boolean }[];
  /** The committed diagnosis, when this turn ends the trajectory. */
  final?: { diagnosis: string; node: string | null };
}

export interface MetricOptions {
  /** δ for unrelated or unlinked diseases. */
  distanceCap: number;
  /** A change in normalised likelihood of at least this much is a belief update (a rise or a fall). */
  updateThreshold: number;
}

export const DEFAULT_METRIC_OPTIONS: MetricOptions = { distanceCap: 6, updateThreshold: 0.05 };

/** refine: a new hypothesis within δ ≤ 1 of one held before (bacterial pneumonia after pneumonia), judged as a rise. */
export type UpdateKind = 'entry' | 'refine' | 'rise' | 'fall' | 'drop';

export interface BeliefUpdate {
  diagnosis: string;
  node: string | null;
  kind: UpdateKind;
  /** Whether the turn's new evidence supports the update; null when the KG cannot tell (abstains). */
  supported: boolean | null;
}

export interface OrderMetrics {
  test: string;
  /** The test can tell the differential's hypotheses apart, or confirm its leading one (null: no hypothesis the KG knows). */
  grounded: boolean | null;
  /** Expected information (bits) of the test over the differential: entropy of which hypotheses it would show findings for. */
  information: number;
  /** The environment returned a result (false: UNAVAILABLE — the order brought no evidence). */
  answered: boolean;
}

export interface TurnMetrics {
  turn: number;
  /** h_t: probability-weighted mean δ of the differential to the gold (null: the gold is not in the KG). */
  hypothesisDistance: number | null;
  /** 1-based rank of the first hypothesis equivalent to the gold (δ = 0), null if none. */
  goldRank: number | null;
  /** h_t < h_{t−1} or h_t ≤ 1 (null at turn 0 and when the gold is not in the KG). */
  converging: boolean | null;
  /** Belief updates of this turn: entries, refinements, rises, falls and drops of normalised likelihood, with their support. */
  updates: BeliefUpdate[];
  /** The new evidence was decisive (it refutes or singles out hypotheses) yet the differential did not move. */
  ignoredEvidence: boolean;
  /** Supported share of this turn's judged updates (0 when decisive evidence was ignored; null: nothing judged). */
  rac: number | null;
  orders: OrderMetrics[];
}

export interface TrajectoryMetrics {
  /** Share of steps t ≥ 1 that converge; null for a one-turn path and when the gold is not in the KG. */
  dtc: number | null;
  /** Mean RAC_t over turns t ≥ 1 that judged something; null when none did. */
  rac: number | null;
  /** RAC of turn 0 (the initial differential against the presentation), reported apart. */
  rac0: number | null;
  /** Grounded share of orders the KG could judge; null when it could judge none. */
  groundedOrdering: number | null;
  /** Answered share of all orders (0 when nothing was ordered: nothing was checked). */
  answered: number;
  /** Orders that came back with a result. */
  answeredOrders: number;
  /** The final diagnosis lies within δ ≤ 1 of the gold. */
  converged: boolean;
  /** δ(final, gold), the cap when there is no final diagnosis. */
  finalDistance: number;
  turns: TurnMetrics[];
}

interface Weighted {
  diagnosis: string;
  node: string | null;
  p: number;
}

/**
 * DTC, RAC, grounded ordering and answered share of one linked trajectory against a gold disease node,
 * exactly as docs/metrics.md defines them. Pure over KgAccess: the same code runs on the in-memory KG
 * and on Neo4j.
 */
export async function computeTrajectoryMetrics(
  kg: KgAccess,
  turns: LinkedTurn[],
  gold: string | null,
  options: Partial<MetricOptions> = {},
  /**
   * Whether a wording names the gold diagnosis (the offline judge's verdict): a hypothesis the KG links
   * elsewhere or not at all, but that names the gold, is at δ = 0 — the metrics must not punish a correct
   * hypothesis for the linker's miss.
   */
  namesGold?: (diagnosis: string) => Promise<boolean>,
): Promise<TrajectoryMetrics> {
  const { distanceCap: cap, updateThreshold: eps } = { ...DEFAULT_METRIC_OPTIONS, ...options };
  const linkedNodes = [
    ...new Set(
      turns.flatMap((t) => [...t.differential.map((h) => h.node), t.final?.node ?? null]).filter((n): n is string => n !== null),
    ),
  ];
  // Every δ and every annotation question, in one round trip each.
  const distances = new Map<string, number>();
  if (gold !== null && linkedNodes.length > 0) {
    const values = await kg.diseaseDistances(
      linkedNodes.map((n) => [n, gold] as [string, string]),
      cap,
    );
    linkedNodes.forEach((n, i) => distances.set(n, values[i] as number));
  }
  const annotated = new Set(linkedNodes.length > 0 ? await kg.annotatedDiseases(linkedNodes) : []);
  const nodeDelta = (node: string | null) => (node === null || gold === null ? cap : (distances.get(node) ?? cap));
  const namingGold = new Set<string>();
  if (gold !== null && namesGold) {
    const far = new Set(
      turns
        .flatMap((t) => [...t.differential, ...(t.final ? [t.final] : [])])
        .filter((x) => nodeDelta(x.node) > 1)
        .map((x) => x.diagnosis),
    );
    for (const diagnosis of far) if (await namesGold(diagnosis)) namingGold.add(diagnosis);
  }
  const delta = (x: { diagnosis: string; node: string | null }) => (namingGold.has(x.diagnosis) ? 0 : nodeDelta(x.node));

  const result: TurnMetrics[] = [];
  let previous: Weighted[] = [];
  for (const [index, turn] of turns.entries()) {
    const current = normalise(turn.differential);
    const h = gold === null ? null : current.length === 0 ? cap : current.reduce((s, x) => s + x.p * delta(x), 0);
    const before = index === 0 ? null : (result[index - 1] as TurnMetrics).hypothesisDistance;
    const rankIndex = turn.differential.findIndex((x) => delta(x) === 0);
    const judged =
      index === 0
        ? await initialSupport(kg, current, turn, annotated)
        : await judgeUpdates(kg, previous, current, turn, annotated, eps);
    result.push({
      turn: index,
      hypothesisDistance: h === null ? null : roundTo(h, 4),
      goldRank: rankIndex < 0 ? null : rankIndex + 1,
      converging: h === null || before === null || index === 0 ? null : h < before - 1e-9 || h <= 1,
      updates: judged.updates,
      ignoredEvidence: judged.ignored,
      rac: judged.ignored ? 0 : share(judged.updates.map((u) => u.supported)),
      orders: await orderMetrics(kg, current, turn, annotated),
    });
    previous = current;
  }

  const final = [...turns].reverse().find((t) => t.final)?.final;
  const finalDistance = final ? delta(final) : cap;
  return { ...summariseTurns(result), converged: final !== undefined && finalDistance <= 1, finalDistance, turns: result };
}

/** DTC, RAC, grounded ordering and answered share over a run of turn metrics (a whole trajectory, or a prefix). */
export function summariseTurns(
  turns: TurnMetrics[],
): Pick<TrajectoryMetrics, 'dtc' | 'rac' | 'rac0' | 'groundedOrdering' | 'answered' | 'answeredOrders'> {
  const first = turns[0];
  const steps = turns.slice(1).map((t) => t.converging);
  // No step (a one-turn path): nothing to converge over; premature closure is the filter's concern.
  const dtc = first === undefined || first.hypothesisDistance === null ? null : share(steps);
  const racs = turns
    .slice(1)
    .map((t) => t.rac)
    .filter((r): r is number => r !== null);
  const orders = turns.flatMap((t) => t.orders);
  const answeredOrders = orders.filter((o) => o.answered).length;
  return {
    dtc,
    rac: racs.length === 0 ? null : roundTo(racs.reduce((a, b) => a + b, 0) / racs.length, 4),
    rac0: first?.rac ?? null,
    groundedOrdering: share(orders.map((o) => o.grounded)),
    answered: orders.length === 0 ? 0 : roundTo(answeredOrders / orders.length, 4),
    answeredOrders,
  };
}

/** True share of the non-null values (null when there are none). */
function share(values: (boolean | null)[]): number | null {
  const judged = values.filter((v): v is boolean => v !== null);
  return judged.length === 0 ? null : roundTo(judged.filter(Boolean).length / judged.length, 4);
}

/**
 * The differential as a distribution: likelihoods clipped at 0 and normalised to sum 1 (all zero: uniform),
 * one entry per hypothesis. A hypothesis is the same across turns when it links to the same node, or
 * (unlinked) has the same normalised wording; repeated entries add up.
 */
function normalise(differential: LinkedHypothesis[]): Weighted[] {
  const total = differential.reduce((s, h) => s + Math.max(0, h.likelihood), 0);
  const byKey = new Map<string, Weighted>();
  for (const h of differential) {
    const p = total === 0 ? 1 / differential.length : Math.max(0, h.likelihood) / total;
    const k = key(h);
    const seen = byKey.get(k);
    if (seen) seen.p += p;
    else byKey.set(k, { diagnosis: h.diagnosis, node: h.node, p });
  }
  return [...byKey.values()];
}

const key = (h: { diagnosis: string; node: string | null }) => h.node ?? `text:${h.diagnosis.trim().toLowerCase()}`;

/** Turn 0: each hypothesis of the initial differential, supported when the presentation's findings support it. */
async function initialSupport(kg: KgAccess, current: Weighted[], turn: LinkedTurn, annotated: Set<string>) {
  const nodes = current.map((x) => x.node).filter((n): n is string => n !== null && annotated.has(n));
  const supported = new Set(
    nodes.length > 0 && turn.newFindings.length > 0 ? await kg.supportedDiseases(nodes, turn.newFindings) : [],
  );
  const updates: BeliefUpdate[] = current.map((x) => ({
    diagnosis: x.diagnosis,
    node: x.node,
    kind: 'entry',
    supported: x.node === null || !annotated.has(x.node) ? null : supported.has(x.node),
  }));
  return { updates, ignored: false };
}

/**
 * Turn t ≥ 1: what moved between the two distributions, and whether the evidence that arrived in between
 * supports each move (docs/metrics.md, RAC):
 * - an entry or rise is supported by a positive finding of the hypothesis, or by exclusion — a rival was
 *   refuted by a negative finding and fell or dropped, and nothing refutes this one;
 * - a fall or drop is supported by a negative finding of the hypothesis, or because its mass went to an
 *   entry or rise that a positive finding supports;
 * - nothing new learnt (every order UNAVAILABLE) supports no move;
 * - the KG abstains (null) on a hypothesis it has no findings for, and on the rises, falls and drops of a
 *   turn whose evidence it relates to none of the hypotheses (its annotations are incomplete; it cannot
 *   tell) — a new hypothesis, though, needs evidence that the KG relates to it.
 * A differential that does not move although the evidence refutes one of its hypotheses, or supports
 * rivals of its leading hypothesis and not the leader, ignored a decisive result.
 */
async function judgeUpdates(
  kg: KgAccess,
  previous: Weighted[],
  current: Weighted[],
  turn: LinkedTurn,
  annotated: Set<string>,
  eps: number,
): Promise<{ updates: BeliefUpdate[]; ignored: boolean }> {
  const before = new Map(previous.map((x) => [key(x), x]));
  const after = new Map(current.map((x) => [key(x), x]));
  const moves: { x: Weighted; kind: UpdateKind }[] = [];
  const refinements = await refining(
    kg,
    current.filter((x) => !before.has(key(x))),
    previous,
  );
  for (const x of current) {
    const old = before.get(key(x));
    if (!old) moves.push({ x, kind: x.node !== null && refinements.has(x.node) ? 'refine' : 'entry' });
    else if (x.p - old.p >= eps - 1e-9) moves.push({ x, kind: 'rise' });
  }
  for (const x of previous) {
    const now = after.get(key(x));
    if (!now) moves.push({ x, kind: 'drop' });
    else if (x.p - now.p >= eps - 1e-9) moves.push({ x, kind: 'fall' });
  }
  const nodes = [
    ...new Set([...previous, ...current].map((x) => x.node).filter((n): n is string => n !== null && annotated.has(n))),
  ];
  const positive = turn.newFindings;
  const negative = turn.negativeFindings ?? [];
  const learnt = (turn.evidenceCount ?? positive.length + negative.length) > 0;
  const [supportedBy, refutedBy] = await Promise.all([
    nodes.length > 0 && positive.length > 0 ? kg.supportedDiseases(nodes, positive) : Promise.resolve([]),
    nodes.length > 0 && negative.length > 0 ? kg.supportedDiseases(nodes, negative) : Promise.resolve([]),
  ]);
  const supports = new Set(supportedBy);
  const refutes = new Set(refutedBy);
  // The KG relates the evidence to some hypothesis: it can judge the turn's shifts of belief.
  const related = supports.size > 0 || refutes.size > 0;
  const rising = (kind: UpdateKind) => kind === 'entry' || kind === 'refine' || kind === 'rise';
  const known = (node: string | null): node is string => node !== null && annotated.has(node);
  const rivalRefuted = moves.some((m) => !rising(m.kind) && known(m.x.node) && refutes.has(m.x.node));
  const riseSupported = moves.some((m) => rising(m.kind) && known(m.x.node) && supports.has(m.x.node) && !refutes.has(m.x.node));
  const updates: BeliefUpdate[] = moves.map(({ x, kind }) => {
    let supported: boolean | null;
    if (!known(x.node)) supported = null;
    else if (!learnt) supported = false;
    else if (!related && kind !== 'entry')
      supported = null; // a refinement is judged like a rise
    else if (rising(kind)) supported = supports.has(x.node) || (rivalRefuted && !refutes.has(x.node));
    else supported = refutes.has(x.node) || riseSupported;
    return { diagnosis: x.diagnosis, node: x.node, kind, supported };
  });
  const held = current.filter((x) => known(x.node));
  const leader = leading(held);
  const decisive =
    learnt &&
    leader !== undefined &&
    (held.some((x) => refutes.has(x.node as string)) ||
      (held.some((x) => supports.has(x.node as string)) && !supports.has(leader.node as string)));
  return { updates, ignored: moves.length === 0 && decisive };
}

/** The hypothesis with the most mass (the first of equals), if any. */
function leading(hypotheses: Weighted[]): Weighted | undefined {
  return hypotheses.reduce<Weighted | undefined>((best, x) => (best === undefined || x.p > best.p + 1e-9 ? x : best), undefined);
}

/** The new hypotheses (linked) within δ ≤ 1 of a hypothesis held at the previous turn: refinements. */
async function refining(kg: KgAccess, entries: Weighted[], previous: Weighted[]): Promise<Set<string>> {
  const news = entries.map((x) => x.node).filter((n): n is string => n !== null);
  const olds = previous.map((x) => x.node).filter((n): n is string => n !== null);
  if (news.length === 0 || olds.length === 0) return new Set();
  const pairs = news.flatMap((n) => olds.map((o) => [n, o] as [string, string]));
  const distances = await kg.diseaseDistances(pairs, 2);
  return new Set(pairs.filter((_, i) => (distances[i] as number) <= 1).map(([n]) => n));
}

/**
 * Each order against the current differential (docs/metrics.md, grounded ordering): for every hypothesis
 * the KG has findings for, which of the test's roots it has findings under. The test's expected
 * information is the entropy of those answers weighted by the hypotheses' probabilities; it is grounded
 * when that information is positive (the result would tell hypotheses apart) or when it would show
 * findings of the leading hypothesis holding at least half the mass (a confirmatory test).
 */
async function orderMetrics(
  kg: KgAccess,
  current: Weighted[],
  turn: LinkedTurn,
  annotated: Set<string>,
): Promise<OrderMetrics[]> {
  const known = current.filter((x) => x.node !== null && annotated.has(x.node));
  const allRoots = [...new Set(turn.orders.flatMap((o) => o.revealRoots))];
  const rootsOf =
    known.length > 0 && allRoots.length > 0
      ? await kg.findingRootsOf(
          known.map((x) => x.node as string),
          allRoots,
        )
      : {};
  const mass = known.reduce((s, x) => s + x.p, 0);
  const leader = leading(known);
  return turn.orders.map((order) => {
    const answered = order.answered ?? true;
    // Nothing the KG knows to weigh the test against, or a test nobody can say anything about: abstain.
    if (known.length === 0 || mass === 0 || order.revealRoots.length === 0)
      return { test: order.test, grounded: null, information: 0, answered };
    const reveals = new Set(order.revealRoots);
    const signature = (x: Weighted) =>
      (rootsOf[x.node as string] ?? [])
        .filter((r) => reveals.has(r))
        .sort()
        .join(' ');
    const bySignature = new Map<string, number>();
    for (const x of known) bySignature.set(signature(x), (bySignature.get(signature(x)) ?? 0) + x.p / mass);
    const information = [...bySignature.values()].reduce((s, q) => (q > 0 ? s - q * Math.log2(q) : s), 0);
    const shows = [...bySignature.entries()].some(([s, q]) => s !== '' && q > 0);
    const confirms = leader !== undefined && signature(leader) !== '' && leader.p / mass >= 0.5;
    return {
      test: order.test,
      grounded: shows && (information > 1e-9 || confirms),
      information: roundTo(information, 4),
      answered,
    };
  });
}
