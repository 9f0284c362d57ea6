import {
  childrenWithBudgets,
  type ExploreNode,
  InlineAllowance,
  leafBeforeExpansion,
  openChildren,
  pruneDivergent,
} from '../../core/tree/exploration';

const node = (path: string, budget: number, extra: Partial<ExploreNode> = {}): ExploreNode => ({
  path,
  budget,
  final: false,
  h: null,
  ...extra,
});

describe('the exploration rules (core/tree/exploration.ts)', () => {
  it('ends a node before expanding it when it is a diagnosis, has no budget, or is at the turn limit', () => {
    expect(leafBeforeExpansion(node('0', 5, { final: true }), 5)).toEqual({ path: '0', status: 'final' });
    expect(leafBeforeExpansion(node('0', 0), 5)).toEqual({ path: '0', status: 'budget' });
    expect(leafBeforeExpansion(node('0.1.2', 9), 3)).toMatchObject({ path: '0.1.2', status: 'failed' });
    expect(leafBeforeExpansion(node('0.1', 9), 3)).toBeNull();
  });

  it('gives each kept child a line to the turn limit, in candidate order', () => {
    const children = [
      { path: '1', final: false },
      { path: '2', final: true },
      { path: '3', final: false },
    ];
    // Root, 3 turns: a child at depth 1 needs 3 nodes; 7 nodes keep two children (7 = 3 + 4).
    expect(childrenWithBudgets(node('', 7), children, 3)).toEqual([
      { path: '1', budget: 3, final: false, h: null },
      { path: '2', budget: 2, final: true, h: null },
    ]);
    expect(childrenWithBudgets(node('', 0), children, 3)).toEqual([]);
  });

  it('prunes a child whose differential moved away from the gold, never a diagnosis or a child of the root', () => {
    const kids = [node('0.0', 3), node('0.1', 3), node('0.2', 3, { final: true })];
    expect(pruneDivergent(1, kids, [1, 2, 5])).toEqual({
      kept: [node('0.0', 3, { h: 1 }), node('0.2', 3, { final: true, h: 5 })],
      pruned: [{ path: '0.1', status: 'pruned' }],
    });
    expect(pruneDivergent(null, kids, [9, 9, 9]).pruned).toEqual([]);
  });

  it('ends children that are diagnoses or have no budget, and keeps the others open', () => {
    expect(openChildren([node('1', 2), node('2', 0), node('3', 4, { final: true })])).toEqual({
      open: [node('1', 2)],
      leaves: [
        { path: '2', status: 'budget' },
        { path: '3', status: 'final' },
      ],
    });
  });

  it('explores subtrees in this workflow while their budgets fit the allowance, the rest in child workflows', () => {
    const allowance = new InlineAllowance(10);
    expect(allowance.place([node('1', 4), node('2', 7), node('3', 5)])).toEqual({
      here: [node('1', 4), node('3', 5)],
      elsewhere: [node('2', 7)],
    });
    // What is claimed stays claimed: one node left.
    expect(allowance.place([node('1.1', 2), node('1.2', 1)])).toEqual({ here: [node('1.2', 1)], elsewhere: [node('1.1', 2)] });
    // Histories from before inline subtrees: the first open child here, the others in child workflows.
    expect(new InlineAllowance(100, true).place([node('1', 1), node('2', 1)])).toEqual({
      here: [node('1', 1)],
      elsewhere: [node('2', 1)],
    });
  });
});
