import { runCrashSuite } from '../support/crash-suite';

jest.setTimeout(1_200_000);

/**
 * The crash suite, small: a build of 6 cases with the openai policy against the scripted server, its
 * worker killed (kill -9) twice, the Temporal dev server restarted once and Neo4j stopped for 5 s, against
 * an uninterrupted build. `npm run crash-suite` runs the full version (20 cases, 5 kills, both policies).
 */
describe('crash suite (small)', () => {
  it('gives the byte-identical dataset, loses and duplicates nothing, and pays no finished LLM call twice', async () => {
    const result = await runCrashSuite({
      policy: 'openai',
      cases: 6,
      kills: 2,
      serverRestarts: 1,
      neo4jRestarts: 1,
      seed: 7,
      delayMs: 300,
      log: (line) => process.stderr.write(`[crash-suite] ${line}\n`),
    });
    expect(result).toMatchObject({
      kills: 2,
      server_restarts: 1,
      neo4j_restarts: 1,
      identical: true,
      lost: 0,
      duplicated: 0,
      repeated_completed_calls: 0,
    });
    expect(result.trajectories).toBeGreaterThan(0);
  });
});

/**
 * The same on the Temporal cluster on PostgreSQL, its work split over three workers (workflows, kg,
 * llm): three kills -9, each of a seeded worker, a restart of the Temporal server, and PostgreSQL stopped
 * for 5 s under the running server.
 */
describe('crash suite on the Temporal cluster (small)', () => {
  it('gives the byte-identical dataset, loses and duplicates nothing, and pays no finished LLM call twice', async () => {
    const result = await runCrashSuite({
      policy: 'openai',
      temporal: 'cluster',
      cases: 6,
      kills: 3,
      serverRestarts: 1,
      postgresRestarts: 1,
      seed: 7,
      delayMs: 300,
      log: (line) => process.stderr.write(`[crash-suite cluster] ${line}\n`),
    });
    expect(result).toMatchObject({
      temporal: 'cluster',
      kills: 3,
      server_restarts: 1,
      postgres_restarts: 1,
      identical: true,
      lost: 0,
      duplicated: 0,
      repeated_completed_calls: 0,
    });
    expect(result.trajectories).toBeGreaterThan(0);
  });
});
