import { Command } from 'commander';
import { createNeo4jDriver, verifyNeo4j } from '../clients/neo4j';
import { connectTemporalClient, workflowUiLink } from '../clients/temporal';
import { smokeWorkflow } from '../workflows/smoke';
import { createWorkerSet } from '../worker';
import { configFor, installWorkerRuntime } from './context';
import { emit, progressLine } from './output';

export function smokeCommand(): Command {
  return new Command('smoke')
    .description('run the smoke workflow: a workflow whose activity writes a node to Neo4j and reads it back')
    .option('--message <text>', 'text stored in the smoke node', 'hello from MedAction')
    .option('--no-worker', 'do not run a worker in this process (use `medaction worker` processes)')
    .option('--json', 'print one JSON object')
    .action(async (opts: { message: string; worker: boolean; json?: boolean }, command: Command) => {
      const config = configFor(command);
      // Failures reach the user through the workflow result; the worker's own retry warnings are noise here.
      installWorkerRuntime('ERROR');
      const driver = createNeo4jDriver(config);
      const client = await connectTemporalClient(config);
      try {
        await verifyNeo4j(config, driver);
        const workflowId = `smoke-${new Date().toISOString().replace(/[:.]/g, '-')}`;
        const set = opts.worker ? await createWorkerSet(config, { neo4j: driver }, { queues: ['workflows', 'kg'] }) : undefined;
        const handle = await client.workflow.start(smokeWorkflow, {
          taskQueue: config.temporal.taskQueues.workflows,
          workflowId,
          args: [{ kgTaskQueue: config.temporal.taskQueues.kg, message: opts.message }],
        });
        const ui = workflowUiLink(config, handle.workflowId, handle.firstExecutionRunId);
        progressLine(`started ${handle.workflowId}: ${ui}`);
        const result = set ? await set.run(handle.result()) : await handle.result();
        emit(Boolean(opts.json), { workflowId: handle.workflowId, runId: handle.firstExecutionRunId, ui, result }, (r) =>
          [
            `smoke workflow ${r.workflowId} completed: Neo4j node ${r.result?.id} holds "${r.result?.message}" (${r.result?.smokeNodes} smoke nodes in the graph)`,
            `Temporal Web UI: ${r.ui}`,
          ].join('\n'),
        );
      } finally {
        await client.connection.close();
        await driver.close();
      }
    });
}
