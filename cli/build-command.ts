import { Command, Option } from 'commander';
import type { Config } from '../config';
import { POLICIES } from '../config/schema';
import type { BuildSettings } from '../core/dataset/build-settings';
import { everythingFailed, type BuildSummary } from '../core/dataset/report';
import { UserError } from '../core/errors';
import { BUNDLED_CASES_FILE } from '../stores/bundled-cases';
import { buildDatasetWorkflow, buildWorkflowId, type BuildProgress } from '../workflows/build';
import { configFor } from './context';
import { integer, positiveInt } from './option-parsers';
import { emit } from './output';
import { resolveBuildSettings, type BuildFlags } from './resolve-settings';
import { runWorkflow, type RunOptions, type RunTarget } from './run-workflow';

type BuildOptions = BuildFlags & RunOptions;

export function buildCommand(): Command {
  return new Command('build')
    .description('build a trajectory dataset: one Temporal workflow per case, trees of branches, KG scoring, JSONL export')
    .option('--cases <cases.jsonl>', 'canonical case file (see `medaction cases import`)', BUNDLED_CASES_FILE)
    .option('--out <dir>', 'output folder (default: output/<build-id>)')
    .option(
      '--build-id <id>',
      'build id (default: derived from the case file, configuration and --out; an existing id continues that build)',
    )
    .addOption(new Option('--policy <policy>', 'doctor policy (default: config build.policy)').choices([...POLICIES]))
    .option('--model <name>', 'LLM model for the openai policy (default: config llm.model)')
    .option('--branching <k>', 'candidate turns per node', positiveInt('--branching'))
    .option('--max-turns <t>', 'turn limit (the last turn is a final diagnosis)', positiveInt('--max-turns'))
    .option('--node-budget <n>', 'most turns one case tree may have', positiveInt('--node-budget'))
    .option('--concurrency <c>', 'cases in flight at once', positiveInt('--concurrency'))
    .option('--limit <n>', 'only the first N cases of the file', positiveInt('--limit'))
    .option('--seed <s>', 'seed of every sampled choice', integer('--seed'))
    .option('--detach', 'start the build and return (workers started with `medaction worker` do the work)')
    .option('--no-worker', 'do not run a worker in this process (use `medaction worker` processes)')
    .option('--no-preflight', 'do not check the LLM endpoint, key and model before starting')
    .option('--force', 'continue a build even if its configuration changed (the changed fields are recorded in the report)')
    .option('--json', 'print the final summary as one JSON object')
    .action(async (opts: BuildOptions, command: Command) => {
      const config = configFor(command);
      await runBuild(config, resolveBuildSettings(config, opts), opts);
    });
}

/** A dataset build as the CLI runs it (cli/run-workflow.ts). */
const BUILD_TARGET: RunTarget<BuildSettings, BuildProgress, BuildSummary> = {
  workflow: buildDatasetWorkflow,
  workflowId: buildWorkflowId,
  progressCount: { label: 'kept', of: (p) => p.trajectoriesKept },
  continueHint: (id) =>
    `Run \`npx medaction resume ${id}\` (it attaches to the running build), or start \`npx medaction worker\`.`,
  finish(s, settings, json) {
    emit(json, s, () =>
      [
        `build ${s.build_id} finished: ${s.cases} cases (${s.cases_failed} failed), ${s.trajectories_kept} trajectories kept ` +
          `(${s.prefixes_kept} of them prefixes), ${s.rejected} paths rejected (${s.failed_branches} failed branches), ` +
          `${s.llm_calls} LLM calls (${s.failed_calls} failed, ${s.timeouts} timed out, ${s.retries} retried), ${s.tokens} tokens`,
        `dataset: ${settings.storeDir}/trajectories.jsonl, rejected.jsonl, report.json, README.md (the dataset card); report: ${settings.storeDir}/report.html`,
      ].join('\n'),
    );
    if (everythingFailed(s)) {
      throw new UserError(
        `nothing came of build ${s.build_id}: ${s.cases_failed === s.cases ? 'every case failed' : 'every path ended on a failed branch'} ` +
          `(${s.failed_calls} failed LLM calls); see failed_branches in ${settings.storeDir}/report.json and the invalid replies in rejected.jsonl`,
        1,
      );
    }
  },
};

/**
 * Starts a dataset build, or continues one (same id and output folder: only what is not finished runs
 * again); a changed configuration is refused unless forced. See runWorkflow.
 */
export function runBuild(config: Config, settings: BuildSettings, opts: RunOptions): Promise<void> {
  return runWorkflow(config, settings, opts, BUILD_TARGET);
}
