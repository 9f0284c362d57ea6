import { Command } from 'commander';
import { createNeo4jDriver, describeNeo4jError, verifyNeo4j } from '../clients/neo4j';
import { buildKg } from '../core/kg/build';
import { loadKg } from '../stores/neo4j-kg/loader';
import { bundledKgSourceDir, readKgSources } from '../stores/kg-sources';
import { UserError } from '../core/errors';
import { configFor } from './context';
import { emit, progressLine } from './output';

export function kgCommand(): Command {
  const kg = new Command('kg').description('the medical knowledge graph in Neo4j: load it, link mentions to it');
  kg.addCommand(
    new Command('load')
      .description('load (or refresh) the KG from its source files; a second load changes nothing')
      .option('--source <dir>', 'folder with the KG source files', bundledKgSourceDir())
      .option('--replace', 'also delete what the sources no longer contain (after loading changed sources)')
      .option('--batch-size <n>', 'rows per write transaction', (v) => Number.parseInt(v, 10), 5000)
      .option('--json', 'print one JSON object')
      .action(async (opts: { source: string; replace?: boolean; batchSize: number; json?: boolean }, command: Command) => {
        const config = configFor(command);
        if (!Number.isInteger(opts.batchSize) || opts.batchSize < 1)
          throw new UserError('--batch-size must be a positive integer');
        const texts = await readKgSources(opts.source);
        const kgData = buildKg(texts);
        for (const warning of kgData.warnings) progressLine(`warning: ${warning}`);
        const driver = createNeo4jDriver(config);
        try {
          await verifyNeo4j(config, driver);
          const result = await loadKg(driver, config.neo4j.database, kgData, {
            batchSize: opts.batchSize,
            replace: opts.replace,
            onProgress: opts.json ? undefined : (m) => progressLine(`  ${m}`),
          }).catch((error: unknown) => {
            throw new UserError(`loading the KG into ${describeNeo4jError(config, error)}`);
          });
          emit(Boolean(opts.json), { source: opts.source, ...result, warnings: kgData.warnings }, (r) =>
            [
              `KG loaded from ${r.source} in ${r.seconds.toFixed(1)} s`,
              `  nodes: Disease ${r.counts.nodes.Disease}, Finding ${r.counts.nodes.Finding}`,
              `  edges: IS_A ${r.counts.edges.IS_A}, HAS_FINDING ${r.counts.edges.HAS_FINDING}, SAME_AS ${r.counts.edges.SAME_AS}`,
              `  this load: ${r.changes.nodesCreated} nodes created, ${r.changes.nodesUpdated} updated, ${r.changes.relationshipsCreated} relationships created` +
                (opts.replace
                  ? `, ${r.changes.nodesDeleted} nodes and ${r.changes.relationshipsDeleted} relationships deleted`
                  : ''),
            ].join('\n'),
          );
        } finally {
          await driver.close();
        }
      }),
  );
  return kg;
}
