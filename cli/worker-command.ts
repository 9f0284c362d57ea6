import { Command, Option } from 'commander';
import { createNeo4jDriver, verifyNeo4j } from '../clients/neo4j';
import { createWorkerSet, QUEUE_KINDS, type QueueKind } from '../worker';
import { configFor, installWorkerRuntime } from './context';
import { progressLine } from './output';

export function workerCommand(): Command {
  return new Command('worker')
    .description('run a MedAction worker (workflow, KG and LLM task queues) until interrupted (Ctrl-C / SIGTERM)')
    .addOption(
      new Option('--queues <list>', `comma-separated task queue kinds to serve (${QUEUE_KINDS.join(', ')})`)
        .default(QUEUE_KINDS.join(','))
        .argParser((value) => {
          const kinds = value
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean);
          const bad = kinds.filter((k) => !(QUEUE_KINDS as readonly string[]).includes(k));
          if (bad.length > 0 || kinds.length === 0)
            throw new Error(`--queues: unknown kind(s) ${bad.join(', ')}; expected ${QUEUE_KINDS.join(', ')}`);
          return kinds.join(',');
        }),
    )
    .option('--log-level <level>', 'worker log level (TRACE, DEBUG, INFO, WARN, ERROR)', 'INFO')
    .action(async (opts: { queues: string; logLevel: string }, command: Command) => {
      const config = configFor(command);
      installWorkerRuntime(opts.logLevel.toUpperCase() as 'INFO');
      const queues = opts.queues.split(',') as QueueKind[];
      // The driver connects on first use; only the KG queue's activities use it.
      const driver = createNeo4jDriver(config);
      try {
        if (queues.includes('kg')) await verifyNeo4j(config, driver);
        const set = await createWorkerSet(config, { neo4j: driver }, { queues });
        const q = config.temporal.taskQueues;
        progressLine(
          `worker polling ${config.temporal.address} namespace ${config.temporal.namespace}: ` +
            set.workers.map((w) => w.options.taskQueue).join(', ') +
            ` (task queues: workflows=${q.workflows}, kg=${q.kg}, llm=${q.llm})`,
        );
        await set.run();
      } finally {
        await driver.close();
      }
    });
}
