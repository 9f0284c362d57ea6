import path from 'node:path';
import { Command, Option } from 'commander';
import { CASE_FORMATS, type CaseFormat, importCases } from '../core/cases/import';
import type { Case } from '../core/cases/model';
import { RecordError } from '../core/cases/record-error';
import { serializeCases } from '../core/cases/case-file';
import { UserError } from '../core/errors';
import { readTextFile, writeFileAtomic } from '../stores/files';
import { findCase, readCaseFile } from '../stores/case-store';
import { emit } from './output';

export function renderCase(c: Case): string {
  const lines = [
    `Case ${c.id} (${c.source})`,
    '',
    'Initial observation (o1):',
    ...c.o1.sections.map((s) => `  ${s.title}: ${s.text}`),
    '',
    `Test menu (${c.menu.length} items):`,
  ];
  for (const m of c.menu) {
    lines.push(`  ${m.id.padEnd(4)} [${m.category}] ${m.name}${m.aliases.length ? `  (also: ${m.aliases.join('; ')})` : ''}`);
    lines.push(`       ${m.result}`);
  }
  lines.push('', `Gold diagnosis: ${c.gold.short}`);
  if (c.gold.long !== c.gold.short) lines.push(`  (${c.gold.long})`);
  return lines.join('\n');
}

export function casesCommand(): Command {
  const cases = new Command('cases').description('import case reports into the canonical case format, and look at them');

  cases
    .command('import')
    .description('convert a MedR-Bench JSON or AgentClinic JSONL file into a canonical case file (one case a line)')
    .argument('<file>', 'input case file (never modified)')
    .addOption(new Option('--format <format>', 'input format').choices([...CASE_FORMATS]).makeOptionMandatory())
    .requiredOption('--out <cases.jsonl>', 'canonical case file to write')
    .option('--strict', 'stop at the first bad record instead of skipping it')
    .option('--exam-in-o1', 'AgentClinic: put physical examination findings in o1 instead of the test menu')
    .option('--json', 'print one JSON object')
    .action((file: string, opts: { format: CaseFormat; out: string; strict?: boolean; examInO1?: boolean; json?: boolean }) => {
      if (path.resolve(opts.out) === path.resolve(file)) {
        throw new UserError('--out must not be the input file (the input is never modified)');
      }
      const text = readTextFile(file, 'input file');
      let report;
      try {
        report = importCases(text, opts.format, path.basename(file), {
          ...(opts.strict ? { strict: true } : {}),
          ...(opts.examInO1 ? { examInO1: true } : {}),
        });
      } catch (error) {
        if (error instanceof RecordError) throw new UserError(`${path.basename(file)}: ${error.message}`);
        throw error;
      }
      if (report.cases.length === 0) {
        throw new UserError(
          `no case imported from ${file} as ${opts.format}` +
            (report.skipped.length
              ? `; first problem: ${report.skipped[0]?.id}: ${report.skipped[0]?.reason}`
              : ' (the file holds no records)'),
        );
      }
      writeFileAtomic(opts.out, serializeCases(report.cases));
      const result = {
        imported: report.cases.length,
        skipped: report.skipped,
        menuItems: report.cases.reduce((n, c) => n + c.menu.length, 0),
        // Results that named the gold diagnosis, with the phrase withheld (metadata.redacted of each case).
        redactedItems: report.redactedItems,
        redactedCases: report.cases.filter((c) => Array.isArray(c.metadata.redacted)).length,
        out: path.resolve(opts.out),
      };
      emit(Boolean(opts.json), result, (r) =>
        [
          `imported ${r.imported} cases with ${r.menuItems} menu items into ${r.out}`,
          `  ${r.redactedItems} results in ${r.redactedCases} cases named the gold diagnosis: the phrase is withheld`,
          ...r.skipped.map((s) => `  skipped ${s.id}: ${s.reason}`),
        ].join('\n'),
      );
    });

  cases
    .command('show')
    .description('print a case: its initial observation, its test menu and its gold diagnosis')
    .argument('<id>', 'case id')
    .requiredOption('--cases <cases.jsonl>', 'canonical case file')
    .option('--json', 'print the case as one JSON object')
    .action((id: string, opts: { cases: string; json?: boolean }) => {
      const c = findCase(readCaseFile(opts.cases), id, opts.cases);
      emit(Boolean(opts.json), c, renderCase);
    });

  return cases;
}
