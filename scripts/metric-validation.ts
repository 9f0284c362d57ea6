/**
 * Scores a labelled trajectory fixture (scripts/metric-fixture.ts) through `medaction score`'s code and
 * prints the validation table of docs/metrics.md: good trajectories kept, and the AUC of every metric
 * against every defect.
 *
 *   npx tsx scripts/metric-validation.ts [--fixture test/fixtures/metric-trajectories.jsonl] [--cases <file>] [--format canonical|medrbench]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { importCases } from '../core/cases/import';
import type { Case } from '../core/cases/model';
import { buildKg } from '../core/kg/build';
import { MemoryKg } from '../core/kg/memory-kg';
import { DEFECT_METRIC, VALIDATED_METRICS, validationTable } from '../core/metrics/validation';
import { bundledCases } from '../stores/bundled-cases';
import { splitOf } from './data-split';
import { bundledKgSourceDir, readKgSources } from '../stores/kg-sources';
import { scoreLabelledFixture } from './labelled-trajectories';

const { values: args } = parseArgs({
  options: {
    fixture: { type: 'string', default: 'test/fixtures/metric-trajectories.jsonl' },
    cases: { type: 'string' },
    format: { type: 'string', default: 'canonical' },
    split: { type: 'string' },
  },
});

async function main(): Promise<void> {
  const cases: Case[] = !args.cases
    ? bundledCases()
    : args.format === 'canonical'
      ? readFileSync(args.cases, 'utf8')
          .split('\n')
          .filter((l) => l.trim())
          .map((l) => JSON.parse(l) as Case)
      : importCases(readFileSync(args.cases, 'utf8'), args.format as 'medrbench', args.cases).cases.filter(
          (c) => !args.split || splitOf(c.id) === args.split,
        );
  const kg = new MemoryKg(buildKg(await readKgSources(bundledKgSourceDir())));
  const scored = await scoreLabelledFixture(kg, cases, readFileSync(args.fixture as string, 'utf8'));
  const table = validationTable(scored);
  console.log(`good kept ${table.goodKept}/${table.good}`);
  console.log(`| defect | n | rejected | ${VALIDATED_METRICS.join(' | ')} |`);
  for (const d of table.defects)
    console.log(
      `| ${d.defect} | ${d.n} | ${d.rejected} | ${VALIDATED_METRICS.map((m) => `${DEFECT_METRIC[d.defect] === m ? '**' : ''}${d.auc[m] ?? '–'}${DEFECT_METRIC[d.defect] === m ? '**' : ''}`).join(' | ')} |`,
    );
  const reasons: Record<string, Record<string, number>> = {};
  for (const s of scored) {
    const r = (reasons[s.label] ??= {});
    r[s.verdict] = (r[s.verdict] ?? 0) + 1;
  }
  console.log(JSON.stringify(reasons));
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
