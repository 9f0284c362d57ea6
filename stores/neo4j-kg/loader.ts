import { createHash } from 'node:crypto';
import type { Driver } from 'neo4j-driver';
import type { KgCounts, KgData, KgNode } from '../../core/kg/model';
import { nameWords } from '../../core/kg/name-words';
import { runAutoCommit } from '../../clients/neo4j';
import { ensureKgSchema } from './schema';

export interface KgLoadResult {
  /** Counts in the database after the load. */
  counts: KgCounts;
  /** What this load created or changed (all zero when the graph already held these sources). */
  changes: {
    nodesCreated: number;
    nodesUpdated: number;
    relationshipsCreated: number;
    nodesDeleted: number;
    relationshipsDeleted: number;
  };
  sourceHash: string;
  /** The sources' hash of the previous load (null for the first). */
  previousSourceHash: string | null;
  seconds: number;
}

export interface KgLoadOptions {
  batchSize?: number;
  /** Remove the KG nodes and relationships that the sources no longer contain. */
  replace?: boolean;
  onProgress?: (message: string) => void;
}

// Labels and relationship types cannot be parameters, so each kind has its own constant statement.
const NODE_UPSERT = {
  disease: `UNWIND $rows AS r
    MERGE (n:Disease {id: r.id})
    WITH n, r WHERE n.hash IS NULL OR n.hash <> r.hash
    SET n.name = r.name, n.source = r.source, n.synonyms = r.synonyms, n.xrefs = r.xrefs, n.words = r.words, n.hash = r.hash
    RETURN count(n) AS updated`,
  finding: `UNWIND $rows AS r
    MERGE (n:Finding {id: r.id})
    WITH n, r WHERE n.hash IS NULL OR n.hash <> r.hash
    SET n.name = r.name, n.source = r.source, n.synonyms = r.synonyms, n.words = r.words, n.hash = r.hash
    RETURN count(n) AS updated`,
};
const IS_A = {
  disease: 'UNWIND $rows AS r MATCH (c:Disease {id: r.child}) MATCH (p:Disease {id: r.parent}) MERGE (c)-[:IS_A]->(p)',
  finding: 'UNWIND $rows AS r MATCH (c:Finding {id: r.child}) MATCH (p:Finding {id: r.parent}) MERGE (c)-[:IS_A]->(p)',
};
const SAME_AS = {
  disease: `UNWIND $rows AS r MATCH (a:Disease {id: r.a}) MATCH (b:Disease {id: r.b})
    MERGE (a)-[e:SAME_AS]->(b) ON CREATE SET e.via = r.via`,
  finding: `UNWIND $rows AS r MATCH (a:Finding {id: r.a}) MATCH (b:Finding {id: r.b})
    MERGE (a)-[e:SAME_AS]->(b) ON CREATE SET e.via = r.via`,
};
const HAS_FINDING = `UNWIND $rows AS r MATCH (d:Disease {id: r.disease}) MATCH (f:Finding {id: r.finding})
  MERGE (d)-[e:HAS_FINDING]->(f) ON CREATE SET e.source = r.source`;

/**
 * Writes the KG to Neo4j in batches (UNWIND over parameters). Idempotent: nodes are merged by id and only
 * rewritten when their content hash changed; relationships are merged. With `replace`, what the sources no
 * longer contain is deleted afterwards.
 */
export async function loadKg(driver: Driver, database: string, kg: KgData, options: KgLoadOptions = {}): Promise<KgLoadResult> {
  const started = process.hrtime.bigint();
  const batchSize = options.batchSize ?? 5000;
  const progress = options.onProgress ?? (() => undefined);
  const changes = { nodesCreated: 0, nodesUpdated: 0, relationshipsCreated: 0, nodesDeleted: 0, relationshipsDeleted: 0 };
  await ensureKgSchema(driver, database);
  const previousSourceHash = await loadedSourceHash(driver, database);
  const kindOf = new Map(kg.nodes.map((n) => [n.id, n.kind]));

  const run = async (label: string, query: string, rows: object[]) => {
    for (let i = 0; i < rows.length; i += batchSize) {
      const result = await driver.executeQuery(query, { rows: rows.slice(i, i + batchSize) }, { database });
      const c = result.summary.counters.updates();
      changes.nodesCreated += c.nodesCreated;
      changes.relationshipsCreated += c.relationshipsCreated;
      const updated = result.records[0]?.get('updated');
      if (typeof updated === 'number') changes.nodesUpdated += updated;
    }
    progress(`${label}: ${rows.length}`);
  };

  for (const kind of ['disease', 'finding'] as const) {
    await run(`${kind} nodes`, NODE_UPSERT[kind], kg.nodes.filter((n) => n.kind === kind).map(nodeRow));
  }
  changes.nodesUpdated -= changes.nodesCreated; // a created node is also counted as "set"
  for (const kind of ['disease', 'finding'] as const) {
    await run(
      `${kind} IS_A`,
      IS_A[kind],
      kg.isA.filter((e) => kindOf.get(e.child) === kind),
    );
    await run(
      `${kind} SAME_AS`,
      SAME_AS[kind],
      kg.sameAs.filter((e) => kindOf.get(e.a) === kind),
    );
  }
  await run('HAS_FINDING', HAS_FINDING, kg.hasFinding);

  const sourceHash = hashOf(kg);
  if (previousSourceHash && previousSourceHash !== sourceHash && !options.replace) {
    progress(
      'the graph had been loaded from other sources: what they held and these lack is still there (load with --replace to remove it)',
    );
  }
  if (options.replace) Object.assign(changes, await deleteStale(driver, database, kg));
  await driver.executeQuery('MERGE (m:KgMeta {id: "kg"}) SET m.sourceHash = $sourceHash', { sourceHash }, { database });
  const counts = await countKgInNeo4j(driver, database);
  return {
    counts,
    changes,
    sourceHash,
    previousSourceHash: previousSourceHash ?? null,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
}

/** The hash of the sources of the graph last loaded, if any. */
export async function loadedSourceHash(driver: Driver, database: string): Promise<string | undefined> {
  const result = await driver.executeQuery('MATCH (m:KgMeta {id: "kg"}) RETURN m.sourceHash AS hash', {}, { database });
  return (result.records[0]?.get('hash') as string | null) ?? undefined;
}

export async function countKgInNeo4j(driver: Driver, database: string): Promise<KgCounts> {
  const count = async (query: string) => (await driver.executeQuery(query, {}, { database })).records[0]?.get('n') as number;
  return {
    nodes: {
      Disease: await count('MATCH (n:Disease) RETURN count(n) AS n'),
      Finding: await count('MATCH (n:Finding) RETURN count(n) AS n'),
    },
    edges: {
      IS_A: await count('MATCH ()-[r:IS_A]->() RETURN count(r) AS n'),
      HAS_FINDING: await count('MATCH ()-[r:HAS_FINDING]->() RETURN count(r) AS n'),
      SAME_AS: await count('MATCH ()-[r:SAME_AS]->() RETURN count(r) AS n'),
    },
  };
}

function nodeRow(node: KgNode) {
  const words = [...new Set([node.name, ...node.synonyms].flatMap(nameWords))].join(' ');
  const row = { id: node.id, name: node.name, source: node.source, synonyms: node.synonyms, xrefs: node.xrefs, words };
  return { ...row, hash: createHash('sha256').update(JSON.stringify(row)).digest('hex').slice(0, 16) };
}

function hashOf(kg: KgData): string {
  const hash = createHash('sha256');
  for (const part of [kg.nodes, kg.isA, kg.hasFinding, kg.sameAs]) hash.update(JSON.stringify(part));
  return hash.digest('hex').slice(0, 16);
}

/** Deletes KG nodes (with their relationships) and KG relationships that are not in `kg`. */
async function deleteStale(driver: Driver, database: string, kg: KgData) {
  const ids = kg.nodes.map((n) => n.id);
  const nodes = await runAutoCommit(
    driver,
    database,
    'MATCH (n) WHERE (n:Disease OR n:Finding) AND NOT n.id IN $ids CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS',
    { ids },
  );
  const c = nodes.summary.counters.updates();
  const keep = {
    IS_A: kg.isA.map((e) => `${e.child}>${e.parent}`),
    HAS_FINDING: kg.hasFinding.map((e) => `${e.disease}>${e.finding}`),
    SAME_AS: kg.sameAs.map((e) => `${e.a}>${e.b}`),
  };
  let relationshipsDeleted = c.relationshipsDeleted;
  for (const [type, pairs] of Object.entries(keep)) {
    const result = await runAutoCommit(
      driver,
      database,
      `MATCH (a)-[r]->(b) WHERE type(r) = $type AND NOT (a.id + '>' + b.id) IN $pairs
       CALL (r) { DELETE r } IN TRANSACTIONS OF 5000 ROWS`,
      { type, pairs },
    );
    relationshipsDeleted += result.summary.counters.updates().relationshipsDeleted;
  }
  return { nodesDeleted: c.nodesDeleted, relationshipsDeleted };
}
