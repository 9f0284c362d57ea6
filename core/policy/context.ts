import type { PastStep } from './prompts';

/** What a doctor policy sees at a node of the tree. */
export interface PolicyContext {
  /** The initial observation as text. */
  o1: string;
  /** The turns on the way to this node, with the oracle's answers. */
  past: PastStep[];
  maxTurns: number;
  /** Build seed and node path: the key of every seeded choice. */
  seed: number;
  path: string;
}
