import { roundTo } from '../round';

/** One judged pair with its reference label (absent: unlabelled). */
export interface LabelledVerdict {
  verdict: boolean;
  reference?: boolean;
  method: string;
}

/** Agreement of a judge with reference labels: `medaction judge --json`. */
export interface Agreement {
  n: number;
  labelled: number;
  /** Cohen's kappa between verdicts and reference labels (null without labels). */
  kappa: number | null;
  /** Share of reference-correct answers judged correct, of reference-wrong ones judged wrong. */
  accepted_correct: number | null;
  rejected_wrong: number | null;
  tp: number | null;
  fp: number | null;
  tn: number | null;
  fn: number | null;
  /** Verdicts by the method that decided them. */
  methods: Record<string, number>;
}

export function agreement(verdicts: LabelledVerdict[]): Agreement {
  const methods: Record<string, number> = {};
  for (const v of verdicts) methods[v.method] = (methods[v.method] ?? 0) + 1;
  const labelled = verdicts.filter((v) => v.reference !== undefined);
  const base = { n: verdicts.length, labelled: labelled.length };
  if (labelled.length === 0) {
    return {
      ...base,
      kappa: null,
      accepted_correct: null,
      rejected_wrong: null,
      tp: null,
      fp: null,
      tn: null,
      fn: null,
      methods: sortedCounts(methods),
    };
  }
  const count = (verdict: boolean, reference: boolean) =>
    labelled.filter((v) => v.verdict === verdict && v.reference === reference).length;
  const tp = count(true, true);
  const fp = count(true, false);
  const tn = count(false, false);
  const fn = count(false, true);
  return {
    ...base,
    kappa: cohensKappa(tp, fp, tn, fn),
    accepted_correct: tp + fn === 0 ? null : roundTo(tp / (tp + fn), 4),
    rejected_wrong: tn + fp === 0 ? null : roundTo(tn / (tn + fp), 4),
    tp,
    fp,
    tn,
    fn,
    methods: sortedCounts(methods),
  };
}

/** Cohen's kappa of a 2×2 table (1 when both raters agree on everything, even on one class). */
export function cohensKappa(tp: number, fp: number, tn: number, fn: number): number {
  const n = tp + fp + tn + fn;
  if (n === 0) return 0;
  const observed = (tp + tn) / n;
  const expected = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / (n * n);
  if (expected === 1) return 1;
  return roundTo((observed - expected) / (1 - expected), 4);
}

function sortedCounts(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}
