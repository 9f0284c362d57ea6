import { pathDepth } from './branch-path';
import { allocateBudget, lineCost } from './budget';
import type { Leaf } from './node';

/**
 * The decisions of a tree's exploration, as pure functions the workflow code applies: whether a node
 * ends its path before it is expanded, what budget each child gets, which children are pruned or end
 * at once, and which of the children left are explored in the same workflow or in child workflows.
 */

/** A node to explore: its path, its budget of descendants, whether it is a final diagnosis, its h. */
export interface ExploreNode {
  path: string;
  budget: number;
  final: boolean;
  /** The node's hypothesis distance to the gold, when early pruning is on (null: unknown / the root). */
  h: number | null;
}

/** The leaf a node is without being expanded — a final diagnosis, no budget left, the turn limit — or null. */
export function leafBeforeExpansion(node: ExploreNode, maxTurns: number): Leaf | null {
  if (node.final) return { path: node.path, status: 'final' };
  if (node.budget <= 0) return { path: node.path, status: 'budget' };
  if (pathDepth(node.path) >= maxTurns)
    return { path: node.path, status: 'failed', error: 'the turn limit was reached without a final diagnosis' };
  return null;
}

/**
 * The children an expansion keeps, each with its share of the node's budget (allocateBudget: each one
 * guaranteed a line down to the turn limit), in candidate order.
 */
export function childrenWithBudgets(
  node: ExploreNode,
  children: readonly { path: string; final: boolean }[],
  maxTurns: number,
): ExploreNode[] {
  const perChild = lineCost(pathDepth(node.path) + 1, maxTurns);
  return allocateBudget(node.budget, children.length, perChild).map((a) => {
    const child = children[a.index] as { path: string; final: boolean };
    // Key order as child workflows' inputs have always had it: path, budget, final, h.
    return { path: child.path, budget: a.budget, final: child.final, h: null };
  });
}

/**
 * Early pruning: a child whose differential moved away from the gold (h above its parent's) is a
 * `pruned` leaf; a final diagnosis, and any child of the root, is kept. `hs` are the children's h.
 */
export function pruneDivergent(
  parentH: number | null,
  kids: ExploreNode[],
  hs: readonly number[],
): { kept: ExploreNode[]; pruned: Leaf[] } {
  const kept: ExploreNode[] = [];
  const pruned: Leaf[] = [];
  kids.forEach((kid, i) => {
    const withH = { ...kid, h: hs[i] as number };
    if (parentH === null || withH.final || withH.h <= parentH + 1e-9) kept.push(withH);
    else pruned.push({ path: kid.path, status: 'pruned' });
  });
  return { kept, pruned };
}

/** Children that end at once (a final diagnosis, no budget) are leaves; the others are open. */
export function openChildren(kids: ExploreNode[]): { open: ExploreNode[]; leaves: Leaf[] } {
  const open: ExploreNode[] = [];
  const leaves: Leaf[] = [];
  for (const kid of kids) {
    if (kid.final) leaves.push({ path: kid.path, status: 'final' });
    else if (kid.budget <= 0) leaves.push({ path: kid.path, status: 'budget' });
    else open.push(kid);
  }
  return { open, leaves };
}

/**
 * How much of a tree one workflow explores itself: subtrees whose budgets add up to at most `limit`
 * nodes run in it, the others in child workflows. Claims are taken in tree order and are final, so
 * the same tree always splits the same way. `legacy`: histories recorded before inline subtrees ran
 * only the first open child of each node here.
 */
export class InlineAllowance {
  private left: number;

  constructor(
    limit: number,
    private readonly legacy = false,
  ) {
    this.left = limit;
  }

  /** Splits a node's open children, in order, into those explored here and those given child workflows. */
  place(open: ExploreNode[]): { here: ExploreNode[]; elsewhere: ExploreNode[] } {
    const here: ExploreNode[] = [];
    const elsewhere: ExploreNode[] = [];
    open.forEach((kid, index) => (this.claim(kid.budget, index) ? here : elsewhere).push(kid));
    return { here, elsewhere };
  }

  /** Takes `budget` nodes of the allowance if they fit (the index-th open child of its node); false if not. */
  private claim(budget: number, index: number): boolean {
    if (this.legacy) return index === 0;
    if (budget > this.left) return false;
    this.left -= budget;
    return true;
  }
}
