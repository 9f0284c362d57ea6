import { Command, Option } from 'commander';
import { POLICIES } from '../config/schema';
import { summaryFields, type EvalReport } from '../core/eval/summary';
import { BUNDLED_CASES_FILE } from '../stores/bundled-cases';
import { evaluationWorkflow, evaluationWorkflowId } from '../workflows/evaluation';
import { runBuild, type RunTarget } from './build-command';
import { resolveBuildSettings, type BuildFlags } from './resolve-build-settings';
import { integer, positiveInt } from './option-parsers';
import { configFor } from './context';
import { emit } from './output';

interface EvalOptions extends BuildFlags {
  evalId?: string;
  worker: boolean;
  json?: boolean;
  force?: boolean;
}

export const EVAL_TARGET: RunTarget = {
  noun: 'evaluation',
  workflow: evaluationWorkflow,
  workflowId: evaluationWorkflowId,
  finish(result, settings, json) {
    const report = result as EvalReport;
    const [lo, hi] = report.accuracy_ci95;
    emit(json, summaryFields(report), (s) =>
      [
        `evaluation ${report.eval_id} finished: ${s.cases} cases, accuracy ${s.accuracy} (95% CI ${lo}–${hi}, judge ${report.judge}), ` +
          `${report.episodes_failed} episodes without a diagnosis, ${report.cases_failed.length} cases failed`,
        `test precision ${s.test_precision ?? '–'}, recall ${s.test_recall}, mean turns ${s.mean_turns}, mean test cost $${s.mean_cost.toFixed(2)}, DTC ${s.dtc}, RAC ${s.rac}`,
        `results: ${settings.storeDir}/eval.jsonl, eval.json; report: ${settings.storeDir}/report.html`,
      ].join('\n'),
    );
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
    .option('--no-worker', 'do not run a worker in this process (use `medaction worker` processes)')
    .option('--force', 'continue an evaluation even if its configuration changed')
    .option('--json', 'print the summary as one JSON object')
    .action(async (opts: EvalOptions, command: Command) => {
      const config = configFor(command);
      const settings = resolveBuildSettings(config, { ...opts, buildId: opts.evalId }, 'eval');
      await runBuild(config, settings, opts, EVAL_TARGET);
    });
}
