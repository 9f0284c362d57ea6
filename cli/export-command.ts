import path from 'node:path';
import { Command, Option } from 'commander';
import { summaryOf } from '../core/dataset/report';
import { UserError } from '../core/errors';
import { parseSplit } from '../core/export/case-split';
import { TRAINER_FORMATS, type TrainerFormat } from '../core/export/trainer-formats';
import type { TrajectoryRecord } from '../core/dataset/records';
import { BuildStore } from '../stores/build-store';
import { exportDataset, type ExportOptions as DatasetExportOptions } from '../stores/dataset-export';
import { readBuildManifest } from './resolve-settings';
import { configFor } from './context';
import { integer, listOf, share } from './option-parsers';
import { emit } from './output';
import { buildOutputFolder, readReport } from './status-command';

interface ExportOptions {
  out: string;
  store?: string;
  reasoning: 'include' | 'omit';
  format: TrainerFormat;
  kinds: TrajectoryRecord['kind'][];
  minDtc?: number;
  minRac?: number;
  split?: string;
  splitSeed: number;
  dedup?: boolean;
  json?: boolean;
}

export function exportCommand(): Command {
  return new Command('export')
    .description(
      "write a build's dataset from its store into a folder: the kept trajectories in a trainer's format (one file, or one per split), rejected.jsonl, report.json, report.html and a dataset card (README.md)",
    )
    .argument('<build-id>', 'the build id')
    .requiredOption('--out <dir>', 'folder to write the dataset files to')
    .option('--store <dir>', "the build's output folder (default: found through Temporal)")
    .addOption(
      new Option('--format <format>', 'row format: messages (full records), openai, sharegpt, trl (one row per assistant turn)')
        .choices([...TRAINER_FORMATS])
        .default('messages'),
    )
    .option(
      '--kinds <kinds>',
      'which kept trajectories: complete, prefix, or both',
      listOf('--kinds', ['complete', 'prefix'] as const),
      ['complete', 'prefix'],
    )
    .option(
      '--min-dtc <x>',
      "keep trajectories with DTC ≥ x (on top of the build's filter; an abstaining metric passes)",
      share('--min-dtc'),
    )
    .option('--min-rac <x>', 'keep trajectories with RAC ≥ x (likewise)', share('--min-rac'))
    .option('--split <spec>', 'split by case, stratified by case source, e.g. train=0.9,validation=0.1')
    .option('--split-seed <n>', 'seed of the case split', integer('--split-seed'), 0)
    .option('--dedup', 'drop trajectories whose assistant turns are identical to an earlier one')
    .addOption(
      new Option('--reasoning <include|omit>', "the models' reasoning traces in the assistant turns (reasoning_content)")
        .choices(['include', 'omit'])
        .default('include'),
    )
    .option('--json', 'print the summary as one JSON object')
    .action(async (buildId: string, opts: ExportOptions, command: Command) => {
      // Usage errors before anything is looked up.
      const splits = opts.split === undefined ? null : parseSplit(opts.split);
      const storeDir = opts.store ?? (await buildOutputFolder(configFor(command), buildId));
      const store = new BuildStore(path.resolve(storeDir));
      const manifest = readBuildManifest(store.dir);
      if (!manifest) throw new UserError(`no build manifest (build.json) in ${store.dir}`);
      if (manifest.settings.buildId !== buildId) {
        throw new UserError(`${store.manifestFile} belongs to build ${manifest.settings.buildId}, not ${buildId}`);
      }
      const options: DatasetExportOptions = {
        reasoning: opts.reasoning,
        format: opts.format,
        selection: { kinds: opts.kinds, minDtc: opts.minDtc, minRac: opts.minRac, dedup: Boolean(opts.dedup) },
      };
      if (splits) {
        options.split = { splits, spec: splits.map((s) => `${s.name}=${s.share}`).join(','), seed: opts.splitSeed };
      }
      // Cases that failed outright are known from the build's own report, when it has one.
      const failed = readReport(store.dir)?.failed_cases ?? [];
      const out = path.resolve(opts.out);
      const result = await exportDataset(
        manifest.settings,
        manifest.caseIds,
        failed.filter((f) => !f.error.startsWith('no outcome in the store')),
        out,
        options,
      );
      const summary = {
        ...summaryOf(result.report),
        format: result.format,
        exported: result.exported,
        filtered: result.filtered,
        duplicates: result.duplicates,
        files: result.files,
        card: path.join(out, result.card),
      };
      emit(Boolean(opts.json), summary, (s) =>
        [
          `exported build ${s.build_id} to ${out} (${s.format}): ${s.exported} trajectories, ${s.filtered} left out by --kinds/--min-dtc/--min-rac, ${s.duplicates} duplicates dropped; ${s.rejected} rejected, ${s.cases_failed} cases failed or unfinished`,
          ...s.files.map((f) => `  ${f.split}: ${f.path}, ${f.rows} rows, ${f.trajectories} trajectories, ${f.cases} cases`),
          `  dataset card: ${s.card}`,
        ].join('\n'),
      );
    });
}
