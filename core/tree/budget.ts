/**
 * The per-case node budget, shared out deterministically so that branches explored in parallel never
 * need to coordinate. A node with budget B may have at most B descendants. A child is only worth
 * creating if it can reach a diagnosis, so each kept child is guaranteed `perChild` nodes (itself and a
 * single line down to the turn limit); as many distinct candidates are kept as the budget guarantees
 * (at least one, while B ≥ 1), and what is left over is split evenly, earlier candidates taking the
 * remainder. The same tree and budget always give the same allocation.
 */
export interface Allocation {
  /** Index into the candidates given. */
  index: number;
  /** Descendants the child may have. */
  budget: number;
}

export function allocateBudget(budget: number, candidates: number, perChild = 1): Allocation[] {
  if (!Number.isInteger(budget) || budget < 0) throw new Error(`budget must be a whole number >= 0, got ${budget}`);
  if (!Number.isInteger(perChild) || perChild < 1) throw new Error(`perChild must be a whole number >= 1, got ${perChild}`);
  const kept = Math.min(candidates, budget, Math.max(1, Math.floor(budget / perChild)));
  if (kept === 0) return [];
  const guaranteed = Math.min(perChild, Math.floor(budget / kept));
  const rest = budget - kept * guaranteed;
  const share = Math.floor(rest / kept);
  const extra = rest % kept;
  // Each child takes one node itself; the rest of its allocation is its descendants'.
  return Array.from({ length: kept }, (_, index) => ({ index, budget: guaranteed - 1 + share + (index < extra ? 1 : 0) }));
}

/** Nodes a child at `childDepth` needs for one line to the turn limit: itself and one turn per level below. */
export function lineCost(childDepth: number, maxTurns: number): number {
  return Math.max(1, maxTurns - childDepth + 1);
}
