import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { Driver } from 'neo4j-driver';
import { createNeo4jDriver } from '../../clients/neo4j';
import { temporalConnectionOptions } from '../../clients/temporal';
import { smokeWorkflow } from '../../workflows/smoke';
import { createWorkerSet } from '../../worker';
import { testConfig, WORKFLOW_BUNDLE_PATH } from '../support/test-env';

jest.setTimeout(120_000);

const config = testConfig();
let driver: Driver;
let client: Client;

beforeAll(async () => {
  driver = createNeo4jDriver(config);
  client = new Client({
    connection: await Connection.connect(temporalConnectionOptions(config)),
    namespace: config.temporal.namespace,
  });
});

afterAll(async () => {
  await client.connection.close();
  await driver.close();
});

describe('smoke workflow on the real Temporal dev server and Neo4j', () => {
  it('runs a workflow whose KG activity writes a node to Neo4j and reads it back', async () => {
    const workers = await createWorkerSet(
      config,
      { neo4j: driver },
      { workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH }, queues: ['workflows', 'kg'] },
    );
    const workflowId = `test-smoke-${randomUUID()}`;
    const message = `it's a "quoted" \\ message`;
    const handle = await client.workflow.start(smokeWorkflow, {
      taskQueue: config.temporal.taskQueues.workflows,
      workflowId,
      args: [{ kgTaskQueue: config.temporal.taskQueues.kg, message }],
    });

    const result = await workers.run(handle.result());

    expect(result).toEqual({ id: workflowId, message, smokeNodes: expect.any(Number) });
    expect(result?.smokeNodes).toBeGreaterThanOrEqual(1);

    // The node is really in Neo4j, written once.
    const { records } = await driver.executeQuery('MATCH (n:MedactionSmoke {id: $id}) RETURN n.message AS message', {
      id: workflowId,
    });
    expect(records.map((r) => r.get('message'))).toEqual([message]);

    // The activity ran on the KG task queue, as recorded in the workflow's history.
    const history = await handle.fetchHistory();
    const scheduled = history.events?.find((e) => e.activityTaskScheduledEventAttributes);
    expect(scheduled?.activityTaskScheduledEventAttributes?.activityType?.name).toBe('kgSmokeWriteRead');
    expect(scheduled?.activityTaskScheduledEventAttributes?.taskQueue?.name).toBe(config.temporal.taskQueues.kg);
    const description = await handle.describe();
    expect(description.status.name).toBe('COMPLETED');
  });
});
