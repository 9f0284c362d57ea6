import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { createNeo4jDriver } from '../../clients/neo4j';
import { PROJECT_ROOT } from '../../config/project-root';
import { loadKg } from '../../stores/neo4j-kg/loader';
import { runCli } from '../support/cli';
import { testConfig, testProcessEnv, TEST_STATE_DIR } from '../support/test-env';
import { writeTinyCases } from '../support/tiny-cases';
import { tinyKg } from '../support/tiny-kg';

jest.setTimeout(1_800_000);

/**
 * MedAction on a production-style Temporal: `services up --temporal cluster` (the Temporal server on
 * its own PostgreSQL with SQL visibility, and the UI server) beside the test dev server, on ports of
 * its own. A build runs on it unchanged and gives the dev server's bytes; so does one whose work is
 * done by workers split by task queue, each its own process.
 */
const CLUSTER_ENV: Record<string, string> = {
  MEDACTION_STATE_DIR: path.join(TEST_STATE_DIR, 'cluster'),
  MEDACTION_TEMPORAL_SERVER: 'cluster',
  MEDACTION_TEMPORAL_ADDRESS: '127.0.0.1:27233',
  MEDACTION_TEMPORAL_UI_URL: 'http://127.0.0.1:28233',
  MEDACTION_POSTGRES_PORT: '25433',
  // The first start builds the server with go install.
  MEDACTION_START_TIMEOUT_S: '1500',
};
const UI = CLUSTER_ENV.MEDACTION_TEMPORAL_UI_URL as string;

let driver: Driver;
let work: string;
let casesFile: string;

beforeAll(async () => {
  driver = createNeo4jDriver(testConfig());
  await loadKg(driver, testConfig().neo4j.database, tinyKg(), { replace: true });
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'medaction-cluster-'));
  casesFile = writeTinyCases(work);
});

afterAll(async () => {
  await runCli(['services', 'down', '--json'], CLUSTER_ENV, 180_000);
  await driver?.close();
});

const dataset = (dir: string) =>
  ['trajectories.jsonl', 'rejected.jsonl'].map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n--\n');

function startWorker(queues: string): ChildProcess {
  return spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'medaction.js'), 'worker', '--queues', queues], {
    env: testProcessEnv(CLUSTER_ENV),
    stdio: 'ignore',
  });
}

describe('a Temporal cluster on PostgreSQL (services up --temporal cluster)', () => {
  it('comes up with its Web UI, saying which Temporal it is', async () => {
    const up = await runCli(['services', 'up', '--json'], CLUSTER_ENV, 1_700_000);
    expect(up.code).toBe(0);
    const status = JSON.parse(up.stdout.trim().split('\n').pop() as string);
    expect(status.temporal).toMatchObject({ up: true, deployment: 'cluster', address: '127.0.0.1:27233', managed: true });
    expect(status.temporal.pid).toEqual(expect.any(Number));
    expect((await fetch(UI)).status).toBe(200);
    const again = JSON.parse(
      (await runCli(['services', 'status', '--json'], { ...CLUSTER_ENV, MEDACTION_TEMPORAL_SERVER: 'dev' })).stdout,
    );
    // A running cluster is found without the setting.
    expect(again.temporal.deployment).toBe('cluster');
  });

  it("runs a build unchanged, with the dev server's bytes, and the Web UI lists its workflows by BuildId", async () => {
    const args = (out: string) => ['build', '--cases', casesFile, '--out', out, '--build-id', 'cluster-same', '--json'];
    const onCluster = await runCli(args(path.join(work, 'cluster')), CLUSTER_ENV, 600_000);
    expect(onCluster.code).toBe(0);
    const onDev = await runCli(args(path.join(work, 'dev')), {}, 600_000);
    expect(onDev.code).toBe(0);
    expect(dataset(path.join(work, 'cluster'))).toBe(dataset(path.join(work, 'dev')));
    expect(JSON.parse(onCluster.stdout.trim().split('\n').pop() as string)).toEqual(
      JSON.parse(onDev.stdout.trim().split('\n').pop() as string),
    );

    const query = encodeURIComponent('BuildId = "cluster-same"');
    const listed = (await (await fetch(`${UI}/api/v1/namespaces/default/workflows?query=${query}`)).json()) as {
      executions: { execution: { workflowId: string } }[];
    };
    const ids = listed.executions.map((e) => e.execution.workflowId);
    expect(ids).toContain('build/cluster-same');
    expect(ids.length).toBeGreaterThan(1);
  });

  it('gives the same bytes when workers split by task queue, each its own process, do the work', async () => {
    const workers = ['workflows', 'kg', 'kg', 'llm'].map(startWorker);
    try {
      const out = path.join(work, 'split-workers');
      const result = await runCli(
        ['build', '--cases', casesFile, '--out', out, '--build-id', 'cluster-split', '--no-worker', '--json'],
        CLUSTER_ENV,
        600_000,
      );
      expect(result.code).toBe(0);
      // A build of its own (the first one's workflows are done): the same records under its own id.
      expect(dataset(out).replaceAll('cluster-split', 'cluster-same')).toBe(dataset(path.join(work, 'dev')));
    } finally {
      for (const w of workers) w.kill('SIGTERM');
    }
  });
});
