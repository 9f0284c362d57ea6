import path from 'node:path';
import { Command, Option } from 'commander';
import { summaryOf } from '../core/dataset/report';
import { UserError } from '../core/errors';
import { BuildStore } from '../stores/build-store';
import { exportDataset } from '../stores/dataset-export';
import { readBuildManifest } from './resolve-settings';
import { configFor } from './context';
import { emit } from './output';
import { buildOutputFolder, readReport } from './status-command';

interface ExportOptions {
  out: string;
  store?: string;
  reasoning: 'include' | 'omit';
  json?: boolean;
}

export function exportCommand(): Command {
  return new Command('export')
    .description(
      "write a build's dataset (trajectories.jsonl, rejected.jsonl, report.json, report.html) from its store into a folder",
    )
    .argument('<build-id>', 'the build id')
    .requiredOption('--out <dir>', 'folder to write the dataset files to')
    .option('--store <dir>', "the build's output folder (default: found through Temporal)")
    .addOption(
      new Option('--reasoning <include|omit>', "the models' reasoning traces in the assistant turns (reasoning_content)")
        .choices(['include', 'omit'])
        .default('include'),
    )
    .option('--json', 'print the summary as one JSON object')
    .action(async (buildId: string, opts: ExportOptions, command: Command) => {
      const storeDir = opts.store ?? (await buildOutputFolder(configFor(command), buildId));
      const store = new BuildStore(path.resolve(storeDir));
      const manifest = readBuildManifest(store.dir);
      if (!manifest) throw new UserError(`no build manifest (build.json) in ${store.dir}`);
      if (manifest.settings.buildId !== buildId) {
        throw new UserError(`${store.manifestFile} belongs to build ${manifest.settings.buildId}, not ${buildId}`);
      }
      // Cases that failed outright are known from the build's own report, when it has one.
      const failed = readReport(store.dir)?.failed_cases ?? [];
      const report = await exportDataset(
        manifest.settings,
        manifest.caseIds,
        failed.filter((f) => !f.error.startsWith('no outcome in the store')),
        path.resolve(opts.out),
        { reasoning: opts.reasoning },
      );
      emit(
        Boolean(opts.json),
        summaryOf(report),
        (s) =>
          `exported build ${s.build_id} to ${path.resolve(opts.out)}: ${s.trajectories_kept} trajectories, ${s.rejected} rejected, ${s.cases_failed} cases failed or unfinished`,
      );
    });
}
