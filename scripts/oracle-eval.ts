/**
 * Reports the oracle's precision and recall on hand-labelled orders: by default
 * test/fixtures/oracle-labelled.jsonl over the bundled sample cases (imported afresh), the set the
 * oracle was developed on. `--cases F --format medrbench|agentclinic --labelled F` scores another set,
 * e.g. test/fixtures/oracle-labelled-held-out.jsonl (orders written for extra MedR-Bench cases before
 * the oracle was changed for them) over the case file they come from.
 * Usage: npm run oracle:eval [-- --json] [-- --mistakes] [-- --cases F --format X --labelled F]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { importCases } from '../core/cases/import';
import type { CaseFormat } from '../core/cases/import';
import { evaluateOracle } from '../core/oracle/evaluate';
import { roundTo } from '../core/round';
import { readLabelledOrders } from './labelled-fixtures';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    mistakes: { type: 'boolean', default: false },
    cases: { type: 'string' },
    format: { type: 'string', default: 'medrbench' },
    labelled: { type: 'string' },
  },
});
const root = path.resolve(__dirname, '..');
const read = (p: string) => fs.readFileSync(path.resolve(root, p), 'utf8');
const cases = args.cases
  ? importCases(read(args.cases), args.format as CaseFormat, path.basename(args.cases)).cases
  : [
      ...importCases(read('data/cases/medrbench-dev-30.json'), 'medrbench', 'medrbench-dev-30.json').cases,
      ...importCases(read('data/cases/agentclinic-medqa.jsonl'), 'agentclinic', 'agentclinic-medqa.jsonl').cases,
    ];
const examples = readLabelledOrders(args.labelled);

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
if (args.mistakes) {
  for (const m of all.mistakes)
    console.log(`${m.case} "${m.order}"\n   expected: ${JSON.stringify(m.expected)}\n   got:      ${JSON.stringify(m.got)}`);
}
console.log(args.json ? JSON.stringify(summary) : JSON.stringify(summary, null, 2));
