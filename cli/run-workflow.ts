import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import fs from 'node:fs';
import { SingleBar } from 'cli-progress';
import type { Driver } from 'neo4j-driver';
import { preflightLlm } from '../clients/llm-preflight';
import { createNeo4jDriver, verifyNeo4j } from '../clients/neo4j';
import { connectTemporalClient, workflowUiLink } from '../clients/temporal';
import type { Config } from '../config';
import { UserError } from '../core/errors';
import { isEvalSettings, runIdOf, runNoun, type AnyRunSettings } from '../core/run/run-kind';
import { countKgInNeo4j } from '../stores/neo4j-kg/loader';
import { createWorkerSet, WORKERS_STOPPED } from '../worker';
import { progressQuery, type RunInput, type RunProgress } from '../workflows/run-cases';
import { BuildIdAttr } from '../workflows/search-attributes';
import { configurationDifferences, readManifest } from './resolve-settings';
import { installWorkerRuntime } from './context';
import { retryingActivities } from './retrying-activities';
import { emit, progressLine } from './output';

export interface RunOptions {
  detach?: boolean;
  worker: boolean;
  json?: boolean;
  force?: boolean;
  /** Check the LLM endpoint before starting (false: --no-preflight). */
  preflight?: boolean;
}

/**
 * What the CLI starts: a dataset build (cli/build-command.ts) or an evaluation (cli/eval-command.ts).
 * Both go through the same steps (runWorkflow); what differs is named here.
 */
export interface RunTarget<S extends AnyRunSettings, P extends RunProgress, R> {
  workflow: (input: RunInput<S, P>) => Promise<R>;
  workflowId: (id: string) => string;
  /** The count the progress bar shows besides cases: its label and its value in the progress. */
  progressCount: { label: string; of: (progress: P) => number };
  /** How to go on when this process's worker stopped before the end. */
  continueHint: (id: string) => string;
  /** Prints the workflow's result (its summary) when it is done. */
  finish: (result: R, settings: S, json: boolean) => void;
}

/**
 * Starts a build or an evaluation, or continues one: the same id and output folder run again only what
 * is not finished (cases without an outcome or episode, branches not yet expanded), under the same
 * workflow ids. A run whose configuration changed is refused, naming the fields, unless `force`. A
 * running one is attached to. Then a worker runs in this process (unless --no-worker) until it is done.
 */
export async function runWorkflow<S extends AnyRunSettings, P extends RunProgress, R>(
  config: Config,
  resolved: S,
  opts: RunOptions,
  target: RunTarget<S, P, R>,
): Promise<void> {
  ensureWritableFolder(resolved.storeDir);
  const settings = checkAgainstManifest(resolved, Boolean(opts.force));
  await preflight(config, settings, opts);
  const [noun, id] = [runNoun(settings), runIdOf(settings)];
  installWorkerRuntime('ERROR');
  const driver = createNeo4jDriver(config);
  const client = await connectTemporalClient(config);
  try {
    await requireLoadedKg(config, driver);
    const handle = await startOrAttach(client, target, settings);
    await checkRunning(handle, settings, Boolean(opts.force));
    const ui = workflowUiLink(config, handle.workflowId);
    progressLine(`${noun} ${id}: ${settings.policy}, output ${settings.storeDir}`);
    progressLine(`Temporal Web UI: ${ui}`);
    if (opts.detach) {
      const started = {
        [isEvalSettings(settings) ? 'eval_id' : 'build_id']: id,
        workflow_id: handle.workflowId,
        ui,
        out: settings.storeDir,
      };
      emit(
        Boolean(opts.json),
        started,
        () => `started ${noun} ${id}; follow it with \`npx medaction status ${id}\` or in the Temporal Web UI (${ui})`,
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

/**
 * The LLM endpoint is checked when this process runs the worker that will call it: workers started
 * elsewhere (--no-worker, --detach) have their own configuration, and keys, which this one may lack.
 */
async function preflight(config: Config, settings: AnyRunSettings, opts: RunOptions): Promise<void> {
  if (opts.preflight === false || !opts.worker || opts.detach) return;
  const models = [
    ...(settings.policy === 'openai' && settings.model ? [settings.model] : []),
    ...(settings.judge === 'llm' && settings.judgeModel ? [settings.judgeModel] : []),
  ];
  if (models.length > 0) await preflightLlm(config, [...new Set(models)]);
}

/** A run needs the knowledge graph: an empty one is an error that says how to load it. */
async function requireLoadedKg(config: Config, driver: Driver): Promise<void> {
  await verifyNeo4j(config, driver);
  const counts = await countKgInNeo4j(driver, config.neo4j.database);
  if (counts.nodes.Disease === 0) throw new UserError('the knowledge graph is empty: run `npx medaction kg load` first');
}

/** Starts the run's workflow, or attaches to it when it is already running under the same id. */
async function startOrAttach<S extends AnyRunSettings, P extends RunProgress, R>(
  client: Client,
  target: RunTarget<S, P, R>,
  settings: S,
): Promise<WorkflowHandle> {
  const workflowId = target.workflowId(runIdOf(settings));
  try {
    return await client.workflow.start(target.workflow, {
      taskQueue: settings.taskQueues.workflows,
      workflowId,
      args: [{ settings }],
      // Starting a run that is running attaches to it instead of starting a second one.
      workflowIdConflictPolicy: 'USE_EXISTING',
      memo: { out: settings.storeDir, cases: settings.casesFile, policy: settings.policy, configHash: settings.configHash },
      typedSearchAttributes: [{ key: BuildIdAttr, value: runIdOf(settings) }],
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return client.workflow.getHandle(workflowId);
    throw error;
  }
}

/** A running workflow attached to must write to the same folder, and (unless forced) with the same configuration. */
async function checkRunning(handle: WorkflowHandle, settings: AnyRunSettings, force: boolean): Promise<void> {
  const running = await handle.describe();
  const what = `${runNoun(settings)} ${runIdOf(settings)}`;
  if (running.memo?.out !== settings.storeDir) {
    throw new UserError(
      `${what} is running with output folder ${String(running.memo?.out)}, not ${settings.storeDir}; wait for it, or use another id`,
    );
  }
  if (running.memo?.configHash !== settings.configHash && !force) {
    throw new UserError(
      `${what} is running with another configuration (output ${String(running.memo?.out)}); wait for it, or use another id`,
    );
  }
}

/**
 * Waits for the run's result, with a worker in this process unless --no-worker, showing progress.
 * A worker stopped (Ctrl-C) before the end leaves the run going on in Temporal, and says how to go on.
 */
async function waitForResult<S extends AnyRunSettings, P extends RunProgress, R>(
  config: Config,
  driver: Driver,
  client: Client,
  handle: WorkflowHandle,
  target: RunTarget<S, P, R>,
  settings: S,
  opts: RunOptions,
): Promise<R> {
  const set = opts.worker ? await createWorkerSet(config, { neo4j: driver }) : undefined;
  const watching = watchProgress(client, handle, Boolean(opts.json), target.progressCount, runIdOf(settings));
  try {
    return (await (set ? set.run(handle.result()) : handle.result())) as R;
  } catch (error) {
    if ((error as Error).message === WORKERS_STOPPED) {
      throw new UserError(
        `the worker stopped before ${runNoun(settings)} ${runIdOf(settings)} finished; it goes on in Temporal. ` +
          target.continueHint(runIdOf(settings)),
      );
    }
    throw error;
  } finally {
    await watching.stop();
  }
}

/**
 * The output folder's manifest decides what a run is: another run's folder is refused, and so is the
 * same run with another configuration, naming each changed field, unless forced (then the fields are
 * recorded, and the report lists them).
 */
function checkAgainstManifest<S extends AnyRunSettings>(settings: S, force: boolean): S {
  const manifest = readManifest(settings.storeDir);
  if (!manifest) return settings;
  const [noun, id] = [runNoun(settings), runIdOf(settings)];
  const [heldNoun, heldId] = [runNoun(manifest.settings), runIdOf(manifest.settings)];
  if (heldNoun !== noun || heldId !== id) {
    throw new UserError(
      `output folder ${settings.storeDir} holds ${heldNoun} ${heldId}, not ${noun} ${id}: choose another --out`,
    );
  }
  const changed = configurationDifferences(manifest.settings, settings);
  if (changed.length === 0) return { ...settings, forced: manifest.settings.forced };
  if (!force) {
    throw new UserError(
      `${noun} ${id} was started with another configuration: ${changed.join('; ')}. ` +
        'Run it with its original settings, or add --force to continue anyway (the changes are recorded in the report).',
    );
  }
  progressLine(`warning: continuing ${noun} ${id} with a changed configuration (--force): ${changed.join('; ')}`);
  return { ...settings, forced: [...manifest.settings.forced, ...changed] };
}

/** The output folder must be writable before a run starts: activities would only retry in vain. */
function ensureWritableFolder(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (error) {
    throw new UserError(`output folder ${dir} is not writable (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
}

/**
 * Polls the run's progress query: a progress bar on a terminal, a line every 15 s otherwise (logs),
 * nothing with --json.
 */
function watchProgress<P extends RunProgress>(
  client: Client,
  handle: WorkflowHandle,
  quiet: boolean,
  count: { label: string; of: (progress: P) => number },
  runId: string,
): { stop(): Promise<void> } {
  if (quiet) return { async stop() {} };
  const tty = Boolean(process.stderr.isTTY);
  const bar = new SingleBar({
    stream: process.stderr,
    format: `cases {bar} {value}/{total} | ${count.label} {count} | failed cases {failed} | failed branches {branches} | tokens {tokens}`,
    hideCursor: true,
  });
  let started = false;
  let lastLine = 0;
  let polling: Promise<unknown> = Promise.resolve();
  let controller = new AbortController();
  let busy = false;
  let lastRetryCheck = 0;
  let lastRetryShown = '';
  const timer = setInterval(async () => {
    if (busy) return;
    let p: P;
    try {
      busy = true;
      // A query is answered by a worker; without one it must not outlive this command.
      controller = new AbortController();
      polling = client.withAbortSignal(controller.signal, () => handle.query(progressQuery));
      p = (await polling) as P;
    } catch {
      return; // no worker has answered yet, or the workflow is between runs
    } finally {
      busy = false;
    }
    const payload = { count: count.of(p), failed: p.casesFailed, branches: p.failedBranches, tokens: p.tokens };
    const done = p.casesDone + p.casesFailed;
    if (tty) {
      if (!started) bar.start(p.total, done, payload);
      else bar.update(done, payload);
      started = true;
    } else if (Date.now() - lastLine > 15_000) {
      lastLine = Date.now();
      progressLine(
        `cases ${done}/${p.total}, ${count.label} ${payload.count}, failed cases ${p.casesFailed}, tokens ${p.tokens}`,
      );
    }
    // Repeated failures (an endpoint that times out or refuses) show while the run waits on them.
    if (Date.now() - lastRetryCheck > 15_000) {
      lastRetryCheck = Date.now();
      const retrying = await retryingActivities(client, runId);
      const worst = retrying[0];
      if (worst && worst.last_error !== lastRetryShown) {
        lastRetryShown = worst.last_error;
        const line = `${retrying.length} activit${retrying.length === 1 ? 'y' : 'ies'} retrying; ${worst.activity} at attempt ${worst.attempt}: ${worst.last_error}`;
        if (tty && started) bar.stop();
        progressLine(line);
        if (tty && started) bar.start(p.total, done, payload);
      }
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
