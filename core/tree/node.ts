import type { OracleItem } from '../oracle/oracle';
import type { DoctorTurn } from '../policy/turn';

/** Tokens an LLM call (or several) consumed; zero for the offline policy. */
export interface TokenUsage {
  prompt: number;
  completion: number;
}

export const NO_TOKENS: TokenUsage = { prompt: 0, completion: 0 };

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return { prompt: a.prompt + b.prompt, completion: a.completion + b.completion };
}

/** The oracle's answer to one ordered test: the case's own results, or none (UNAVAILABLE). */
export interface OrderResult {
  test: string;
  status: 'result' | 'unavailable';
  items: OracleItem[];
}

/** A node of a case's tree below the root: one doctor turn and the oracle's answers to its orders. */
export interface TreeNode {
  path: string;
  turn: DoctorTurn;
  /** One answer per ordered test, in order (empty for a final diagnosis). */
  results: OrderResult[];
  /** Candidate indexes at the parent whose identical action was merged into this node. */
  merged: number[];
  /** Tokens spent producing this turn (a repair request included). */
  usage: TokenUsage;
  /** Endpoint requests this turn took (0 offline; 2 when a repair was needed). */
  requests: number;
  /** The model's reasoning trace for this turn (`reasoning_content`), when the server returned one. */
  trace?: string;
}

/**
 * How the exploration of a path ended:
 * - final: the doctor committed to a diagnosis;
 * - budget: the case's node budget left nothing for this branch's next turn;
 * - pruned: it diverged from the gold and early pruning is on;
 * - failed: the next turn could not be produced (an invalid reply after repair, retries exhausted).
 */
export type LeafStatus = 'final' | 'budget' | 'pruned' | 'failed';

export interface Leaf {
  /** The last node of the path ("" when the root itself could not be expanded). */
  path: string;
  status: LeafStatus;
  /** Why a failed leaf failed. */
  error?: string;
  /** A failed candidate's last invalid reply (truncated). */
  reply?: string;
}

/** A candidate turn that could not be produced; its siblings go on. */
export interface CandidateFailure {
  /** The path the candidate would have had. */
  path: string;
  error: string;
  /** What its requests cost (an invalid reply and its repair are paid for too). */
  usage?: TokenUsage;
  requests?: number;
  /** The last invalid reply that failed it (truncated), when the model answered but not with a turn. */
  reply?: string;
}

/** A request to the LLM endpoint that got no usable answer (the activity attempt failed on it). */
export interface CallFailure {
  /** The node being expanded. */
  path: string;
  /** The activity attempt (1 = the first). */
  attempt: number;
  kind: 'timeout' | 'connection' | 'http';
  /** The HTTP status (null for a timeout or a connection error). */
  status: number | null;
  error: string;
  /** Another attempt followed (false: the branch failed on it). */
  retried: boolean;
}
