/**
 * Reports the oracle's precision and recall on the hand-labelled orders in
 * test/fixtures/oracle-labelled.jsonl, over the bundled sample cases (imported afresh).
 * Usage: npm run oracle:eval [-- --json] [-- --mistakes]
 */
import fs from 'node:fs';
import path from 'node:path';
import { importCases } from '../core/cases/import';
import { evaluateOracle } from '../core/oracle/evaluate';
import { roundTo } from '../core/round';
import { readLabelledOrders } from './labelled-fixtures';

const root = path.resolve(__dirname, '..');
const read = (p: string) => fs.readFileSync(path.join(root, p), 'utf8');
const cases = [
  ...importCases(read('data/cases/medrbench-dev-30.json'), 'medrbench', 'medrbench-dev-30.json').cases,
  ...importCases(read('data/cases/agentclinic-medqa.jsonl'), 'agentclinic', 'agentclinic-medqa.jsonl').cases,
];
const examples = readLabelledOrders();

const all = evaluateOracle(cases, examples);
const bySource = Object.fromEntries(
  ['medrbench', 'agentclinic'].map((source) => {
    const s = evaluateOracle(
      cases,
      examples.filter((e) => cases.find((c) => c.id === e.case)?.source === source),
    );
    return [source, { examples: s.examples, precision: roundTo(s.precision, 3), recall: roundTo(s.recall, 3) }];
  }),
);
const byKind = Object.fromEntries(
  (['plain', 'near_miss', 'synonym'] as const).map((kind) => {
    const s = evaluateOracle(
      cases,
      examples.filter((e) => (e.kind ?? 'plain') === kind),
    );
    return [
      kind,
      {
        examples: s.examples,
        precision: roundTo(s.precision, 3),
        recall: roundTo(s.recall, 3),
        exact: roundTo(s.exact, 3),
        unavailable_correct: roundTo(s.unavailableCorrect, 3),
      },
    ];
  }),
);
const summary = {
  examples: all.examples,
  cases: new Set(examples.map((e) => e.case)).size,
  precision: roundTo(all.precision, 3),
  recall: roundTo(all.recall, 3),
  exact: roundTo(all.exact, 3),
  unavailable_correct: roundTo(all.unavailableCorrect, 3),
  by_source: bySource,
  by_kind: byKind,
};
if (process.argv.includes('--mistakes')) {
  for (const m of all.mistakes)
    console.log(`${m.case} "${m.order}"\n   expected: ${JSON.stringify(m.expected)}\n   got:      ${JSON.stringify(m.got)}`);
}
console.log(process.argv.includes('--json') ? JSON.stringify(summary) : JSON.stringify(summary, null, 2));
