/** What a correctness judge sees of a final diagnosis. */
export interface JudgeInput {
  final: string;
  gold: { short: string; long: string };
}

export interface Judgement {
  correct: boolean;
  /**
   * How it was decided: by the offline judge, the rule that decided ("same-wording", "more-specific",
   * "shorter-wording", "kg-equivalent", "shared-words"; "different" or "unreadable" when wrong);
   * "llm:<model>" by an LLM judge; "kg"/"wording" in records of the older KG-equivalence judge.
   */
  method: string;
  /** What the offline judge found: the gold's conditions and which answer part named each, how. */
  evidence?: JudgeEvidence;
}

/** One gold condition found in an answer part. */
export interface PartMatch {
  gold: string;
  answer: string;
  method: string;
  /** The KG nodes (answer's, gold's) of a KG match. */
  nodes?: [string, string];
  /** The weighted share of the gold's words the answer says, and its F1 with the reverse share. */
  share?: number;
  f1?: number;
}

export interface JudgeEvidence {
  /** The gold's conditions (principal phrases) as the judge read them. */
  gold: string[];
  /** The conditions found, in order; for a wrong answer, the ones found before the first that was not. */
  matches: PartMatch[];
}

/** Decides whether a final diagnosis is correct; KG equivalence offline, or an LLM behind the same interface. */
export interface DiagnosisJudge {
  readonly name: string;
  /** Cheap and local (no LLM call): the metrics may also ask it whether a hypothesis names the gold. */
  readonly offline?: boolean;
  judge(input: JudgeInput): Promise<Judgement>;
}
