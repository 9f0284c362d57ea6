import { nameScore, wordSet } from '../linking/score';

/** What a correctness judge sees of a final diagnosis. */
export interface JudgeInput {
  final: string;
  /** δ(final, gold) in the KG (the cap when either is not linked). */
  finalDistance: number;
  finalNode: string | null;
  goldNode: string | null;
  gold: { short: string; long: string };
}

export interface Judgement {
  correct: boolean;
  /** How it was decided: "kg" (KG equivalence), "wording" (fallback when the KG cannot decide), "llm:<model>". */
  method: string;
}

/** Decides whether a final diagnosis is correct; KG equivalence offline, or an LLM behind the same interface. */
export interface DiagnosisJudge {
  readonly name: string;
  judge(input: JudgeInput): Promise<Judgement>;
}

/** Wordings this close (weighted Dice of their words) name the same diagnosis. */
export const WORDING_MATCH = 0.8;

/**
 * KG equivalence: correct when the final diagnosis is the gold's node, an equivalent, or its parent or
 * child (δ ≤ 1). When the KG cannot decide — the gold or the final diagnosis links to no node — the
 * wordings are compared instead (to the short and the long gold), and the record says so.
 */
export class KgEquivalenceJudge implements DiagnosisJudge {
  readonly name = 'kg';

  async judge(input: JudgeInput): Promise<Judgement> {
    if (input.goldNode !== null && input.finalNode !== null) return { correct: input.finalDistance <= 1, method: 'kg' };
    const final = wordSet(input.final);
    const correct = [input.gold.short, input.gold.long].some((g) => nameScore(final, wordSet(g)) >= WORDING_MATCH);
    return { correct, method: 'wording' };
  }
}
