import { actionKey, type DoctorTurn } from '../policy/turn';

export interface Candidate {
  /** Index among the k turns the policy produced at the node. */
  index: number;
  turn: DoctorTurn;
}

export interface MergedCandidate extends Candidate {
  /** Indexes of later candidates with the same action, merged into this one. */
  merged: number[];
}

/**
 * Identical actions become one branch: the first candidate with an action (in index order) is kept and
 * the later ones are recorded as merged into it. Different reasoning or differentials with the same
 * action are not separate branches: the oracle would answer them identically.
 */
export function mergeCandidates(candidates: Candidate[]): MergedCandidate[] {
  const byKey = new Map<string, MergedCandidate>();
  for (const c of [...candidates].sort((a, b) => a.index - b.index)) {
    const key = actionKey(c.turn.action);
    const first = byKey.get(key);
    if (first) first.merged.push(c.index);
    else byKey.set(key, { ...c, merged: [] });
  }
  return [...byKey.values()];
}
