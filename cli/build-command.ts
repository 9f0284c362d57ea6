import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import fs from 'node:fs';
import { SingleBar } from 'cli-progress';
import { Command, Option } from 'commander';
import { createNeo4jDriver, verifyNeo4j } from '../clients/neo4j';
import type { Driver } from 'neo4j-driver';
import { connectTemporalClient, workflowUiLink } from '../clients/temporal';
import { POLICIES } from '../config/schema';
import type { BuildSummary } from '../core/dataset/report';
import { UserError } from '../core/errors';
import { BUNDLED_CASES_FILE } from '../stores/bundled-cases';
import { countKgInNeo4j } from '../stores/neo4j-kg/loader';
import { buildDatasetWorkflow, buildWorkflowId, progressQuery, type BuildProgress } from '../workflows/build';
import { evaluationWorkflow } from '../workflows/evaluation';
import { BuildIdAttr } from '../workflows/search-attributes';
import { createWorkerSet, WORKERS_STOPPED } from '../worker';
import { configurationDifferences, readManifest, resolveBuildSettings, type BuildFlags } from './resolve-build-settings';
import type { BuildSettings } from '../core/dataset/build-settings';
import type { Config } from '../config';
import { integer, positiveInt } from './option-parsers';
import { configFor, installWorkerRuntime } from './context';
import { emit, progressLine } from './output';

interface BuildOptions extends BuildFlags {
  detach?: boolean;
  worker: boolean;
  json?: boolean;
  force?: boolean;
}

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
    .option('--force', 'continue a build even if its configuration changed (the changed fields are recorded in the report)')
    .option('--json', 'print the final summary as one JSON object')
    .action(async (opts: BuildOptions, command: Command) => {
      const config = configFor(command);
      await runBuild(config, resolveBuildSettings(config, opts), opts);
    });
}

export interface RunOptions {
  detach?: boolean;
  worker: boolean;
  json?: boolean;
  force?: boolean;
}

/** What a run starts: a dataset build, or an evaluation (cli/eval-command.ts); both run the same way. */
export interface RunTarget {
  noun: 'build' | 'evaluation';
  workflow: typeof buildDatasetWorkflow | typeof evaluationWorkflow;
  workflowId: (id: string) => string;
  /** Prints the workflow's result (its summary) when it is done. */
  finish: (result: unknown, settings: BuildSettings, json: boolean) => void;
}

export const BUILD_TARGET: RunTarget = {
  noun: 'build',
  workflow: buildDatasetWorkflow,
  workflowId: buildWorkflowId,
  finish(result, settings, json) {
    emit(json, result as BuildSummary, (s) =>
      [
        `build ${s.build_id} finished: ${s.cases} cases (${s.cases_failed} failed), ${s.trajectories_kept} trajectories kept ` +
          `(${s.prefixes_kept} of them prefixes), ${s.rejected} paths rejected, ${s.llm_calls} LLM calls, ${s.tokens} tokens`,
        `dataset: ${settings.storeDir}/trajectories.jsonl, rejected.jsonl, report.json; report: ${settings.storeDir}/report.html`,
      ].join('\n'),
    );
  },
};

/**
 * Starts a build, or continues one: the same build id and output folder run again only what is not
 * finished (cases without an outcome, branches not yet expanded), under the same workflow ids. A build
 * whose configuration changed is refused, naming the fields, unless `force`. A running build is
 * attached to. Then a worker runs in this process (unless --no-worker) until the build is done.
 * An evaluation runs through the same steps with its own workflow (`target`).
 */
export async function runBuild(
  config: Config,
  resolved: BuildSettings,
  opts: RunOptions,
  target: RunTarget = BUILD_TARGET,
): Promise<void> {
  ensureWritableFolder(resolved.storeDir);
  const settings = checkAgainstManifest(resolved, Boolean(opts.force));
  installWorkerRuntime('ERROR');
  const driver = createNeo4jDriver(config);
  const client = await connectTemporalClient(config);
  try {
    await requireLoadedKg(config, driver);
    const handle = await startOrAttach(client, target, settings);
    await checkRunningBuild(handle, target, settings, Boolean(opts.force));
    const ui = workflowUiLink(config, handle.workflowId);
    progressLine(`${target.noun} ${settings.buildId}: ${settings.policy}, output ${settings.storeDir}`);
    progressLine(`Temporal Web UI: ${ui}`);
    if (opts.detach) {
      emit(Boolean(opts.json), { build_id: settings.buildId, workflow_id: handle.workflowId, ui, out: settings.storeDir }, (r) =>
        target.noun === 'build'
          ? `started build ${r.build_id}; follow it with \`npx medaction status ${r.build_id}\``
          : `started evaluation ${r.build_id}; follow it with \`npx medaction status ${r.build_id}\` or in the Temporal Web UI (${r.ui})`,
      );
      return;
    }
    const result = await waitForResult(config, driver, client, handle, target, settings, opts);
    target.finish(result, settings, Boolean(opts.json));
  } finally {
    await client.connection.close();
    await driver.close();
  }
}

/** A build needs the knowledge graph: an empty one is an error that says how to load it. */
async function requireLoadedKg(config: Config, driver: Driver): Promise<void> {
  await verifyNeo4j(config, driver);
  const counts = await countKgInNeo4j(driver, config.neo4j.database);
  if (counts.nodes.Disease === 0) throw new UserError('the knowledge graph is empty: run `npx medaction kg load` first');
}

/** Starts the build's workflow, or attaches to it when it is already running under the same id. */
async function startOrAttach(client: Client, target: RunTarget, settings: BuildSettings): Promise<WorkflowHandle> {
  const workflowId = target.workflowId(settings.buildId);
  try {
    return await client.workflow.start(target.workflow, {
      taskQueue: settings.taskQueues.workflows,
      workflowId,
      args: [{ settings }],
      // Starting a build that is running attaches to it instead of starting a second one.
      workflowIdConflictPolicy: 'USE_EXISTING',
      memo: { out: settings.storeDir, cases: settings.casesFile, policy: settings.policy, configHash: settings.configHash },
      typedSearchAttributes: [{ key: BuildIdAttr, value: settings.buildId }],
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return client.workflow.getHandle(workflowId);
    throw error;
  }
}

/** A running build attached to must write to the same folder, and (unless forced) with the same configuration. */
async function checkRunningBuild(handle: WorkflowHandle, target: RunTarget, settings: BuildSettings, force: boolean) {
  const running = await handle.describe();
  if (running.memo?.out !== settings.storeDir) {
    throw new UserError(
      `${target.noun} ${settings.buildId} is running with output folder ${String(running.memo?.out)}, not ${settings.storeDir}; ` +
        'wait for it, or use another build id',
    );
  }
  if (running.memo?.configHash !== settings.configHash && !force) {
    throw new UserError(
      `${target.noun} ${settings.buildId} is running with another configuration (output ${String(running.memo?.out)}); ` +
        'wait for it, or use another build id',
    );
  }
}

/**
 * Waits for the build's result, with a worker in this process unless --no-worker, showing progress.
 * A worker stopped (Ctrl-C) before the end leaves the build running in Temporal, and says how to go on.
 */
async function waitForResult(
  config: Config,
  driver: Driver,
  client: Client,
  handle: WorkflowHandle,
  target: RunTarget,
  settings: BuildSettings,
  opts: RunOptions,
): Promise<unknown> {
  const set = opts.worker ? await createWorkerSet(config, { neo4j: driver }) : undefined;
  const watching = watchProgress(client, handle, Boolean(opts.json), target.noun === 'build' ? 'kept' : 'correct');
  try {
    return await (set ? set.run(handle.result()) : handle.result());
  } catch (error) {
    if ((error as Error).message === WORKERS_STOPPED) {
      throw new UserError(
        `the worker stopped before ${target.noun} ${settings.buildId} finished; it goes on in Temporal. ` +
          (target.noun === 'build'
            ? `Run \`npx medaction resume ${settings.buildId}\` (it attaches to the running build), or start \`npx medaction worker\`.`
            : 'Run the same `medaction eval` command again (it attaches to the running evaluation), or start `npx medaction worker`.'),
      );
    }
    throw error;
  } finally {
    await watching.stop();
  }
}

/**
 * The output folder's manifest decides what a build is: another build's folder is refused, and so is
 * the same build with another configuration, naming each changed field, unless forced (then the fields
 * are recorded, and the report lists them).
 */
function checkAgainstManifest(settings: BuildSettings, force: boolean): BuildSettings {
  const manifest = readManifest(settings.storeDir);
  if (!manifest) return settings;
  if (manifest.settings.buildId !== settings.buildId) {
    throw new UserError(
      `output folder ${settings.storeDir} holds build ${manifest.settings.buildId}, not ${settings.buildId}: choose another --out`,
    );
  }
  const changed = configurationDifferences(manifest.settings, settings);
  if (changed.length === 0) return { ...settings, forced: manifest.settings.forced ?? [] };
  if (!force) {
    throw new UserError(
      `build ${settings.buildId} was started with another configuration: ${changed.join('; ')}. ` +
        'Run it with its original settings, or add --force to continue anyway (the changes are recorded in the report).',
    );
  }
  progressLine(`warning: continuing build ${settings.buildId} with a changed configuration (--force): ${changed.join('; ')}`);
  return { ...settings, forced: [...(manifest.settings.forced ?? []), ...changed] };
}

/** The output folder must be writable before a build starts: activities would only retry in vain. */
function ensureWritableFolder(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (error) {
    throw new UserError(`output folder ${dir} is not writable (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
}

/**
 * Polls the build's progress query: a progress bar on a terminal, a line every 15 s otherwise (logs),
 * nothing with --json.
 */
/** `kept` counts kept trajectories in a build, correct diagnoses in an evaluation. */
function watchProgress(
  client: Client,
  handle: WorkflowHandle,
  quiet: boolean,
  kept: 'kept' | 'correct',
): { stop(): Promise<void> } {
  if (quiet) return { async stop() {} };
  const tty = Boolean(process.stderr.isTTY);
  const bar = new SingleBar({
    stream: process.stderr,
    format: `cases {bar} {value}/{total} | ${kept} {kept} | failed cases {failed} | failed branches {branches} | tokens {tokens}`,
    hideCursor: true,
  });
  let started = false;
  let lastLine = 0;
  let polling: Promise<unknown> = Promise.resolve();
  let controller = new AbortController();
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    let p: BuildProgress;
    try {
      busy = true;
      // A query is answered by a worker; without one it must not outlive this command.
      controller = new AbortController();
      polling = client.withAbortSignal(controller.signal, () => handle.query(progressQuery));
      p = (await polling) as BuildProgress;
    } catch {
      return; // no worker has answered yet, or the workflow is between runs
    } finally {
      busy = false;
    }
    const payload = { kept: p.trajectoriesKept, failed: p.casesFailed, branches: p.failedBranches, tokens: p.tokens };
    const done = p.casesDone + p.casesFailed;
    if (tty) {
      if (!started) bar.start(p.total, done, payload);
      else bar.update(done, payload);
      started = true;
    } else if (Date.now() - lastLine > 15_000) {
      lastLine = Date.now();
      progressLine(`cases ${done}/${p.total}, ${kept} ${p.trajectoriesKept}, failed cases ${p.casesFailed}, tokens ${p.tokens}`);
    }
  }, 1000);
  return {
    async stop() {
      clearInterval(timer);
      controller.abort();
      await polling.catch(() => undefined);
      if (started) bar.stop();
    },
  };
}
