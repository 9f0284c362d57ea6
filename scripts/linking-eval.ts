/**
 * Entity-linking figures on the hand-labelled fixtures (test/fixtures/linking-*.jsonl), the development
 * fixtures and the held-out golds apart:
 *   npm run linking:eval [-- --json] [-- --mistakes] [-- --neo4j] [-- --threshold 0.7]
 * By default the KG is built in memory from data/kg; --neo4j links against the loaded Neo4j graph. A
 * linked node counts as acceptable when it is an accepted node or equivalent to one in the KG.
 * `--mistakes` lists the misses on the development fixtures only: the held-out golds stay unread.
 */
import { Command } from 'commander';
import { createNeo4jDriver } from '../clients/neo4j';
import { loadConfig } from '../config';
import type { KgAccess } from '../core/kg/access';
import { buildKg } from '../core/kg/build';
import { MemoryKg } from '../core/kg/memory-kg';
import { equivalentTo, evaluateLinking, linkGoldMention } from '../core/linking/evaluate';
import { EntityLinker } from '../core/linking/linker';
import { bundledKgSourceDir, readKgSources } from '../stores/kg-sources';
import { Neo4jKg } from '../stores/neo4j-kg/neo4j-kg';
import { readHeldOutGolds, readLabelledMentions } from './labelled-fixtures';

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
    const linker = new EntityLinker(kg, { threshold: opts.threshold });
    // Gold diagnoses are linked as the pipeline links them (core/linking/gold-links.ts), findings as mentions.
    const labels = readLabelledMentions();
    const golds = await evaluateLinking(
      linker,
      labels.filter((l) => l.kind === 'disease'),
      equivalentTo(kg),
      linkGoldMention,
    );
    const findings = await evaluateLinking(
      linker,
      labels.filter((l) => l.kind === 'finding'),
      equivalentTo(kg),
    );
    const evaluation = { disease: golds.disease, finding: findings.finding, mistakes: [...golds.mistakes, ...findings.mistakes] };
    const heldOut = await evaluateLinking(linker, readHeldOutGolds(), equivalentTo(kg), linkGoldMention);
    if (opts.mistakes) {
      for (const { label, result } of evaluation.mistakes) {
        const top = result.matches[0];
        console.log(
          `${label.kind} ${label.case}: "${label.mention}" → ${top ? `${top.id} ${top.name} (${top.score})` : result.negated ? 'negated' : 'not linked'}; accept ${label.accept.join(', ') || 'nothing'}`,
        );
      }
    }
    const { disease, finding } = evaluation;
    const held = heldOut.disease;
    console.log(
      opts.json
        ? JSON.stringify({ disease, finding, heldOutGolds: held, backend: opts.neo4j ? 'neo4j' : 'memory' })
        : [
            `dev golds: ${disease.correct}/${disease.linkable} linked to an acceptable node (recall ${disease.recall}; ${disease.mentions} in all, precision ${disease.precision}); an acceptable node in the top 3 for ${disease.acceptableInTop3}/${disease.linkable} (${disease.top3Recall})`,
            `held-out golds: ${held.correct}/${held.linkable} linked to an acceptable node (recall ${held.recall}; ${held.mentions} in all, precision ${held.precision}); an acceptable node in the top 3 for ${held.acceptableInTop3}/${held.linkable} (${held.top3Recall})`,
            `findings: precision ${finding.precision} (${finding.correct}/${finding.linked} linked), recall ${finding.recall} (${finding.correct}/${finding.linkable} linkable), ${finding.mentions} mentions`,
          ].join('\n'),
    );
  } finally {
    await driver?.close();
  }
}

if (require.main === module) void main();
