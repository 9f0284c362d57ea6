import { spawn } from 'node:child_process';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createNeo4jDriver } from '../../clients/neo4j';
import { temporalConnectionOptions } from '../../clients/temporal';
import { probeNeo4j } from '../../services/neo4j-server';
import { PROJECT_ROOT } from '../../config/project-root';
import { runCli } from '../support/cli';
import { testConfig, testProcessEnv } from '../support/test-env';

jest.setTimeout(300_000);

const config = testConfig();

describe('medaction services and smoke, as a user runs them', () => {
  it('reports both servers up, with the documented --json fields', async () => {
    const { code, stdout } = await runCli(['services', 'status', '--json']);
    expect(code).toBe(0);
    const status = JSON.parse(stdout);
    expect(status).toMatchObject({
      temporal: { up: true, address: '127.0.0.1:17233', ui: 'http://127.0.0.1:18233', managed: true },
      neo4j: { up: true, uri: 'bolt://127.0.0.1:17687', managed: true, version: 'Neo4j/5.26.25' },
    });
    expect(status.temporal.pid).toEqual(expect.any(Number));
    expect(status.neo4j.pid).toEqual(expect.any(Number));
  });

  it('serves the Temporal Web UI over HTTP', async () => {
    const response = await fetch(config.temporal.uiUrl);
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/<html/i);
  });

  it('treats a second `services up` as a no-op', async () => {
    const before = JSON.parse((await runCli(['services', 'status', '--json'])).stdout);
    const { code, stdout } = await runCli(['services', 'up', '--json']);
    expect(code).toBe(0);
    const up = JSON.parse(stdout);
    expect(up.started).toEqual({ temporal: false, neo4j: false });
    expect(up.installed).toEqual({ temporal: false, neo4j: false });
    expect(up.temporal.pid).toBe(before.temporal.pid);
    expect(up.neo4j.pid).toBe(before.neo4j.pid);
  });

  it('keeps workflows and graph data across `services down` and `services up`', async () => {
    const smoke = await runCli(['smoke', '--json', '--message', 'persist me']);
    expect(smoke.code).toBe(0);
    const { workflowId } = JSON.parse(smoke.stdout);

    const down = await runCli(['services', 'down', '--json']);
    expect(JSON.parse(down.stdout)).toEqual({ temporal: 'stopped', neo4j: 'stopped' });
    const stopped = JSON.parse((await runCli(['services', 'status', '--json'])).stdout);
    expect(stopped.temporal.up).toBe(false);
    expect(stopped.neo4j.up).toBe(false);
    expect(stopped.temporal.pid).toBeNull();

    const up = await runCli(['services', 'up', '--json']);
    expect(up.code).toBe(0);
    expect(JSON.parse(up.stdout).started).toEqual({ temporal: true, neo4j: true });

    const driver = createNeo4jDriver(config);
    const client = new Client({
      connection: await Connection.connect(temporalConnectionOptions(config)),
      namespace: config.temporal.namespace,
    });
    try {
      const { records } = await driver.executeQuery('MATCH (n:MedactionSmoke {id: $id}) RETURN n.message AS m', {
        id: workflowId,
      });
      expect(records.map((r) => r.get('m'))).toEqual(['persist me']);
      const description = await client.workflow.getHandle(workflowId).describe();
      expect(description.status.name).toBe('COMPLETED');
    } finally {
      await client.connection.close();
      await driver.close();
    }
  });

  it('names an unreachable Neo4j in one clear message', async () => {
    const { code, stdout, stderr } = await runCli(['smoke'], { MEDACTION_NEO4J_URI: 'bolt://127.0.0.1:1' });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim()).toMatch(
      /^medaction: Neo4j at bolt:\/\/127\.0\.0\.1:1 is unreachable \(.*ECONNREFUSED.*\)\. Start the local services/,
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('runs an LLM or workflow worker without Neo4j, and refuses a KG worker without it', async () => {
    const deadNeo4j = { MEDACTION_NEO4J_URI: 'bolt://127.0.0.1:1' };
    const kg = await runCli(['worker', '--queues', 'kg'], deadNeo4j);
    expect(kg.code).toBe(1);
    expect(kg.stderr.trim()).toMatch(/^medaction: Neo4j at bolt:\/\/127\.0\.0\.1:1 is unreachable/);
    // Neither queue's activities touch the graph: the worker polls (and is stopped once it does).
    const polling = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'medaction.js'), 'worker', '--queues', 'llm,workflows'], {
        env: testProcessEnv(deadNeo4j),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
      const seen = (d: Buffer) => {
        out += d.toString();
        if (out.includes('worker polling')) child.kill('SIGTERM');
      };
      child.stdout.on('data', seen);
      child.stderr.on('data', seen);
      child.on('error', reject);
      child.on('close', () => {
        clearTimeout(timer);
        resolve(out);
      });
    });
    expect(polling).toMatch(/worker polling .*: \S+, \S+ \(task queues/);
    expect(polling).not.toMatch(/unreachable/);
  });

  it('names an unreachable Temporal in one clear message', async () => {
    const { code, stderr } = await runCli(['smoke'], { MEDACTION_TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(/^medaction: Temporal at 127\.0\.0\.1:1 is unreachable/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
  // Last: three refused logins lock the user for a few seconds (Neo4j's auth_max_failed_attempts).
  it('reports Neo4j credentials it refuses, at once and without echoing the password', async () => {
    // A long start timeout: failing with the credentials message (not "Timed out") shows `up` did not wait.
    const wrong = { MEDACTION_NEO4J_PASSWORD: 'not-the-password-123', MEDACTION_START_TIMEOUT_S: '900' };
    const status = JSON.parse((await runCli(['services', 'status', '--json'], wrong)).stdout);
    expect(status.neo4j).toMatchObject({ up: false, authFailed: true });
    expect(status.neo4j.error).toMatch(/rejected the credentials of user "neo4j"/);
    const up = await runCli(['services', 'up'], wrong);
    expect(up.code).toBe(1);
    expect(up.stderr).toMatch(/^medaction: Neo4j at bolt:\/\/127\.0\.0\.1:17687 rejected the credentials/);
    expect(up.stderr + JSON.stringify(status)).not.toContain('not-the-password-123');

    // Leave Neo4j usable for the next test file: wait out the lockout with the right password.
    for (let i = 0; i < 60 && !(await probeNeo4j(config, 2000)).bolt; i++) await new Promise((r) => setTimeout(r, 1000));
    expect((await probeNeo4j(config, 2000)).bolt).toBe(true);
  });
});
