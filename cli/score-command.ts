import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { UserError } from '../core/errors';
import type { Case } from '../core/cases/model';
import { CompositionalJudge } from '../core/judge/compositional-judge';
import { EntityLinker } from '../core/linking/linker';
import { scoreTrajectoryLines } from '../core/dataset/score-lines';
import { summariseScores, type ScoreSummary } from '../core/dataset/score-summary';
import { bundledKgSourceDir } from '../stores/kg-sources';
import { readCaseFile } from '../stores/case-store';
import { configFor } from './context';
import { withKg } from './judge-command';
import { emit, progressLine } from './output';

interface ScoreOptions {
  cases: string;
  trajectories: string;
  out?: string;
  kg: 'memory' | 'neo4j';
  source: string;
  json?: boolean;
}

export function scoreCommand(): Command {
  return new Command('score')
    .description(
      "score trajectories made anywhere with this project's metrics, judge and filter: one JSON line each, {case_id, turns: [{differential, action, results?}]} or an exported trajectory's {case_id, messages}",
    )
    .requiredOption('--cases <cases.jsonl>', 'canonical case file the trajectories are about (their oracle answers the orders)')
    .requiredOption('--trajectories <file.jsonl>', 'the trajectories to score')
    .option('--out <scored.jsonl>', 'write one line per scored trajectory: line, case_id, verdict, metrics, per-turn records')
    .addOption(
      new Option('--kg <backend>', 'the KG: built in memory from --source, or the loaded Neo4j graph')
        .choices(['memory', 'neo4j'])
        .default('memory'),
    )
    .option('--source <dir>', 'KG source folder for --kg memory', bundledKgSourceDir())
    .option('--json', 'print the summary as one JSON object')
    .action(async (opts: ScoreOptions, command: Command) => {
      const config = configFor(command);
      const cases = new Map<string, Case>(readCaseFile(opts.cases).map((c) => [c.id, c]));
      const text = await readFile(opts.trajectories, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new UserError(`cannot read --trajectories ${opts.trajectories} (${error.code ?? error.message})`, 2);
      });
      const summary = await withKg(config, opts, 'scoring', async (kg) => {
        const linker = new EntityLinker(kg);
        const judge = new CompositionalJudge(kg, linker);
        const { scored, skipped } = await scoreTrajectoryLines({ kg, linker, judge }, cases, text, config.build.filter, {
          casesName: opts.cases,
          oracle: { allowCatchAll: config.build.allowCatchAll },
          onSkip: (line, error) => progressLine(`${opts.trajectories}:${line}: skipped: ${error}`),
        });
        if (opts.out) {
          await mkdir(dirname(resolve(opts.out)), { recursive: true });
          await writeFile(opts.out, scored.map((s) => JSON.stringify(s)).join('\n') + (scored.length > 0 ? '\n' : ''));
        }
        return { ...summariseScores(scored), skipped, out: opts.out ? resolve(opts.out) : null };
      });
      emit(Boolean(opts.json), summary, humanSummary);
    });
}

function humanSummary(s: ScoreSummary & { skipped: { line: number }[]; out: string | null }): string {
  const reasons = Object.entries(s.rejected_by_reason)
    .filter(([, n]) => n > 0)
    .map(([r, n]) => `${r} ${n}`)
    .join(', ');
  return [
    `${s.n} trajectories scored${s.skipped.length > 0 ? `, ${s.skipped.length} ${s.skipped.length === 1 ? 'line' : 'lines'} skipped` : ''}: ${s.kept} kept, ${s.prefixes} kept as prefixes${reasons ? `; rejected: ${reasons}` : ''}`,
    `  mean DTC ${s.mean_dtc ?? '–'}, RAC ${s.mean_rac ?? '–'}, grounded ordering ${s.mean_grounded ?? '–'}`,
    ...(s.out ? [`  scores written to ${s.out}`] : []),
  ].join('\n');
}
