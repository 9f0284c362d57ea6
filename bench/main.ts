import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { servicesDown } from '../services/manager';
import { loadConfig } from '../config';
import { REFERENCE_CASES } from './corpus';
import { BENCH_CLUSTER_ENV, BENCH_ENV, parseWorkerLayout, runBench, type BenchOptions } from './run';

/**
 * `npm run bench [-- --cases N --latency-ms L --concurrency C …]`: the scale benchmark. Writes
 * bench/results/<date>.json and prints the same JSON object as its last line.
 */
const int = (v: string) => Number.parseInt(v, 10);
const program = new Command('bench')
  .option('--cases <n>', 'cases in the durable build', int, REFERENCE_CASES)
  .option('--latency-ms <ms>', 'LLM latency per call (L)', int, 1000)
  .option('--jitter-ms <ms>', 'uniform jitter around the latency', int, 100)
  .option('--concurrency <c>', 'LLM calls in flight (C): the LLM worker slots and the bare loop limit', int, 64)
  .option('--rate-limit <r>', 'requests per second the LLM server accepts (R; 0: none)', int, 100)
  .option('--cases-in-flight <n>', 'cases the build runs at once', int, 96)
  .option('--zero-latency-cases <n>', 'cases of the zero-latency build (0: skip it; default: min(cases, 500))', int)
  .option('--no-bare-loop', 'skip the bare async loop')
  .option('--worker-heap-mb <n>', "the worker's V8 heap limit (node --max-old-space-size)", int)
  .option('--seed <n>', 'seed of the corpus and the build', int, 0)
  .option('--label <name>', 'a suffix for the results file (bench/results/<date>[-cluster]-<name>.json)')
  .option('--keep-services', 'leave the benchmark Temporal and Neo4j running afterwards')
  .option(
    '--temporal <dev|cluster>',
    'cluster: run the durable builds on the dev server and then on the Temporal cluster on PostgreSQL, side by side',
    'dev',
  )
  .option(
    '--workers <spec>',
    'worker processes per task queue, e.g. llm=2,kg=1,workflows=1 (default: one worker for every queue)',
    parseWorkerLayout,
  )
  .parse();

async function main(): Promise<void> {
  const o = program.opts<
    Omit<BenchOptions, 'log' | 'zeroLatencyCases'> & { zeroLatencyCases?: number; keepServices?: boolean; label?: string }
  >();
  const started = new Date();
  try {
    if (o.temporal !== 'dev' && o.temporal !== 'cluster')
      throw new Error(`--temporal: expected dev or cluster, got "${String(o.temporal)}"`);
    if (o.label !== undefined && !/^[a-z0-9][a-z0-9.-]*$/i.test(o.label))
      throw new Error(`--label: letters, digits, dots and dashes only, got "${o.label}"`);
    const name = [started.toISOString().slice(0, 10), ...(o.temporal === 'cluster' ? ['cluster'] : []), ...(o.label ? [o.label] : [])];
    const result = await runBench({
      ...o,
      workers: o.workers ?? null,
      zeroLatencyCases: o.zeroLatencyCases ?? Math.min(o.cases, 500),
      log: (line) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`),
    });
    const record = {
      ...result,
      date: started.toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpu_model: os.cpus()[0]?.model,
        memory_gb: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
        platform: `${os.type()} ${os.release()}`,
      },
      command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    };
    const dir = path.join(__dirname, 'results');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name.join('-')}.json`);
    fs.writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
    process.stderr.write(`[bench] results in ${path.relative(process.cwd(), file)}\n`);
    process.stdout.write(`${JSON.stringify(record)}\n`);
  } finally {
    if (!o.keepServices) {
      const env = { ...process.env, ...BENCH_ENV };
      delete env.MEDACTION_CONFIG;
      await servicesDown(loadConfig({ env })).catch(() => undefined);
      if (o.temporal === 'cluster')
        await servicesDown(loadConfig({ env: { ...env, ...BENCH_CLUSTER_ENV } })).catch(() => undefined);
    }
  }
}

main().catch((error) => {
  process.stderr.write(`bench: ${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
});
