import { Command, Option } from 'commander';
import type { NodeKind } from '../core/kg/model';
import { DEFAULT_LINK_THRESHOLD, EntityLinker } from '../core/linking/linker';
import { Neo4jKg } from '../stores/neo4j-kg/neo4j-kg';
import { describeNeo4jError, withVerifiedNeo4j } from '../clients/neo4j';
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
          throw new UserError('--batch-size must be a positive integer', 2);
        const texts = await readKgSources(opts.source);
        const kgData = buildKg(texts);
        for (const warning of kgData.warnings) progressLine(`warning: ${warning}`);
        await withVerifiedNeo4j(config, async (driver) => {
          const result = await loadKg(driver, config.neo4j.database, kgData, {
            batchSize: opts.batchSize,
            replace: opts.replace,
            onProgress: opts.json ? undefined : (m) => progressLine(`  ${m}`),
          }).catch((error: unknown) => {
            throw new UserError(`loading the KG into ${describeNeo4jError(config, error)}`);
          });
          emit(
            Boolean(opts.json),
            { source: opts.source, ...result, identity: kgData.identity, warnings: kgData.warnings },
            (r) =>
              [
                `KG loaded from ${r.source} in ${r.seconds.toFixed(1)} s`,
                `  nodes: Disease ${r.counts.nodes.Disease}, Finding ${r.counts.nodes.Finding}`,
                `  edges: IS_A ${r.counts.edges.IS_A}, HAS_FINDING ${r.counts.edges.HAS_FINDING}, SAME_AS ${r.counts.edges.SAME_AS}`,
                `  disease identity (Mondo): of ${r.identity.omimOrphaDiseases} OMIM/Orphanet diseases, ${r.identity.gainedEquivalent} gained an equivalent (${r.identity.withEquivalentAfter} have one) and ${r.identity.gainedParent} a parent (${r.identity.withParentAfter} have one)`,
                `  this load: ${r.changes.nodesCreated} nodes created, ${r.changes.nodesUpdated} updated, ${r.changes.relationshipsCreated} relationships created` +
                  (opts.replace
                    ? `, ${r.changes.nodesDeleted} nodes and ${r.changes.relationshipsDeleted} relationships deleted`
                    : ''),
              ].join('\n'),
          );
        });
      }),
  );
  kg.addCommand(
    new Command('link')
      .description('link a disease or finding mention to KG nodes (uses the loaded Neo4j graph)')
      .argument('<text>', 'the mention, e.g. "elevated CRP (306.9 mg/L)"')
      .addOption(new Option('--kind <kind>', 'what the mention names').choices(['disease', 'finding']).default('disease'))
      .option('--threshold <x>', `score below which a node is not a link (default ${DEFAULT_LINK_THRESHOLD})`, Number.parseFloat)
      .option('--max <n>', 'matches to print at most', (v) => Number.parseInt(v, 10), 5)
      .option('--json', 'print one JSON object')
      .action(
        async (text: string, opts: { kind: NodeKind; threshold?: number; max: number; json?: boolean }, command: Command) => {
          const config = configFor(command);
          if (opts.threshold !== undefined && !(opts.threshold >= 0 && opts.threshold <= 1))
            throw new UserError('--threshold must be a number between 0 and 1', 2);
          if (!Number.isInteger(opts.max) || opts.max < 1) throw new UserError('--max must be a positive integer', 2);
          await withVerifiedNeo4j(config, async (driver) => {
            const linker = new EntityLinker(new Neo4jKg(driver, config.neo4j.database), {
              threshold: opts.threshold,
              maxMatches: opts.max,
            });
            const result = await linker.link(text, opts.kind).catch((error: unknown) => {
              throw new UserError(`linking "${text}" against ${describeNeo4jError(config, error)}`);
            });
            emit(Boolean(opts.json), result, (r) =>
              r.negated
                ? `"${r.mention}" denies the finding: nothing linked`
                : r.matches.length === 0
                  ? `"${r.mention}": not linked (no ${r.kind} scores above the threshold)`
                  : [`"${r.mention}" (${r.kind}):`, ...r.matches.map((m) => `  ${m.score.toFixed(3)}  ${m.id}  ${m.name}`)].join(
                      '\n',
                    ),
            );
          });
        },
      ),
  );
  return kg;
}
