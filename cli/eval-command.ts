import { Command, Option } from 'commander';
import type { Config } from '../config';
import { POLICIES } from '../config/schema';
import type { EvalSettings } from '../core/eval/eval-settings';
import { UserError } from '../core/errors';
import { summaryFields, type EvalReport } from '../core/eval/summary';
import { BUNDLED_CASES_FILE } from '../stores/bundled-cases';
import { evaluationWorkflow, evaluationWorkflowId, type EvalProgress } from '../workflows/evaluation';
import { configFor } from './context';
import { integer, positiveInt } from './option-parsers';
import { emit } from './output';
import { resolveEvalSettings, type EvalFlags } from './resolve-settings';
import { runWorkflow, type RunOptions, type RunTarget } from './run-workflow';

type EvalOptions = EvalFlags & RunOptions;

/** An evaluation as the CLI runs it (cli/run-workflow.ts). */
const EVAL_TARGET: RunTarget<EvalSettings, EvalProgress, EvalReport> = {
  workflow: evaluationWorkflow,
  workflowId: evaluationWorkflowId,
  progressCount: { label: 'correct', of: (p) => p.correct },
  continueHint: () =>
    'Run the same `medaction eval` command again (it attaches to the running evaluation), or start `npx medaction worker`.',
  finish(report, settings, json) {
    const [lo, hi] = report.accuracy_ci95;
    emit(json, summaryFields(report), (s) =>
      [
        `evaluation ${report.eval_id} finished: ${s.cases} cases, accuracy ${s.accuracy} (95% CI ${lo}–${hi}, judge ${report.judge}), ` +
          `${report.episodes_failed} episodes without a diagnosis, ${report.cases_failed.length} cases failed`,
        `test precision ${s.test_precision ?? '–'}, recall ${s.test_recall}, mean turns ${s.mean_turns}, mean test cost $${s.mean_cost.toFixed(2)}, DTC ${s.dtc}, RAC ${s.rac}`,
        `results: ${settings.storeDir}/eval.jsonl, eval.json; report: ${settings.storeDir}/report.html`,
      ].join('\n'),
    );
    // No episode reached a diagnosis: the figures measure the endpoint's failures, not the policy.
    if (report.cases > 0 && report.episodes_failed + report.cases_failed.length >= report.cases) {
      throw new UserError(
        `no episode of evaluation ${report.eval_id} reached a diagnosis: every one failed; see the errors in ${settings.storeDir}/eval.jsonl`,
        1,
      );
    }
  },
};

export function evalCommand(): Command {
  return new Command('eval')
    .description(
      'evaluate a policy on cases: one greedy episode per case (k = 1) in the build environment, as Temporal workflows; ' +
        'accuracy, test precision/recall, turns, cost, DTC/RAC (eval.jsonl, eval.json, report.html)',
    )
    .option('--cases <cases.jsonl>', 'canonical case file (held-out cases)', BUNDLED_CASES_FILE)
    .option('--out <dir>', 'output folder (default: output/<eval-id>)')
    .option(
      '--eval-id <id>',
      'evaluation id (default: derived from the case file, configuration and --out; an existing id continues it)',
    )
    .addOption(new Option('--policy <policy>', 'policy to evaluate (default: config build.policy)').choices([...POLICIES]))
    .option('--model <name>', 'LLM model for the openai policy (default: config llm.model)')
    .option('--max-turns <t>', 'turn limit (the last turn is a final diagnosis)', positiveInt('--max-turns'))
    .option('--concurrency <c>', 'cases in flight at once', positiveInt('--concurrency'))
    .option('--limit <n>', 'only the first N cases of the file', positiveInt('--limit'))
    .option('--seed <s>', 'seed of the requests', integer('--seed'))
    .addOption(
      new Option('--judge <judge>', 'correctness judge: KG equivalence or an LLM judge (default: config build.judge)').choices([
        'kg',
        'llm',
      ]),
    )
    .option('--judge-model <name>', 'model of the LLM judge (default: config llm.model)')
    .option('--detach', 'start the evaluation and return (workers started with `medaction worker` do the work)')
    .option('--no-worker', 'do not run a worker in this process (use `medaction worker` processes)')
    .option('--no-preflight', 'do not check the LLM endpoint, key and model before starting')
    .option('--force', 'continue an evaluation even if its configuration changed')
    .option('--json', 'print the summary as one JSON object')
    .action(async (opts: EvalOptions, command: Command) => {
      const config = configFor(command);
      await runEvaluation(config, resolveEvalSettings(config, opts), opts);
    });
}

/** Starts an evaluation, or continues one (same id and output folder); see runWorkflow. */
export function runEvaluation(config: Config, settings: EvalSettings, opts: RunOptions): Promise<void> {
  return runWorkflow(config, settings, opts, EVAL_TARGET);
}
