import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { UserError } from '../core/errors';
import { HARDSET_RULE, selectHardCases } from '../core/eval/hardset';
import { sha256 } from '../stores/case-cache';
import { readEvaluation, type EvaluationResults } from '../stores/eval-results';
import { writeFileAtomic } from '../stores/files';
import { positiveInt } from './option-parsers';
import { emit } from './output';

interface HardsetOptions {
  evals: string;
  size: number;
  out: string;
  json?: boolean;
}

/** "kg-baseline", "openai:<model>"; the eval id too when two evaluations would share a name. */
function labelsOf(evals: EvaluationResults[]): string[] {
  const base = evals.map((e) => (e.report.model ? `${e.report.policy}:${e.report.model}` : e.report.policy));
  return base.map((b, i) => (base.filter((x) => x === b).length > 1 ? `${b} (${evals[i]!.report.eval_id})` : b));
}

/** Every evaluation must have run the same case file and been judged the same way. */
function checkComparable(evals: EvaluationResults[]): void {
  const describe = (e: EvaluationResults, what: string) => `${e.dir}: ${what}`;
  const hashes = new Set(evals.map((e) => e.report.cases_hash));
  if (hashes.size > 1) {
    throw new UserError(
      `the evaluations ran different case files:\n${evals.map((e) => `  ${describe(e, `${e.report.cases_file} (SHA-256 ${e.report.cases_hash.slice(0, 12)}…)`)}`).join('\n')}`,
      2,
    );
  }
  const judges = new Set(evals.map((e) => `${e.report.judge}|${e.judgeVersion ?? ''}`));
  if (judges.size > 1) {
    throw new UserError(
      `the evaluations were judged differently:\n${evals.map((e) => `  ${describe(e, `judge ${e.report.judge}${e.judgeVersion ? ` (${e.judgeVersion})` : ''}`)}`).join('\n')}`,
      2,
    );
  }
}

export function hardsetCommand(): Command {
  return new Command('hardset')
    .description(
      'curate a hard benchmark from evaluations: the cases the evaluated policies fail most, balanced across body systems; writes a canonical case file and hardset.json beside it',
    )
    .requiredOption('--evals <dirs>', "evaluations' output folders, comma-separated (one is enough)")
    .requiredOption('--size <n>', 'how many cases', positiveInt('--size'))
    .requiredOption('--out <cases.jsonl>', 'the hard case file to write')
    .option('--json', 'print the summary as one JSON object')
    .action((opts: HardsetOptions) => {
      const dirs = opts.evals
        .split(',')
        .map((d) => d.trim())
        .filter(Boolean)
        .map((d) => path.resolve(d));
      if (dirs.length === 0) throw new UserError('--evals: no evaluation folder given', 2);
      const evals = dirs.map(readEvaluation);
      checkComparable(evals);
      const { cases_file: casesFile, cases_hash: casesHash } = evals[0]!.report;
      let content: string;
      try {
        content = fs.readFileSync(casesFile, 'utf8');
      } catch (error) {
        throw new UserError(`the evaluations' case file ${casesFile} cannot be read (${(error as NodeJS.ErrnoException).code})`);
      }
      if (sha256(content) !== casesHash) {
        throw new UserError(`the evaluations' case file ${casesFile} has changed since they ran (its SHA-256 differs)`);
      }
      const lines = content.split('\n').filter((l) => l.trim() !== '');
      const idOf = (line: string) => (JSON.parse(line) as { id: string }).id;
      const order = lines.map(idOf);
      const labels = labelsOf(evals);
      const hard = selectHardCases(
        evals.map((e, i) => ({ label: labels[i]!, records: e.records })),
        opts.size,
        order,
      );
      if (hard.selected.length === 0) throw new UserError('no case was judged by every evaluation: nothing to select');
      const chosen = new Set(hard.selected.map((c) => c.case_id));
      const out = path.resolve(opts.out);
      // Canonical case lines as the evaluations read them, in case-file order.
      writeFileAtomic(
        out,
        lines
          .filter((l) => chosen.has(idOf(l)))
          .map((l) => `${l}\n`)
          .join(''),
      );
      const info = {
        cases: hard.selected.length,
        size_asked: opts.size,
        out,
        rule: HARDSET_RULE,
        cases_file: casesFile,
        cases_hash: casesHash,
        judge: evals[0]!.report.judge,
        judge_version: evals[0]!.judgeVersion,
        evaluations: evals.map((e, i) => ({ dir: e.dir, eval_id: e.report.eval_id, policy: labels[i] })),
        policies: hard.policies,
        candidates: hard.candidates,
        left_out: hard.left_out,
        body_systems: hard.body_systems,
        selected: hard.selected,
      };
      const infoFile = path.join(path.dirname(out), 'hardset.json');
      writeFileAtomic(infoFile, `${JSON.stringify(info, null, 2)}\n`);
      const { selected: _selected, ...summary } = info;
      emit(Boolean(opts.json), { ...summary, hardset: infoFile }, (s) =>
        [
          `wrote ${s.cases} hard cases${s.cases < s.size_asked ? ` (of ${s.size_asked} asked: only ${s.candidates} were judged by every evaluation)` : ''} to ${s.out}; details in ${s.hardset}`,
          ...s.policies.map(
            (p) =>
              `  ${p.policy}: accuracy ${p.accuracy_selected ?? '–'} on the hard cases, ${p.accuracy_all ?? '–'} on all ${p.cases_all}`,
          ),
          `  body systems: ${Object.entries(s.body_systems)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}`,
        ].join('\n'),
      );
    });
}
