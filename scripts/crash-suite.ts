import { Command } from 'commander';
import { runCrashSuite, type CrashSuiteResult } from '../test/support/crash-suite';

/**
 * `npm run crash-suite [-- --cases 20 --kills 5 --seed 1 --policy both --delay-ms 300]`: builds the
 * same cases twice, once uninterrupted and once with its worker killed (kill -9) at seeded random moments
 * and the Temporal dev server restarted once, then compares the datasets and the LLM request log. The last
 * line is one JSON object. `--temporal cluster` runs it on the Temporal cluster on PostgreSQL, with one
 * worker per task queue (each kill picks one) and PostgreSQL restarted once under the running server.
 */
const program = new Command('crash-suite')
  .option('--cases <n>', 'cases in the build', (v) => Number.parseInt(v, 10), 20)
  .option('--kills <n>', 'kill -9 of the worker', (v) => Number.parseInt(v, 10), 5)
  .option('--server-restarts <n>', 'restarts of the Temporal dev server (0 or 1)', (v) => Number.parseInt(v, 10), 1)
  .option('--neo4j-restarts <n>', 'stops of Neo4j mid-build (0 or 1)', (v) => Number.parseInt(v, 10), 1)
  .option('--seed <n>', 'seed of the kill moments', (v) => Number.parseInt(v, 10), 1)
  .option('--policy <p>', 'openai, kg-baseline or both', 'both')
  .option('--delay-ms <ms>', 'latency of each scripted LLM reply', (v) => Number.parseInt(v, 10), 300)
  .option('--temporal <dev|cluster>', 'the dev server or the Temporal cluster on PostgreSQL', 'dev')
  .option('--postgres-restarts <n>', 'on the cluster: stops of PostgreSQL mid-build (0 or 1)', (v) => Number.parseInt(v, 10), 1)
  .parse();

async function main(): Promise<void> {
  const o = program.opts<{
    cases: number;
    kills: number;
    serverRestarts: number;
    neo4jRestarts: number;
    seed: number;
    policy: string;
    delayMs: number;
    temporal: string;
    postgresRestarts: number;
  }>();
  if (o.temporal !== 'dev' && o.temporal !== 'cluster') throw new Error(`--temporal: expected dev or cluster, got "${o.temporal}"`);
  const temporal = o.temporal;
  const policies = (o.policy === 'both' ? ['openai', 'kg-baseline'] : [o.policy]) as ('openai' | 'kg-baseline')[];
  const runs: CrashSuiteResult[] = [];
  for (const policy of policies) {
    const run = await runCrashSuite({
      policy,
      cases: o.cases,
      kills: o.kills,
      serverRestarts: o.serverRestarts,
      neo4jRestarts: o.neo4jRestarts,
      seed: o.seed,
      delayMs: o.delayMs,
      temporal,
      postgresRestarts: o.postgresRestarts,
      log: (line) => process.stderr.write(`[${policy}] ${line}\n`),
    });
    process.stderr.write(`[${policy}] ${JSON.stringify(run)}\n`);
    runs.push(run);
  }
  const sum = (f: (r: CrashSuiteResult) => number) => runs.reduce((s, r) => s + f(r), 0);
  process.stdout.write(
    `${JSON.stringify({
      temporal,
      cases: o.cases,
      kills: sum((r) => r.kills),
      server_restarts: sum((r) => r.server_restarts),
      neo4j_restarts: sum((r) => r.neo4j_restarts),
      postgres_restarts: sum((r) => r.postgres_restarts),
      trajectories: sum((r) => r.trajectories),
      rejected: sum((r) => r.rejected),
      identical: runs.every((r) => r.identical),
      lost: sum((r) => r.lost),
      duplicated: sum((r) => r.duplicated),
      repeated_completed_calls: sum((r) => r.repeated_completed_calls),
      runs,
    })}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`crash suite: ${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
});
