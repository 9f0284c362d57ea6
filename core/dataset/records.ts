import type { ChatMessage } from '../policy/prompts';
import type { RejectionReason } from '../tree/selection';
import type { JudgeEvidence } from './judge';

/**
 * The lines of the exported dataset. Field names are snake_case and every line of a file has the same
 * keys with the same types (null where a value does not apply), so the Hugging Face `datasets` JSON
 * loader reads the files as they are.
 */

export interface TurnRecord {
  turn: number;
  action: 'order_tests' | 'final_diagnosis';
  /** h_t: probability-weighted KG distance of the differential to the gold (null: the gold is not in the KG). */
  hypothesis_distance: number | null;
  gold_rank: number | null;
  converging: boolean | null;
  rac: number | null;
  /** The turn's new evidence was decisive and the differential did not move. */
  ignored_evidence: boolean;
  /** Entries, refinements, rises, falls and drops of the differential; supported null: the KG abstains. */
  updates: {
    diagnosis: string;
    node: string | null;
    kind: 'entry' | 'refine' | 'rise' | 'fall' | 'drop';
    supported: boolean | null;
  }[];
  /**
   * Each ordered test: grounded in the KG (null: no hypothesis the KG knows), its expected information in
   * bits, answered by the case (else UNAVAILABLE), its ballpark cost in USD.
   */
  orders: { test: string; grounded: boolean | null; information: number; answered: boolean; cost: number }[];
}

export interface TokenRecord {
  prompt: number;
  completion: number;
  total: number;
}

/** A path's scores (docs/metrics.md); null where a metric abstains (gold or hypotheses unknown to the KG). */
export interface PathScores {
  dtc: number | null;
  rac: number | null;
  /** RAC of turn 0 (the initial differential against the presentation), kept apart from RAC. */
  rac0: number | null;
  grounded_ordering: number | null;
  /** Share of the path's orders the environment answered (0: nothing ordered). */
  answered: number;
}

export interface TrajectoryRecord extends PathScores {
  id: string;
  build_id: string;
  case_id: string;
  branch_path: string;
  /** complete: ends with a correct final diagnosis; prefix: leading turns of a rejected path. */
  kind: 'complete' | 'prefix';
  messages: ChatMessage[];
  final_diagnosis: string | null;
  gold_diagnosis: string;
  /** The final diagnosis is correct (null for a prefix, which has none). */
  correct: boolean | null;
  judge: string;
  /** What the offline judge found (core/dataset/judge.ts; null for a prefix, an LLM judge's verdict). */
  judge_evidence: JudgeEvidence | null;
  /** Ballpark USD cost of the tests ordered on the path (core/eval/test-costs.ts). */
  test_cost: number;
  turns: TurnRecord[];
  tokens: TokenRecord;
  policy: string;
  model: string | null;
  prompts_version: string;
}

export interface RejectedRecord extends PathScores {
  id: string;
  build_id: string;
  case_id: string;
  branch_path: string;
  reason: RejectionReason;
  /** The error of a failed branch (null otherwise). */
  error: string | null;
  /** The model's last invalid reply on a failed branch (truncated; null: none, or the branch failed otherwise). */
  invalid_reply: string | null;
  final_diagnosis: string | null;
  gold_diagnosis: string;
  correct: boolean | null;
  /** The judge's method and evidence for the final diagnosis (null: no final diagnosis, or an LLM judge). */
  judge: string | null;
  judge_evidence: JudgeEvidence | null;
  test_cost: number;
  turns: number;
  /** The id of the prefix of this path that was kept, if one was. */
  prefix_kept: string | null;
  messages: ChatMessage[];
  tokens: TokenRecord;
}

/** What one case contributed: written once per case, merged into the report. */
export interface CaseOutcome {
  case_id: string;
  gold_diagnosis: string;
  /** KG node the gold diagnosis links to (null: not in the KG; the judge falls back to wording). */
  gold_node: string | null;
  nodes: number;
  leaves: number;
  complete: number;
  prefixes: number;
  rejected: number;
  rejected_by_reason: Partial<Record<RejectionReason, number>>;
  failed_branches: { branch_path: string; error: string }[];
  /**
   * Branches whose next turn could not be produced at all (retries exhausted: an endpoint down too long,
   * Neo4j unreachable). A resume runs them again; a candidate refused after its repair is final.
   */
  unfinished_branches: number;
  tokens: TokenRecord;
  /** Endpoint requests behind this case's turns (offline policy: 0). */
  requests: number;
  /** Requests that got no usable answer (HTTP errors, timeouts, lost connections), and those of them retried. */
  failed_calls: number;
  timeouts: number;
  retries: number;
  /** Tree depth (turns on the longest path). */
  depth: number;
  trajectories: TrajectoryRecord[];
  rejections: RejectedRecord[];
}

export function trajectoryId(buildId: string, caseId: string, path: string, kind: 'complete' | 'prefix' | 'rejected'): string {
  return `${buildId}/${caseId}/${kind === 'complete' ? 't' : kind === 'prefix' ? 'p' : 'r'}/${path === '' ? 'root' : path}`;
}
