import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Driver } from 'neo4j-driver';
import type OpenAI from 'openai';
import { createBuildActivities } from './activities/build-activities';
import { createEpisodeScoringActivities, createEvalActivities } from './activities/eval-activities';
import { createKgActivities } from './activities/kg-activities';
import { createBaselinePolicyActivities, createLlmPolicyActivities } from './activities/policy-activities';
import { createScoringActivities } from './activities/scoring-activities';
import { createOpenAiClient, LlmEndpoint, type StoredCompletion } from './clients/llm';
import { dataConverterFor } from './clients/payload-codec';
import { temporalConnectionOptions } from './clients/temporal';
import type { Config } from './config';
import type { RunSettings } from './core/run/run-settings';
import type { DiagnosisJudge } from './core/dataset/judge';
import { CompositionalJudge } from './core/judge/compositional-judge';
import { LlmJudge } from './core/dataset/llm-judge';
import { ResponseStore } from './stores/response-store';
import { UserError } from './core/errors';
import { CachedKg } from './core/kg/cached-kg';
import { EntityLinker } from './core/linking/linker';
import { KgBaselinePolicy } from './core/policy/kg-baseline';
import { BuildStores } from './stores/build-store';
import { CaseCache } from './stores/case-cache';
import { Neo4jKg } from './stores/neo4j-kg/neo4j-kg';

/**
 * The MedAction worker: one Temporal worker per task queue, all in one process.
 * - workflows queue: workflow code (bundled from ./workflows);
 * - KG queue: activities that use Neo4j;
 * - LLM queue: activities that call the LLM endpoint, rate-limited for the whole queue by the server.
 * Separate queues let each resource be throttled and scaled on its own (more worker processes with
 * `medaction worker --queues llm`, for example).
 */

export const QUEUE_KINDS = ['workflows', 'kg', 'llm'] as const;
export type QueueKind = (typeof QUEUE_KINDS)[number];

export interface WorkerDeps {
  neo4j: Driver;
  /** The LLM client (default: one built from config.llm). */
  openai?: OpenAI;
}

export interface WorkerSetOptions {
  /** A pre-built bundle (tests bundle once per run); by default ./workflows is bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  queues?: readonly QueueKind[];
  /** Overrides for tests or benchmarks (e.g. a smaller sticky cache). */
  tuning?: Partial<Pick<WorkerOptions, 'maxCachedWorkflows' | 'maxConcurrentWorkflowTaskExecutions'>>;
}

export interface WorkerSet {
  workers: Worker[];
  connection: NativeConnection;
  /** Runs every worker until `until` settles (or forever), then shuts them all down. */
  run<T>(until?: Promise<T>): Promise<T | undefined>;
}

/** The error `WorkerSet.run(until)` raises when its workers stop (a signal, a crash) before `until` settles. */
export const WORKERS_STOPPED = 'workers stopped before the work finished';

export async function connectWorker(config: Config): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect(temporalConnectionOptions(config));
  } catch (error) {
    throw new UserError(
      `Temporal at ${config.temporal.address} is unreachable (${(error as Error).message.split('\n')[0]}). ` +
        'Start the local services with `npx medaction services up`, or set MEDACTION_TEMPORAL_ADDRESS.',
    );
  }
}

export async function createWorkerSet(config: Config, deps: WorkerDeps, options: WorkerSetOptions = {}): Promise<WorkerSet> {
  const queues = options.queues ?? QUEUE_KINDS;
  const connection = await connectWorker(config);
  const dataConverter = dataConverterFor(config);
  const common = { connection, namespace: config.temporal.namespace, ...(dataConverter ? { dataConverter } : {}) };
  const q = config.temporal.taskQueues;
  const workers: Worker[] = [];
  // One case cache, one set of build stores and one memoised KG per process: shared by every activity of every build.
  const cases = new CaseCache();
  const stores = new BuildStores();
  const kg = new CachedKg(new Neo4jKg(deps.neo4j, config.neo4j.database));
  const linker = new EntityLinker(kg);
  // The LLM endpoint serves the openai policy (LLM queue) and the optional LLM judge (KG queue).
  const endpoint = new LlmEndpoint(deps.openai ?? createOpenAiClient(config), config.llm, (line) =>
    process.stderr.write(`[llm] ${line}\n`),
  );
  const kgJudge = new CompositionalJudge(kg, linker);
  const judgeFor = (settings: RunSettings): DiagnosisJudge => {
    if (settings.judge !== 'llm' || !settings.judgeModel) return kgJudge;
    const model = settings.judgeModel;
    const store = new ResponseStore<StoredCompletion>(stores.open(settings.storeDir).llmDir);
    return new LlmJudge((messages, attempt) => endpoint.completeJudgement(model, messages, attempt, store), model);
  };
  try {
    if (queues.includes('workflows')) {
      workers.push(
        await Worker.create({
          ...common,
          taskQueue: q.workflows,
          ...(options.workflowBundle
            ? { workflowBundle: options.workflowBundle }
            : { workflowsPath: require.resolve('./workflows') }),
          activities: { ...createBuildActivities({ cases, stores }), ...createEvalActivities({ cases, stores }) },
          ...options.tuning,
        }),
      );
    }
    if (queues.includes('kg')) {
      workers.push(
        await Worker.create({
          ...common,
          taskQueue: q.kg,
          activities: {
            ...createKgActivities({ driver: deps.neo4j, database: config.neo4j.database }),
            ...createBaselinePolicyActivities({ cases, stores, baseline: new KgBaselinePolicy(kg, linker) }),
            ...createScoringActivities({ cases, stores, kg, linker, judgeFor }),
            ...createEpisodeScoringActivities({ cases, stores, kg, linker, judgeFor }),
          },
          maxConcurrentActivityTaskExecutions: 16,
        }),
      );
    }
    if (queues.includes('llm')) {
      workers.push(
        await Worker.create({
          ...common,
          taskQueue: q.llm,
          activities: createLlmPolicyActivities({ cases, stores, endpoint, endpointName: endpointName(config.llm.baseUrl) }),
          // Requests in flight on this worker, and node expansions per second for the whole queue.
          maxConcurrentActivityTaskExecutions: config.llm.maxConcurrency,
          maxTaskQueueActivitiesPerSecond: config.llm.maxRequestsPerSecond,
        }),
      );
    }
  } catch (error) {
    await connection.close();
    throw error;
  }

  return {
    workers,
    connection,
    async run<T>(until?: Promise<T>): Promise<T | undefined> {
      const runs = workers.map((w) => w.run());
      let result: T | undefined;
      try {
        if (until) {
          // A worker that crashes must not leave us waiting on `until` forever.
          result = await Promise.race([
            until,
            Promise.all(runs).then(() => {
              throw new Error(WORKERS_STOPPED);
            }),
          ]);
        } else {
          await Promise.all(runs);
        }
      } finally {
        for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
        await Promise.allSettled(runs);
        await connection.close();
      }
      return result;
    },
  };
}

/** The endpoint as failures name it: no credentials that a URL may carry, no query string. */
function endpointName(baseUrl: string): string {
  const url = new URL(baseUrl);
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/$/, '')}`;
}
