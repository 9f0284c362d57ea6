/**
 * The per-case node budget, shared out deterministically so that branches explored in parallel never
 * need to coordinate: a node with budget B may have at most B descendants. Its distinct candidates
 * (at most B of them) each take one, and what is left is split evenly between them, the earlier
 * candidates taking the remainder. The same tree and budget always give the same allocation.
 */
export interface Allocation {
  /** Index into the candidates given. */
  index: number;
  /** Descendants the child may have. */
  budget: number;
}

export function allocateBudget(budget: number, candidates: number): Allocation[] {
  if (!Number.isInteger(budget) || budget < 0) throw new Error(`budget must be a whole number >= 0, got ${budget}`);
  const kept = Math.min(budget, candidates);
  if (kept === 0) return [];
  const rest = budget - kept;
  const share = Math.floor(rest / kept);
  const extra = rest % kept;
  return Array.from({ length: kept }, (_, index) => ({ index, budget: share + (index < extra ? 1 : 0) }));
}
