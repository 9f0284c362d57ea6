/**
 * Entity-linking figures on the hand-labelled fixtures (test/fixtures/linking-*.jsonl):
 *   npm run linking:eval [-- --json] [-- --mistakes] [-- --neo4j] [-- --threshold 0.7]
 * By default the KG is built in memory from data/kg; --neo4j links against the loaded Neo4j graph.
 */
import { Command } from 'commander';
import { createNeo4jDriver } from '../clients/neo4j';
import { loadConfig } from '../config';
import type { KgAccess } from '../core/kg/access';
import { buildKg } from '../core/kg/build';
import { MemoryKg } from '../core/kg/memory-kg';
import { evaluateLinking } from '../core/linking/evaluate';
import { EntityLinker } from '../core/linking/linker';
import { bundledKgSourceDir, readKgSources } from '../stores/kg-sources';
import { Neo4jKg } from '../stores/neo4j-kg/neo4j-kg';
import { readLabelledMentions } from './labelled-fixtures';

async function main(): Promise<void> {
  const opts = new Command()
    .option('--json')
    .option('--mistakes')
    .option('--neo4j')
    .option('--threshold <x>', 'link threshold', Number.parseFloat)
    .parse()
    .opts<{ json?: boolean; mistakes?: boolean; neo4j?: boolean; threshold?: number }>();
  const config = opts.neo4j ? loadConfig({}) : undefined;
  const driver = config ? createNeo4jDriver(config) : undefined;
  try {
    const kg: KgAccess =
      config && driver
        ? new Neo4jKg(driver, config.neo4j.database)
        : new MemoryKg(buildKg(await readKgSources(bundledKgSourceDir())));
    const evaluation = await evaluateLinking(new EntityLinker(kg, { threshold: opts.threshold }), readLabelledMentions());
    if (opts.mistakes) {
      for (const { label, result } of evaluation.mistakes) {
        const top = result.matches[0];
        console.log(
          `${label.kind} ${label.case}: "${label.mention}" → ${top ? `${top.id} ${top.name} (${top.score})` : result.negated ? 'negated' : 'not linked'}; accept ${label.accept.join(', ') || 'nothing'}`,
        );
      }
    }
    const { disease, finding } = evaluation;
    console.log(
      opts.json
        ? JSON.stringify({ disease, finding, backend: opts.neo4j ? 'neo4j' : 'memory' })
        : [
            `diseases: ${disease.correct}/${disease.linkable} gold diagnoses linked to an acceptable node (recall ${disease.recall}; ${disease.mentions} in all, precision ${disease.precision})`,
            `findings: precision ${finding.precision} (${finding.correct}/${finding.linked} linked), recall ${finding.recall} (${finding.correct}/${finding.linkable} linkable), ${finding.mentions} mentions`,
          ].join('\n'),
    );
  } finally {
    await driver?.close();
  }
}

if (require.main === module) void main();
