import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createNeo4jDriver } from '../../clients/neo4j';
import { temporalConnectionOptions } from '../../clients/temporal';
import { type Config, loadConfig } from '../../config';
import { PROJECT_ROOT } from '../../config/project-root';
import { serializeCases } from '../../core/cases/case-file';
import { newCase, type Case } from '../../core/cases/model';
import { seededRandom } from '../../core/random';
import { servicesDown, servicesUp } from '../../services/manager';
import { serviceLayout } from '../../services/layout';
import { exited, spawnLogged, stopProcess } from '../../services/process';
import { neo4jPid } from '../../services/neo4j-server';
import { postgresPid, startPostgres, stopPostgres } from '../../services/postgres-server';
import { clusterLayout, clusterServerPid } from '../../services/temporal-cluster';
import { temporalPid } from '../../services/temporal-server';
import { loadKg } from '../../stores/neo4j-kg/loader';
import { SCRIPT_BRANCHING, SCRIPT_MAX_TURNS, scriptedDoctor } from './scripted-doctor';
import { startScriptedLlmServer, type LoggedRequest } from './scripted-llm-server';
import { TINY_CASES } from './tiny-cases';
import { tinyKg } from './tiny-kg';

/**
 * The crash suite: a build interrupted by kill -9 of its worker at seeded random moments and by a
 * restart of the Temporal server, compared with an uninterrupted build of the same configuration.
 * It runs its own Temporal and Neo4j (state in .medaction/crash-suite, ports 27233/28233/27687), the
 * tiny KG, variants of the tiny cases, and for the openai policy the scripted LLM server. On the cluster
 * (`temporal: 'cluster'`: the Temporal server on PostgreSQL, port 27433) the work is done by one worker
 * per task queue, each killed in turn, and PostgreSQL itself can be restarted under the running server.
 */

export interface CrashSuiteOptions {
  policy: 'openai' | 'kg-baseline';
  cases: number;
  kills: number;
  serverRestarts: number;
  /** Stops of Neo4j mid-build (started again 5 s later). */
  neo4jRestarts?: number;
  /** The dev server (default) or the Temporal cluster on PostgreSQL, with workers split by queue. */
  temporal?: 'dev' | 'cluster';
  /** On the cluster: stops of PostgreSQL under the running Temporal server (started again 5 s later). */
  postgresRestarts?: number;
  seed: number;
  /** Latency of each scripted LLM reply. */
  delayMs: number;
  log?: (line: string) => void;
}

export interface CrashSuiteResult {
  policy: string;
  temporal: 'dev' | 'cluster';
  cases: number;
  kills: number;
  /** Kills by the killed worker's task queues ("all" for the one worker of every queue). */
  kills_by_worker: Record<string, number>;
  server_restarts: number;
  neo4j_restarts: number;
  postgres_restarts: number;
  /** Workers that exited on their own (and were started again), e.g. when the server was away too long. */
  worker_exits: number;
  trajectories: number;
  /** Rejected paths, compared too: a build that keeps nothing still has a dataset to compare. */
  rejected: number;
  identical: boolean;
  lost: number;
  duplicated: number;
  /** Requests answered in full and then made again, other than those in flight at a kill (see below). */
  repeated_completed_calls: number;
  /** Requests made again because their answer arrived within moments of a kill, before it was stored. */
  repeated_in_flight_calls: number;
  wall_s: number;
}

const API_KEY = 'sk-crash-suite-not-a-secret';

export const CRASH_ENV: Record<string, string> = {
  MEDACTION_STATE_DIR: path.join(PROJECT_ROOT, '.medaction', 'crash-suite'),
  MEDACTION_TEMPORAL_ADDRESS: '127.0.0.1:27233',
  MEDACTION_TEMPORAL_UI_URL: 'http://127.0.0.1:28233',
  MEDACTION_NEO4J_URI: 'bolt://127.0.0.1:27687',
  MEDACTION_NEO4J_PASSWORD: 'crash-suite-password',
  MEDACTION_NEO4J_HEAP: '512m',
  MEDACTION_NEO4J_PAGECACHE: '128m',
  MEDACTION_TASK_QUEUE: 'crash',
  MEDACTION_KG_TASK_QUEUE: 'crash-kg',
  MEDACTION_LLM_TASK_QUEUE: 'crash-llm',
  MEDACTION_LLM_API_KEY: API_KEY,
  MEDACTION_LLM_MODEL: 'scripted-doctor',
  // A short request timeout keeps the heartbeat timeout (timeout + 30 s) short after a kill.
  MEDACTION_LLM_TIMEOUT_MS: '5000',
  MEDACTION_LLM_RATE_PER_SECOND: '100',
  MEDACTION_BRANCHING: String(SCRIPT_BRANCHING),
  MEDACTION_MAX_TURNS: String(SCRIPT_MAX_TURNS),
  MEDACTION_MIN_GROUNDED: '0',
};

/** On the cluster: the same ports, the Temporal server on a PostgreSQL of the suite's own. */
export const CRASH_CLUSTER_ENV: Record<string, string> = {
  MEDACTION_TEMPORAL_SERVER: 'cluster',
  MEDACTION_POSTGRES_PORT: '27433',
  // The first start builds the server with go install.
  MEDACTION_START_TIMEOUT_S: '1500',
};

/** The worker processes of a deployment: one for every queue, or one per queue on the cluster. */
const WORKER_QUEUES: Record<'dev' | 'cluster', (string | null)[]> = { dev: [null], cluster: ['workflows', 'kg', 'llm'] };

/** n cases: the tiny cases over and over, each with its own id and a line that makes its o1 its own. */
export function crashCases(n: number): Case[] {
  return Array.from({ length: n }, (_, i) => {
    const base = TINY_CASES[i % TINY_CASES.length] as Case;
    return newCase({
      ...base,
      id: `${base.id}-${String(i + 1).padStart(3, '0')}`,
      o1: [...base.o1.sections, { title: 'Patient', text: `number ${i + 1}` }],
    });
  });
}

function cli(args: string[], env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  return spawnLogged(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'medaction.js'), ...args], logFile, env);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runCrashSuite(options: CrashSuiteOptions): Promise<CrashSuiteResult> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `medaction-crash-${options.policy}-`));
  const doctor = scriptedDoctor(0, 4000, options.delayMs);
  const server = await startScriptedLlmServer(doctor.script);
  const temporal = options.temporal ?? 'dev';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...CRASH_ENV,
    ...(temporal === 'cluster' ? CRASH_CLUSTER_ENV : {}),
    MEDACTION_LLM_BASE_URL: server.url,
    MEDACTION_POLICY: options.policy,
  };
  delete env.MEDACTION_CONFIG;
  const config: Config = loadConfig({ env });
  const layout = serviceLayout(config);
  const cluster = clusterLayout(config);
  const queues = WORKER_QUEUES[temporal];
  const workers: (ChildProcess | undefined)[] = queues.map(() => undefined);
  try {
    await servicesUp(config, (line) => log(`[services] ${line}`));
    const driver = createNeo4jDriver(config);
    try {
      await loadKg(driver, config.neo4j.database, tinyKg(), { replace: true });
    } finally {
      await driver.close();
    }
    const casesFile = path.join(work, 'cases.jsonl');
    fs.writeFileSync(casesFile, serializeCases(crashCases(options.cases)));
    const buildArgs = (out: string) => [
      'build',
      '--cases',
      casesFile,
      '--out',
      out,
      '--build-id',
      `crash-${options.policy}`,
      '--json',
    ];

    // 1. The uninterrupted build.
    const reference = path.join(work, 'reference');
    log(`reference build of ${options.cases} cases (${options.policy}, Temporal ${temporal})`);
    const refRun = cli(buildArgs(reference), env, path.join(work, 'reference.log'));
    if ((await exited(refRun)) !== 0) throw new Error(`the reference build failed: see ${path.join(work, 'reference.log')}`);
    const referenceRequests = server.requests.length;

    // 2. The same build, its workers killed and the servers restarted along the way.
    const crashed = path.join(work, 'crashed');
    const starter = cli([...buildArgs(crashed), '--detach'], env, path.join(work, 'crashed.log'));
    if ((await exited(starter)) !== 0)
      throw new Error(`starting the crashed build failed: see ${path.join(work, 'crashed.log')}`);
    const startWorker = (i: number) => {
      const queue = queues[i];
      const args = ['worker', '--log-level', 'WARN', ...(queue ? ['--queues', queue] : [])];
      workers[i] = cli(args, env, path.join(work, `worker-${queue ?? 'all'}.log`));
    };
    const killWorker = async (i: number) => {
      const w = workers[i] as ChildProcess;
      w.kill('SIGKILL');
      await exited(w);
    };
    queues.forEach((_, i) => startWorker(i));
    // A worker that exits on its own is started again, and counted.
    let workerExits = 0;
    const reviveWorkers = () => {
      workers.forEach((w, i) => {
        if (w && w.exitCode !== null && w.signalCode === null) {
          log(`worker ${queues[i] ?? 'all'} exited (code ${w.exitCode}): starting it again`);
          workerExits++;
          startWorker(i);
        }
      });
    };
    const client = new Client({
      connection: await Connection.connect(temporalConnectionOptions(config)),
      namespace: config.temporal.namespace,
    });
    const random = seededRandom(`crash-suite|${options.seed}|${options.policy}`);
    const killTimes: number[] = [];
    const killsByWorker: Record<string, number> = {};
    let kills = 0;
    let restarts = 0;
    let neo4jRestarts = 0;
    let postgresRestarts = 0;
    const done = async () => {
      try {
        const d = await client.workflow.getHandle(`build/crash-${options.policy}`).describe();
        return d.status.name !== 'RUNNING';
      } catch {
        return false; // the server is restarting
      }
    };
    const wantPostgres = temporal === 'cluster' ? (options.postgresRestarts ?? 0) : 0;
    const steps = options.kills + options.serverRestarts + wantPostgres;
    const postgresStep = wantPostgres > 0 ? steps - 1 : -1;
    const serverStep = Math.floor((steps - wantPostgres) / 2);
    for (let i = 0; i < steps; i++) {
      await sleep(1500 + random() * 3500);
      reviveWorkers();
      if (await done()) break;
      if (neo4jRestarts < (options.neo4jRestarts ?? 0) && i === 0) {
        // KG activities meet an unreachable Neo4j and are retried with backoff until it is back.
        const pid = neo4jPid(layout);
        log(`stopping Neo4j (pid ${pid}) for 5 s`);
        if (pid) await stopProcess(pid, 20_000);
        await sleep(5000);
        await servicesUp(config, () => undefined);
        neo4jRestarts++;
      }
      if (i === postgresStep) {
        // The Temporal server keeps running; its persistence calls fail until PostgreSQL is back.
        log(`stopping PostgreSQL (pid ${postgresPid(cluster.postgres)}) for 5 s under the running Temporal server`);
        stopPostgres(cluster.postgres);
        await sleep(5000);
        await startPostgres(cluster.postgres);
        postgresRestarts++;
        continue;
      }
      if (restarts < options.serverRestarts && i === serverStep) {
        const pid = temporal === 'cluster' ? clusterServerPid(cluster) : temporalPid(layout);
        log(`restarting the Temporal ${temporal === 'cluster' ? 'server' : 'dev server'} (pid ${pid})`);
        if (pid) await stopProcess(pid, 30_000);
        await servicesUp(config, () => undefined);
        restarts++;
        // The workers may have given up on the lost connection: start fresh ones.
        for (let w = 0; w < workers.length; w++) {
          await killWorker(w);
          startWorker(w);
        }
        continue;
      }
      const victim = Math.floor(random() * workers.length);
      const name = queues[victim] ?? 'all';
      log(`kill -9 worker ${name} pid ${workers[victim]?.pid} (kill ${kills + 1})`);
      // Only a worker that makes LLM calls can die between an answer and its store write.
      if (name === 'all' || name === 'llm') killTimes.push(Date.now());
      await killWorker(victim);
      killsByWorker[name] = (killsByWorker[name] ?? 0) + 1;
      kills++;
      startWorker(victim);
    }
    const deadline = Date.now() + 15 * 60_000;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error('the crashed build did not finish in 15 minutes');
      reviveWorkers();
      await sleep(2000);
    }
    const status = (await client.workflow.getHandle(`build/crash-${options.policy}`).describe()).status.name;
    await client.connection.close();
    if (status !== 'COMPLETED') throw new Error(`the crashed build ended ${status}`);

    // 3. Compare the dataset: the kept trajectories and the rejected paths (a policy may keep none).
    const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file));
    const ids = (buf: Buffer) =>
      buf
        .toString('utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { id: string }).id);
    const files = ['trajectories.jsonl', 'rejected.jsonl'];
    const identical = files.every((f) => read(reference, f).equals(read(crashed, f)));
    const refIds = files.flatMap((f) => ids(read(reference, f)));
    const crashIds = files.flatMap((f) => ids(read(crashed, f)));
    const crashSet = new Set(crashIds);
    const repeats = repeatedCalls(server.requests.slice(referenceRequests), killTimes);
    return {
      policy: options.policy,
      temporal,
      cases: options.cases,
      kills,
      kills_by_worker: killsByWorker,
      server_restarts: restarts,
      neo4j_restarts: neo4jRestarts,
      postgres_restarts: postgresRestarts,
      worker_exits: workerExits,
      trajectories: ids(read(crashed, 'trajectories.jsonl')).length,
      rejected: ids(read(crashed, 'rejected.jsonl')).length,
      identical,
      lost: refIds.filter((id) => !crashSet.has(id)).length,
      duplicated: crashIds.length - crashSet.size,
      repeated_completed_calls: repeats.completed,
      repeated_in_flight_calls: repeats.inFlight,
      wall_s: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    for (const w of workers) w?.kill('SIGKILL');
    await server.close();
    await servicesDown(config).catch(() => undefined);
  }
}

/**
 * Requests made again after a complete answer. A repeat is "in flight" when that answer was handed over
 * less than 3 s before a kill: the worker may have died before storing it (the store write follows the
 * reply). Any other repeat is a completed call paid twice.
 */
export function repeatedCalls(requests: LoggedRequest[], killTimes: number[]): { completed: number; inFlight: number } {
  const firstAnswer = new Map<string, number>();
  let completed = 0;
  let inFlight = 0;
  for (const r of requests) {
    const answered = firstAnswer.get(r.key);
    if (answered !== undefined) {
      if (killTimes.some((k) => answered <= k && k - answered < 3000)) inFlight++;
      else completed++;
      continue;
    }
    if (r.completedAt !== undefined) firstAnswer.set(r.key, r.completedAt);
  }
  return { completed, inFlight };
}
