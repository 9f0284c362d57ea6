import { roundTo } from '../round';
import type { EpisodeRecord } from './episode';

/**
 * A hard benchmark curated from evaluations (a MedAction-300-Hard analogue): the cases the evaluated
 * policies fail most. Pure: episode records in, a ranked selection out.
 *
 * The rule, in order:
 * 1. Only cases every evaluation has a verdict on (an episode that reached a final diagnosis); an
 *    episode that failed on an error says nothing about the case.
 * 2. More policies wrong first. Ties: lower mean DTC (the hypotheses strayed further from the truth;
 *    an abstaining DTC counts after any value), more mean turns, lower mean test recall, case-file order.
 * 3. Tiers of equal failure count are taken whole while they fit; in the tier that does not, cases are
 *    dealt round-robin across body systems (the case metadata's first body system, or "(not given)"),
 *    each system's cases in rank order, so no system crowds out the others where there is a choice.
 */

export const HARDSET_RULE =
  'cases every evaluation judged; most policies wrong first, ties by lower mean DTC, more mean turns, lower mean test recall, case-file order; the last tier dealt round-robin across body systems';

export interface EvaluatedPolicy {
  /** How the policy is named in hardset.json: "kg-baseline", "openai:gpt-4o", … */
  label: string;
  records: EpisodeRecord[];
}

export interface RankedCase {
  case_id: string;
  /** Policies that got it wrong, of those evaluated. */
  failures: number;
  dtc: number | null;
  turns: number;
  test_recall: number;
  body_system: string;
}

export interface Hardset {
  /** Chosen cases, hardest first. */
  selected: RankedCase[];
  /** Cases some evaluation had no verdict on (not judged, or its episode failed). */
  left_out: number;
  candidates: number;
  policies: { policy: string; accuracy_selected: number | null; accuracy_all: number | null; cases_all: number }[];
  body_systems: Record<string, number>;
}

const mean = (values: number[]): number | null =>
  values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;

const NOT_GIVEN = '(not given)';

/** Ranks and selects `size` cases; `caseOrder` is the case file's order (the last tie-break). */
export function selectHardCases(evals: EvaluatedPolicy[], size: number, caseOrder: string[]): Hardset {
  const verdicts = evals.map((e) => new Map(e.records.filter((r) => r.status === 'final').map((r) => [r.case_id, r])));
  const position = new Map(caseOrder.map((id, i) => [id, i]));
  const judgedByAll = caseOrder.filter((id) => verdicts.every((v) => v.has(id)));
  const ranked: RankedCase[] = judgedByAll.map((id) => {
    const records = verdicts.map((v) => v.get(id) as EpisodeRecord);
    const dtc = mean(records.flatMap((r) => (r.dtc === null ? [] : [r.dtc])));
    return {
      case_id: id,
      failures: records.filter((r) => !r.correct).length,
      dtc: dtc === null ? null : roundTo(dtc, 4),
      turns: roundTo(mean(records.map((r) => r.turns_used)) as number, 4),
      test_recall: roundTo(mean(records.map((r) => r.test_recall)) as number, 4),
      body_system: records.find((r) => r.body_system.length > 0)?.body_system[0] ?? NOT_GIVEN,
    };
  });
  ranked.sort(
    (a, b) =>
      b.failures - a.failures ||
      (a.dtc ?? Infinity) - (b.dtc ?? Infinity) ||
      b.turns - a.turns ||
      a.test_recall - b.test_recall ||
      (position.get(a.case_id) as number) - (position.get(b.case_id) as number),
  );

  const selected: RankedCase[] = [];
  for (let i = 0; i < ranked.length && selected.length < size; ) {
    const tier = ranked.slice(i).filter((c) => c.failures === ranked[i]!.failures);
    i += tier.length;
    if (selected.length + tier.length <= size) selected.push(...tier);
    else selected.push(...roundRobin(tier, size - selected.length));
  }

  const chosen = new Set(selected.map((c) => c.case_id));
  const accuracy = (records: EpisodeRecord[]) =>
    records.length === 0 ? null : roundTo(records.filter((r) => r.correct).length / records.length, 4);
  const bodySystems: Record<string, number> = {};
  for (const c of selected) bodySystems[c.body_system] = (bodySystems[c.body_system] ?? 0) + 1;
  return {
    selected,
    left_out: caseOrder.length - judgedByAll.length,
    candidates: judgedByAll.length,
    policies: evals.map((e, i) => {
      const judged = [...(verdicts[i] as Map<string, EpisodeRecord>).values()];
      return {
        policy: e.label,
        accuracy_selected: accuracy(judged.filter((r) => chosen.has(r.case_id))),
        accuracy_all: accuracy(judged),
        cases_all: judged.length,
      };
    }),
    body_systems: bodySystems,
  };
}

/** `n` cases of a tier, one body system at a time (systems in the order of their hardest case). */
function roundRobin(tier: RankedCase[], n: number): RankedCase[] {
  const groups = new Map<string, RankedCase[]>();
  for (const c of tier) groups.set(c.body_system, [...(groups.get(c.body_system) ?? []), c]);
  const queues = [...groups.values()];
  const taken: RankedCase[] = [];
  for (let round = 0; taken.length < n; round++) {
    for (const q of queues) if (taken.length < n && round < q.length) taken.push(q[round] as RankedCase);
  }
  return taken;
}
