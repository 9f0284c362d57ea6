import type { Case } from '../cases/model';
import { TestMenuOracle } from './oracle';

/** One hand-labelled example: the menu items (by name) a clinician expects an order to reveal; [] = UNAVAILABLE. */
export interface LabelledOrder {
  case: string;
  order: string;
  expect: string[];
  /**
   * What the example tests: a near miss (a test easy to confuse with one the report has, but absent or
   * different: other analyte, organism, region, scope, specimen) or a synonym (a reported test in other
   * words); unset: a plain order.
   */
  kind?: 'near_miss' | 'synonym';
}

export interface OracleScores {
  examples: number;
  /** Item level: returned items that were expected / all returned items. */
  precision: number;
  /** Item level: expected items that were returned / all expected items. */
  recall: number;
  /** Examples answered exactly right (same items, or UNAVAILABLE when nothing was expected). */
  exact: number;
  /** Of the orders for tests not in the report, the share answered UNAVAILABLE. */
  unavailableCorrect: number;
  mistakes: Array<{ case: string; order: string; expected: string[]; got: string[] }>;
}

/** Scores the oracle on labelled orders. Throws if a label names a case or an item that does not exist. */
export function evaluateOracle(cases: Case[], examples: LabelledOrder[]): OracleScores {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const oracles = new Map<string, TestMenuOracle>();
  let tp = 0;
  let returned = 0;
  let expected = 0;
  let exact = 0;
  let negatives = 0;
  let negativesRight = 0;
  const mistakes: OracleScores['mistakes'] = [];
  for (const ex of examples) {
    const c = byId.get(ex.case);
    if (!c) throw new Error(`labelled order "${ex.order}": no case ${ex.case}`);
    const names = new Set(c.menu.map((m) => m.name));
    for (const name of ex.expect)
      if (!names.has(name)) throw new Error(`labelled order "${ex.order}" (${ex.case}): no menu item named "${name}"`);
    let oracle = oracles.get(c.id);
    if (!oracle) oracles.set(c.id, (oracle = new TestMenuOracle(c)));
    const got = oracle.ask(ex.order).items.map((i) => i.name);
    const want = new Set(ex.expect);
    const hits = got.filter((g) => want.has(g)).length;
    tp += hits;
    returned += got.length;
    expected += want.size;
    const right = hits === want.size && got.length === want.size;
    if (right) exact++;
    else mistakes.push({ case: ex.case, order: ex.order, expected: ex.expect, got });
    if (want.size === 0) {
      negatives++;
      if (got.length === 0) negativesRight++;
    }
  }
  return {
    examples: examples.length,
    precision: returned === 0 ? 1 : tp / returned,
    recall: expected === 0 ? 1 : tp / expected,
    exact: exact / examples.length,
    unavailableCorrect: negatives === 0 ? 1 : negativesRight / negatives,
    mistakes,
  };
}
