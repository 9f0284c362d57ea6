import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporalConnectionOptions } from '../clients/temporal';
import { type Config, loadConfig } from '../config';
import { PROJECT_ROOT } from '../config/project-root';
import { serializeCases } from '../core/cases/case-file';
import { servicesUp } from '../services/manager';
import { postgresPid } from '../services/postgres-server';
import { clusterLayout, clusterServerPid, stopCluster } from '../services/temporal-cluster';
import { serviceLayout } from '../services/layout';
import { exited, spawnLogged, stopProcess } from '../services/process';
import { neo4jPid } from '../services/neo4j-server';
import { temporalPid } from '../services/temporal-server';
import { bundledCases } from '../stores/bundled-cases';
import type { BareLoopResult } from './bare-loop';
import { benchmarkCorpus } from './corpus';
import { BENCH_BRANCHING, BENCH_SHAPE } from './doctor';
import { cpuMs, cpuMsWithChildren, folderMb, pssMbWithChildren, rssMb, sqliteMb } from './process-stats';

/**
 * The scale benchmark (see bench/README.md): a durable build of the benchmark corpus against the
 * benchmark LLM server (latency L, at most C calls in flight, rate limit R), the same calls through a bare
 * async loop, and a zero-latency build for the orchestration's own cost. Its own Temporal dev server
 * (a fresh SQLite file per build) and Neo4j run from .medaction/bench on ports 37233/38233/37687.
 */

export interface BenchOptions {
  cases: number;
  latencyMs: number;
  jitterMs: number;
  concurrency: number;
  rateLimit: number;
  casesInFlight: number;
  zeroLatencyCases: number;
  bareLoop: boolean;
  /** V8 heap limit of the worker process (--max-old-space-size), in MiB; undefined: Node's default. */
  workerHeapMb?: number;
  seed: number;
  /** Worker processes per task queue (null: one worker process serving every queue). */
  workers: WorkerLayout | null;
  /** With `cluster`, the durable builds run on the dev server and then on the cluster, side by side. */
  temporal: 'dev' | 'cluster';
  log: (line: string) => void;
}

/** How many worker processes serve each task queue (`--workers llm=2,kg=1,workflows=1`). */
export type WorkerLayout = Record<'workflows' | 'kg' | 'llm', number>;

export function parseWorkerLayout(spec: string): WorkerLayout {
  const layout: WorkerLayout = { workflows: 0, kg: 0, llm: 0 };
  for (const part of spec.split(',').filter(Boolean)) {
    const m = /^(workflows|kg|llm)=(\d+)$/.exec(part.trim());
    if (!m) throw new Error(`--workers: "${part}" is not queue=count (queues: workflows, kg, llm)`);
    layout[m[1] as keyof WorkerLayout] = Number(m[2]);
  }
  for (const [queue, n] of Object.entries(layout)) if (n < 1) throw new Error(`--workers: no worker for the ${queue} queue`);
  return layout;
}

export const BENCH_DIR = path.join(PROJECT_ROOT, '.medaction', 'bench');

export const BENCH_ENV: Record<string, string> = {
  MEDACTION_STATE_DIR: BENCH_DIR,
  MEDACTION_TEMPORAL_ADDRESS: '127.0.0.1:37233',
  MEDACTION_TEMPORAL_UI_URL: 'http://127.0.0.1:38233',
  MEDACTION_NEO4J_URI: 'bolt://127.0.0.1:37687',
  MEDACTION_NEO4J_PASSWORD: 'bench-password',
  MEDACTION_TASK_QUEUE: 'bench',
  MEDACTION_KG_TASK_QUEUE: 'bench-kg',
  MEDACTION_LLM_TASK_QUEUE: 'bench-llm',
  MEDACTION_LLM_API_KEY: 'sk-bench-not-a-secret',
  MEDACTION_LLM_MODEL: 'bench-doctor',
  MEDACTION_LLM_TIMEOUT_MS: '30000',
  MEDACTION_POLICY: 'openai',
  MEDACTION_BRANCHING: String(BENCH_BRANCHING),
  MEDACTION_MAX_TURNS: String(BENCH_SHAPE.maxTurns),
  // The benchmark doctor's likelihoods and test choices follow a script, not the evidence: RAC and
  // grounded ordering are computed for every path (the same work) but do not reject, so the dataset has
  // the size a real teacher's would.
  MEDACTION_MIN_RAC: '0',
  MEDACTION_MIN_GROUNDED: '0',
};

/** The benchmark's Temporal as a cluster (services/temporal-cluster.ts) on the same ports, PostgreSQL on its own. */
export const BENCH_CLUSTER_ENV: Record<string, string> = {
  ...BENCH_ENV,
  MEDACTION_TEMPORAL_SERVER: 'cluster',
  MEDACTION_POSTGRES_PORT: '35433',
  MEDACTION_START_TIMEOUT_S: '1800',
};

/** One durable build's measurements. */
export interface DurableRun {
  /** Which Temporal ran it: the dev server (SQLite) or the cluster (PostgreSQL). */
  temporal: 'dev' | 'cluster';
  build_id: string;
  cases: number;
  latency_ms: number;
  trajectories: number;
  rejected: number;
  failed_cases: number;
  failed_branches: number;
  llm_calls: number;
  wall_s: number;
  calls_per_s: number;
  worker_cpu_s: number;
  server_cpu_s: number;
  neo4j_cpu_s: number;
  llm_server_cpu_s: number;
  cpu_ms_per_call: number;
  worker_peak_rss_mb: number;
  server_peak_rss_mb: number;
  workflows: number;
  max_history_events: number;
  max_history_bytes: number;
  temporal_db_mb: number;
  worker_rss_mb_by_minute: number[];
  worker_heap_limit_mb?: number;
  /** With workers split by queue: CPU seconds and peak RSS of each queue's workers (summed, max). */
  workers_by_queue?: Record<string, { processes: number; cpu_s: number; cpu_ms_per_call: number; peak_rss_mb: number }>;
  /** On the cluster: PostgreSQL's CPU (postmaster and backends) and its data folder. */
  postgres_cpu_s?: number;
  postgres_disk_mb?: number;
  /** PostgreSQL's peak memory: the postmaster's and its backends' proportional set sizes, sampled each second. */
  postgres_peak_pss_mb?: number;
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const medaction = path.join(PROJECT_ROOT, 'bin', 'medaction.js');

/** Waits until `file` contains `text` (a child's log line), or fails after `ms`. */
async function waitForLine(file: string, text: string | RegExp, ms: number, child: ChildProcess): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const content = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    const match = typeof text === 'string' ? (content.includes(text) ? text : undefined) : text.exec(content)?.[0];
    if (match) return match;
    if (child.exitCode !== null)
      throw new Error(`${path.basename(file)}: the process exited (${child.exitCode}): ${content.slice(-800)}`);
    if (Date.now() > deadline) throw new Error(`${path.basename(file)}: no "${text}" after ${ms} ms`);
    await sleep(200);
  }
}

/** Starts the benchmark LLM server in its own process; resolves with its URL and process. */
async function startLlmServer(
  work: string,
  name: string,
  options: { corpusFile: string; latencyMs: number; jitterMs: number; rateLimit: number; log?: string },
): Promise<{ url: string; child: ChildProcess }> {
  const logFile = path.join(work, `${name}-llm-server.log`);
  const args = [
    path.join(__dirname, 'llm-server.ts'),
    '--corpus',
    options.corpusFile,
    '--shape',
    JSON.stringify(BENCH_SHAPE),
    '--latency-ms',
    String(options.latencyMs),
    '--jitter-ms',
    String(options.jitterMs),
    '--rate-limit',
    String(options.rateLimit),
    ...(options.log ? ['--log', options.log] : []),
  ];
  // `node --import tsx` (not the tsx launcher, which forks): the pid measured is the server's own.
  const child = spawnLogged(process.execPath, ['--import', 'tsx', ...args], logFile, process.env);
  const url = await waitForLine(logFile, /http:\/\/127\.0\.0\.1:\d+\/v1/, 30_000, child);
  return { url, child };
}

/**
 * Stops whichever benchmark Temporal runs (the two share their ports), removes its data (the dev
 * server's SQLite files, the cluster's PostgreSQL folder) and starts the one asked for: each build is
 * measured alone, on an empty store.
 */
export async function freshTemporal(config: Config, log: (line: string) => void): Promise<void> {
  const layout = serviceLayout(config);
  const pid = temporalPid(layout);
  if (pid) await stopProcess(pid, 20_000);
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(layout.temporalDbFile + suffix, { force: true });
  await stopCluster(config);
  fs.rmSync(path.dirname(clusterLayout(config).postgres.dataDir), { recursive: true, force: true });
  await servicesUp(config, (line) => log(`[services] ${line}`));
}

export async function durableRun(
  options: BenchOptions,
  config: Config,
  env: NodeJS.ProcessEnv,
  work: string,
  run: {
    name: string;
    casesFile: string;
    cases: number;
    latencyMs: number;
    jitterMs: number;
    rateLimit: number;
    requestLog: string;
  },
): Promise<DurableRun> {
  const { log } = options;
  await freshTemporal(config, log);
  const layout = serviceLayout(config);
  const server = await startLlmServer(work, run.name, {
    corpusFile: run.casesFile,
    latencyMs: run.latencyMs,
    jitterMs: run.jitterMs,
    rateLimit: run.rateLimit,
    log: run.requestLog,
  });
  const runEnv = { ...env, MEDACTION_LLM_BASE_URL: server.url };
  // BENCH_PROFILE=1: a V8 CPU profile of the worker in the work folder (open it in Chrome DevTools).
  const profile = process.env.BENCH_PROFILE === '1' ? ['--cpu-prof', '--cpu-prof-dir', work] : [];
  const heap = options.workerHeapMb ? [`--max-old-space-size=${options.workerHeapMb}`] : [];
  // One worker for every queue, or the layout asked for: each process serves one queue.
  const plan: { queue: string | null; log: string }[] = options.workers
    ? Object.entries(options.workers).flatMap(([queue, n]) =>
        Array.from({ length: n }, (_, i) => ({ queue, log: path.join(work, `${run.name}-worker-${queue}-${i + 1}.log`) })),
      )
    : [{ queue: null, log: path.join(work, `${run.name}-worker.log`) }];
  // LLM slots are per worker process: C calls in flight in all, shared by the LLM workers.
  const llmWorkers = options.workers ? (options.workers.llm ?? 0) : 1;
  const workerEnv = {
    ...runEnv,
    MEDACTION_LLM_CONCURRENCY: String(Math.max(1, Math.ceil(options.concurrency / Math.max(1, llmWorkers)))),
  };
  const workers = plan.map((w) =>
    spawnLogged(
      process.execPath,
      [...profile, ...heap, medaction, 'worker', '--log-level', 'WARN', ...(w.queue ? ['--queues', w.queue] : [])],
      w.log,
      workerEnv,
    ),
  );
  const cluster = config.services.temporal === 'cluster';
  try {
    await Promise.all(plan.map((w, i) => waitForLine(w.log, 'worker polling', 120_000, workers[i] as ChildProcess)));
    const temporal = (cluster ? clusterServerPid(clusterLayout(config)) : temporalPid(layout)) as number;
    const postgres = cluster ? postgresPid(clusterLayout(config).postgres) : undefined;
    const neo4j = neo4jPid(layout) as number;
    const pids = { worker: workers[0]?.pid as number, temporal, neo4j, llm: server.child.pid as number };
    const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuMs(pid)])) as Record<
      keyof typeof pids,
      number
    >;
    const workersBefore = workers.map((w) => cpuMs(w.pid as number));
    const postgresBefore = postgres === undefined ? 0 : cpuMsWithChildren(postgres);
    let serverPeak = 0;
    let postgresPeak = 0;
    // The worker's RSS once a minute: a steady climb is a leak, a plateau is the heap's working size.
    const workerRss: number[] = [];
    let ticks = 0;
    const sampler = setInterval(() => {
      try {
        serverPeak = Math.max(serverPeak, rssMb(temporal).now);
        if (postgres !== undefined) postgresPeak = Math.max(postgresPeak, pssMbWithChildren(postgres));
        if (ticks++ % 60 === 0) workerRss.push(Math.round(workers.reduce((sum, w) => sum + rssMb(w.pid as number).now, 0)));
      } catch {
        // the sample missed: the next one counts
      }
    }, 1000);
    const buildId = `${run.name}-${run.cases}`;
    const out = path.join(BENCH_DIR, 'out', buildId);
    fs.rmSync(out, { recursive: true, force: true });
    log(`${run.name}: durable build of ${run.cases} cases, latency ${run.latencyMs} ms, ${options.concurrency} calls in flight`);
    const started = performance.now();
    const buildLog = path.join(work, `${run.name}-build.log`);
    const build = spawnLogged(
      process.execPath,
      [medaction, 'build', '--cases', run.casesFile, '--out', out, '--build-id', buildId, '--no-worker', '--json'],
      buildLog,
      runEnv,
    );
    const progress = setInterval(() => log(`${run.name}: ${Math.round((performance.now() - started) / 1000)} s`), 60_000);
    const code = await exited(build);
    clearInterval(progress);
    const wall = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const after = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuMs(pid)])) as typeof before;
    const workersUsed = workers.map((w, i) => (cpuMs(w.pid as number) - (workersBefore[i] as number)) / 1000);
    const postgresUsed = postgres === undefined ? 0 : (cpuMsWithChildren(postgres) - postgresBefore) / 1000;
    // The worker's CPU is every worker process's.
    const used = (k: keyof typeof pids) =>
      k === 'worker' ? workersUsed.reduce((a, b) => a + b, 0) : (after[k] - before[k]) / 1000;
    if (code !== 0) throw new Error(`${run.name}: the build exited ${code}: ${fs.readFileSync(buildLog, 'utf8').slice(-1500)}`);
    const summary = lastJson(fs.readFileSync(buildLog, 'utf8')) as {
      trajectories_kept: number;
      rejected: number;
      cases_failed: number;
    };
    const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')) as { failed_branches?: unknown[] };
    const calls = countLines(run.requestLog);
    const histories = await historyStats(config, buildId);
    const byQueue = options.workers
      ? Object.fromEntries(
          Object.keys(options.workers).map((queue) => {
            const mine = plan.flatMap((w, i) => (w.queue === queue ? [i] : []));
            const cpu = mine.reduce((sum, i) => sum + (workersUsed[i] as number), 0);
            return [
              queue,
              {
                processes: mine.length,
                cpu_s: round(cpu, 1),
                cpu_ms_per_call: round((cpu * 1000) / Math.max(1, calls)),
                peak_rss_mb: round(Math.max(...mine.map((i) => rssMb(workers[i]?.pid as number).peak)), 0),
              },
            ];
          }),
        )
      : undefined;
    return {
      temporal: cluster ? 'cluster' : 'dev',
      build_id: buildId,
      cases: run.cases,
      latency_ms: run.latencyMs,
      trajectories: summary.trajectories_kept,
      rejected: summary.rejected,
      failed_cases: summary.cases_failed,
      failed_branches: report.failed_branches?.length ?? 0,
      llm_calls: calls,
      wall_s: round(wall, 1),
      calls_per_s: round(calls / wall),
      worker_cpu_s: round(used('worker'), 1),
      server_cpu_s: round(used('temporal'), 1),
      neo4j_cpu_s: round(used('neo4j'), 1),
      llm_server_cpu_s: round(used('llm'), 1),
      cpu_ms_per_call: round(((used('worker') + used('temporal') + postgresUsed) * 1000) / Math.max(1, calls)),
      worker_peak_rss_mb: round(Math.max(...workers.map((w) => rssMb(w.pid as number).peak)), 0),
      server_peak_rss_mb: round(Math.max(serverPeak, rssMb(temporal).peak), 0),
      ...histories,
      temporal_db_mb: round(cluster ? folderMb(clusterLayout(config).postgres.dataDir) : sqliteMb(layout.temporalDbFile), 1),
      worker_rss_mb_by_minute: workerRss,
      ...(options.workerHeapMb ? { worker_heap_limit_mb: options.workerHeapMb } : {}),
      ...(byQueue ? { workers_by_queue: byQueue } : {}),
      ...(cluster
        ? {
            postgres_cpu_s: round(postgresUsed, 1),
            postgres_disk_mb: round(folderMb(clusterLayout(config).postgres.dataDir), 1),
            postgres_peak_pss_mb: round(postgresPeak, 0),
          }
        : {}),
    };
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    server.child.kill('SIGTERM');
    await Promise.all([...workers.map(exited), exited(server.child)]);
  }
}

/** The largest history among the build's workflows (build runs, cases, branches), from the visibility store. */
async function historyStats(
  config: Config,
  buildId: string,
): Promise<{ workflows: number; max_history_events: number; max_history_bytes: number }> {
  const connection = await Connection.connect(temporalConnectionOptions(config));
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace });
    let workflows = 0;
    let events = 0;
    let bytes = 0;
    // Visibility is eventually consistent: the last closes may take a moment to show.
    await sleep(3000);
    for await (const wf of client.workflow.list({ query: `BuildId = "${buildId}"` })) {
      workflows++;
      events = Math.max(events, wf.historyLength ?? 0);
      bytes = Math.max(bytes, wf.historySize ?? 0);
    }
    return { workflows, max_history_events: events, max_history_bytes: bytes };
  } finally {
    await connection.close();
  }
}

function countLines(file: string): number {
  const buf = fs.readFileSync(file);
  let n = 0;
  for (const byte of buf) if (byte === 10) n++;
  return n;
}

function lastJson(text: string): unknown {
  const line = text
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (!line) throw new Error(`no JSON summary in the build's output: ${text.slice(-800)}`);
  return JSON.parse(line);
}

async function bareLoop(work: string, options: BenchOptions, casesFile: string, requestLog: string): Promise<BareLoopResult> {
  const server = await startLlmServer(work, 'bare', {
    corpusFile: casesFile,
    latencyMs: options.latencyMs,
    jitterMs: options.jitterMs,
    rateLimit: options.rateLimit,
  });
  try {
    options.log(`bare loop: the same ${countLines(requestLog)} calls, ${options.concurrency} in flight`);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'bare-loop.ts'), requestLog, server.url, String(options.concurrency)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await exited(child);
    if (code !== 0) throw new Error(`the bare loop exited ${code}`);
    return lastJson(out) as BareLoopResult;
  } finally {
    server.child.kill('SIGTERM');
    await exited(server.child);
  }
}

export interface BenchResult {
  cases: number;
  trajectories: number;
  llm_calls: number;
  wall_s: number;
  calls_per_s: number;
  bare_loop_calls_per_s: number | null;
  ratio_vs_bare_loop: number | null;
  ratio_vs_limit: number;
  cpu_ms_per_call: number;
  worker_peak_rss_mb: number;
  server_peak_rss_mb: number;
  max_history_events: number;
  max_history_bytes: number;
  temporal_db_mb: number;
  [extra: string]: unknown;
}

/**
 * One deployment's durable builds: the main one (latency L) and, if asked, the zero-latency one (pure
 * orchestration: no latency, no endpoint limit); `between` runs after the main build (the bare loop).
 */
async function deploymentRuns(
  options: BenchOptions,
  config: Config,
  env: NodeJS.ProcessEnv,
  work: string,
  files: { casesFile: string; zeroFile: string },
  names: { run: string; requests: string },
  between: () => Promise<void> = async () => undefined,
): Promise<{ durable: DurableRun; zero_latency: DurableRun | null }> {
  const durable = await durableRun(options, config, env, work, {
    name: `${names.run}-L${options.latencyMs}-C${options.concurrency}`,
    casesFile: files.casesFile,
    cases: options.cases,
    latencyMs: options.latencyMs,
    jitterMs: options.jitterMs,
    rateLimit: options.rateLimit,
    requestLog: path.join(work, `requests-${names.requests}.jsonl`),
  });
  options.log(`${names.run} durable: ${JSON.stringify(durable)}`);
  await between();
  const zero =
    options.zeroLatencyCases > 0
      ? await durableRun(options, config, env, work, {
          name: `${names.run}-L0-C${options.concurrency}`,
          casesFile: files.zeroFile,
          cases: options.zeroLatencyCases,
          latencyMs: 0,
          jitterMs: 0,
          rateLimit: 0,
          requestLog: path.join(work, `requests-${names.requests}-zero.jsonl`),
        })
      : null;
  if (zero) options.log(`${names.run} zero latency: ${JSON.stringify(zero)}`);
  return { durable, zero_latency: zero };
}

export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const { log } = options;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...BENCH_ENV,
    MEDACTION_LLM_CONCURRENCY: String(options.concurrency),
    // The endpoint's own limit (R) is the benchmark server's; the queue-wide limit must not bind first.
    MEDACTION_LLM_RATE_PER_SECOND: '100000',
    MEDACTION_CONCURRENCY: String(options.casesInFlight),
    MEDACTION_SEED: String(options.seed),
  };
  delete env.MEDACTION_CONFIG;
  const config = loadConfig({ env });
  const work = path.join(BENCH_DIR, 'work');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  log(`logs and request logs in ${work}`);
  await servicesUp(config, (line) => log(`[services] ${line}`));
  log('loading the bundled knowledge graph (skipped when loaded)');
  const kgLoad = spawnLogged(process.execPath, [medaction, 'kg', 'load', '--json'], path.join(work, 'kg-load.log'), env);
  if ((await exited(kgLoad)) !== 0) throw new Error(`kg load failed: see ${path.join(work, 'kg-load.log')}`);

  const corpus = benchmarkCorpus(bundledCases(), options.cases, options.seed);
  const casesFile = path.join(work, `cases-${options.cases}.jsonl`);
  fs.writeFileSync(casesFile, serializeCases(corpus));
  const zeroFile = path.join(work, `cases-${options.zeroLatencyCases}.jsonl`);
  fs.writeFileSync(zeroFile, serializeCases(corpus.slice(0, options.zeroLatencyCases)));

  const files = { casesFile, zeroFile };
  let bare: BareLoopResult | undefined;
  const dev = await deploymentRuns(options, config, env, work, files, { run: 'bench', requests: 'main' }, async () => {
    bare = options.bareLoop ? await bareLoop(work, options, casesFile, path.join(work, 'requests-main.jsonl')) : undefined;
    if (bare) log(`bare loop: ${JSON.stringify(bare)}`);
  });
  const main = dev.durable;
  const zero = dev.zero_latency ?? undefined;
  // The same builds on the cluster (the benchmark's ports, PostgreSQL on its own), after the dev server's.
  const clusterEnv: NodeJS.ProcessEnv = { ...env, ...BENCH_CLUSTER_ENV };
  const onCluster =
    options.temporal === 'cluster'
      ? await deploymentRuns(options, loadConfig({ env: clusterEnv }), clusterEnv, work, files, {
          run: 'cluster',
          requests: 'cluster',
        })
      : undefined;

  const latencyS = options.latencyMs / 1000;
  const limit = Math.min(
    options.rateLimit > 0 ? options.rateLimit : Infinity,
    latencyS > 0 ? options.concurrency / latencyS : Infinity,
  );
  return {
    cases: main.cases,
    trajectories: main.trajectories,
    llm_calls: main.llm_calls,
    wall_s: main.wall_s,
    calls_per_s: main.calls_per_s,
    bare_loop_calls_per_s: bare?.calls_per_s ?? null,
    ratio_vs_bare_loop: bare ? round(main.calls_per_s / bare.calls_per_s, 3) : null,
    ratio_vs_limit: round(main.calls_per_s / limit, 3),
    cpu_ms_per_call: main.cpu_ms_per_call,
    worker_peak_rss_mb: main.worker_peak_rss_mb,
    server_peak_rss_mb: main.server_peak_rss_mb,
    max_history_events: main.max_history_events,
    max_history_bytes: main.max_history_bytes,
    temporal_db_mb: main.temporal_db_mb,
    // Beyond the contract: the settings and every run in full.
    trajectories_per_case: round(main.trajectories / main.cases),
    limit_calls_per_s: round(limit),
    bare_loop_cpu_ms_per_call: bare?.cpu_ms_per_call ?? null,
    orchestration_cpu_ms_per_call: bare ? round(main.cpu_ms_per_call - bare.cpu_ms_per_call) : null,
    zero_latency: zero ?? null,
    durable: main,
    bare_loop: bare ?? null,
    // The same builds on the cluster, with their ratios to the same bare loop and limit.
    ...(onCluster
      ? {
          cluster: {
            ...onCluster,
            ratio_vs_bare_loop: bare ? round(onCluster.durable.calls_per_s / bare.calls_per_s, 3) : null,
            ratio_vs_limit: round(onCluster.durable.calls_per_s / limit, 3),
            ratio_vs_dev: round(onCluster.durable.calls_per_s / main.calls_per_s, 3),
          },
        }
      : {}),
    settings: {
      temporal: options.temporal,
      workers: options.workers,
      latency_ms: options.latencyMs,
      jitter_ms: options.jitterMs,
      concurrency: options.concurrency,
      rate_limit: options.rateLimit,
      cases_in_flight: options.casesInFlight,
      worker_heap_mb: options.workerHeapMb ?? null,
      branching: BENCH_BRANCHING,
      shape: BENCH_SHAPE,
      seed: options.seed,
    },
  };
}
