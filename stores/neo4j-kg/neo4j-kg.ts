import neo4j, { type Driver } from 'neo4j-driver';
import { MAX_DISTANCE_CAP, type DiseaseMatch, type KgAccess, type NameRecord } from '../../core/kg/access';
import type { NodeKind } from '../../core/kg/model';
import { FULLTEXT_INDEX } from './schema';

/** D(d) of KgAccess, as separate MATCH clauses (relationship uniqueness is per clause, as in the definition). */
const DISEASE_HOOD = `
  MATCH (d)-[:SAME_AS*0..2]-(x:Disease)
  MATCH (x)-[:IS_A*0..1]-(y:Disease)
  MATCH (y)-[:SAME_AS*0..2]-(z:Disease)
  RETURN collect(DISTINCT z) AS hood`;

const QUERIES = {
  search: `CALL db.index.fulltext.queryNodes($index, $query, {limit: $limit}) YIELD node, score
    RETURN node.id AS id, node.name AS name, node.source AS source, node.synonyms AS synonyms
    ORDER BY score DESC, id`,
  nodes: `UNWIND $ids AS id
    OPTIONAL MATCH (d:Disease {id: id})
    OPTIONAL MATCH (f:Finding {id: id})
    WITH coalesce(d, f) AS n WHERE n IS NOT NULL
    RETURN n.id AS id, CASE WHEN n:Disease THEN 'disease' ELSE 'finding' END AS kind, n.name AS name,
           n.source AS source, n.synonyms AS synonyms`,
  distances: `UNWIND range(0, size($pairs) - 1) AS i
    OPTIONAL MATCH (a:Disease {id: $pairs[i][0]})
    OPTIONAL MATCH (b:Disease {id: $pairs[i][1]})
    CALL (a, b) {
      MATCH (a)-[:SAME_AS*0..2]-(a2:Disease)
      MATCH (b)-[:SAME_AS*0..2]-(b2:Disease)
      MATCH p = shortestPath((a2)-[:IS_A*0..${MAX_DISTANCE_CAP}]-(b2))
      RETURN min(length(p)) AS d
    }
    RETURN i, d`,
  findingHood: `UNWIND $findings AS fid
    MATCH (f:Finding {id: fid})
    MATCH (f)-[:SAME_AS*0..2]-(x:Finding)
    CALL (x) {
      MATCH (x)-[:IS_A*0..2]->(y:Finding) RETURN y
      UNION
      MATCH (y:Finding)-[:IS_A*0..2]->(x) RETURN y
    }
    MATCH (y)-[:SAME_AS*0..2]-(z:Finding)
    RETURN collect(DISTINCT z.id) AS ids`,
  supported: `UNWIND $diseases AS did
    MATCH (d:Disease {id: did})
    CALL (d) { ${DISEASE_HOOD} }
    WITH did, hood
    WHERE any(z IN hood WHERE EXISTS { MATCH (z)-[:HAS_FINDING]->(f:Finding) WHERE f.id IN $reachable })
    RETURN DISTINCT did`,
  under: `UNWIND $diseases AS did
    MATCH (d:Disease {id: did})
    CALL (d) { ${DISEASE_HOOD} }
    WITH did, hood
    WHERE any(z IN hood WHERE EXISTS { MATCH (z)-[:HAS_FINDING]->(:Finding)-[:SAME_AS*0..2]-(:Finding)-[:IS_A*0..]->(r:Finding) WHERE r.id IN $roots })
    RETURN DISTINCT did`,
};

const MORE_QUERIES = {
  annotated: `UNWIND $diseases AS did
    MATCH (d:Disease {id: did})
    CALL (d) { ${DISEASE_HOOD} }
    WITH did, hood
    WHERE any(z IN hood WHERE EXISTS { MATCH (z)-[:HAS_FINDING]->(:Finding) })
    RETURN DISTINCT did`,
  rootsOf: `UNWIND $diseases AS did
    MATCH (d:Disease {id: did})
    CALL (d) { ${DISEASE_HOOD} }
    UNWIND $roots AS rid
    MATCH (r:Finding {id: rid})
    WITH did, rid, r, hood
    WHERE any(z IN hood WHERE EXISTS { MATCH (z)-[:HAS_FINDING]->(:Finding)-[:SAME_AS*0..2]-(:Finding)-[:IS_A*0..]->(r) })
    RETURN did, collect(rid) AS roots`,
  matching: `UNWIND $findings AS fid
    MATCH (f:Finding {id: fid})
    MATCH (f)-[:SAME_AS*0..2]-(x:Finding)
    CALL (x) {
      MATCH (y:Finding)-[:IS_A*0..2]->(x) RETURN y
      UNION
      MATCH (x)-[:IS_A]->(y:Finding) RETURN y
    }
    MATCH (y)-[:SAME_AS*0..2]-(z:Finding)
    MATCH (d:Disease)-[:HAS_FINDING]->(z)
    WITH d, collect(DISTINCT fid) AS matched
    RETURN d.id AS id, d.name AS name, matched, COUNT { MATCH (d)-[:HAS_FINDING]->(g:Finding) RETURN DISTINCT g } AS findingCount`,
};

/** KgAccess over the graph `kg load` wrote: every query is a constant with parameters. */
export class Neo4jKg implements KgAccess {
  constructor(
    private readonly driver: Driver,
    private readonly database: string,
  ) {}

  async searchNames(words: string[], kind: NodeKind, limit: number): Promise<NameRecord[]> {
    const query = [...new Set(words)].map(luceneTerm).filter(Boolean).join(' ');
    if (!query) return [];
    const rows = await this.read(QUERIES.search, { index: FULLTEXT_INDEX[kind], query, limit: neo4j.int(limit) });
    return rows.map((r) => ({ id: r.id, kind, name: r.name, source: r.source, synonyms: r.synonyms ?? [] }));
  }

  async nodes(ids: string[]): Promise<NameRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.read(QUERIES.nodes, { ids });
    const byId = new Map(
      rows.map((r) => [r.id as string, { id: r.id, kind: r.kind, name: r.name, source: r.source, synonyms: r.synonyms ?? [] }]),
    );
    return ids.map((id) => byId.get(id)).filter((n): n is NameRecord => n !== undefined);
  }

  async diseaseDistances(pairs: [string, string][], cap: number): Promise<number[]> {
    if (pairs.length === 0) return [];
    const limit = Math.min(cap, MAX_DISTANCE_CAP);
    const rows = await this.read(QUERIES.distances, { pairs });
    const result = pairs.map(() => cap);
    for (const r of rows) if (typeof r.d === 'number' && r.d <= limit) result[r.i as number] = r.d;
    return result;
  }

  async supportedDiseases(diseases: string[], findings: string[]): Promise<string[]> {
    if (diseases.length === 0 || findings.length === 0) return [];
    const reachable = ((await this.read(QUERIES.findingHood, { findings }))[0]?.ids as string[] | undefined) ?? [];
    if (reachable.length === 0) return [];
    return this.diseasesFound(QUERIES.supported, diseases, { reachable });
  }

  async annotatedDiseases(diseases: string[]): Promise<string[]> {
    if (diseases.length === 0) return [];
    return this.diseasesFound(MORE_QUERIES.annotated, diseases, {});
  }

  async diseasesWithFindingsUnder(diseases: string[], roots: string[]): Promise<string[]> {
    if (diseases.length === 0 || roots.length === 0) return [];
    return this.diseasesFound(QUERIES.under, diseases, { roots });
  }

  /** The diseases (in the caller's order, as MemoryKg answers) a query keeping `did`s of `$diseases` returns. */
  private async diseasesFound(query: string, diseases: string[], params: Record<string, unknown>): Promise<string[]> {
    const rows = await this.read(query, { ...params, diseases: [...new Set(diseases)] });
    const found = new Set(rows.map((r) => r.did as string));
    return diseases.filter((d) => found.has(d));
  }

  async findingRootsOf(diseases: string[], roots: string[]): Promise<Record<string, string[]>> {
    if (diseases.length === 0 || roots.length === 0) return {};
    const rows = await this.read(MORE_QUERIES.rootsOf, { diseases: [...new Set(diseases)], roots: [...new Set(roots)] });
    const found = new Map(rows.map((r) => [r.did as string, new Set(r.roots as string[])]));
    const result: Record<string, string[]> = {};
    // In the caller's orders, as MemoryKg answers.
    for (const d of new Set(diseases)) {
      const hit = found.get(d);
      if (hit) result[d] = roots.filter((r, i) => hit.has(r) && roots.indexOf(r) === i);
    }
    return result;
  }

  async diseasesMatching(findings: string[]): Promise<DiseaseMatch[]> {
    if (findings.length === 0) return [];
    const rows = await this.read(MORE_QUERIES.matching, { findings: [...new Set(findings)] });
    return rows.map((r) => ({
      id: r.id as string,
      name: r.name as string,
      matched: [...(r.matched as string[])].sort(),
      findingCount: r.findingCount as number,
    }));
  }

  private async read(query: string, params: Record<string, unknown>): Promise<Record<string, any>[]> {
    const result = await this.driver.executeQuery(query, params, { database: this.database, routing: neo4j.routing.READ });
    return result.records.map((r) => r.toObject());
  }
}

/**
 * A search word as a Lucene term. Words are already [a-z0-9] (kg/name-words.ts); anything else is
 * escaped so that user text can never become query syntax.
 */
export function luceneTerm(word: string): string {
  return word.replace(/[+\-&|!(){}[\]^"~*?:\\/]/g, '\\$&').replace(/^(AND|OR|NOT|TO)$/, '"$1"');
}
