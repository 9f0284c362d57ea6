import type { Driver } from 'neo4j-driver';
import { createNeo4jDriver } from '../../clients/neo4j';
import { CompositionalJudge } from '../../core/judge/compositional-judge';
import { buildKg } from '../../core/kg/build';
import { MemoryKg } from '../../core/kg/memory-kg';
import { goldMatches } from '../../core/linking/gold-links';
import { bundledKgSourceDir, readKgSources } from '../../stores/kg-sources';
import { countKg } from '../../core/kg/model';
import { EntityLinker } from '../../core/linking/linker';
import { computeTrajectoryMetrics } from '../../core/metrics/trajectory-metrics';
import { loadKg } from '../../stores/neo4j-kg/loader';
import { Neo4jKg } from '../../stores/neo4j-kg/neo4j-kg';
import { runCli } from '../support/cli';
import { SCENARIOS } from '../support/metric-scenarios';
import { testConfig } from '../support/test-env';
import { TINY, tinyKg } from '../support/tiny-kg';

jest.setTimeout(300_000);

const config = testConfig();
const database = config.neo4j.database;
let driver: Driver;

beforeAll(() => {
  driver = createNeo4jDriver(config);
});
afterAll(async () => {
  await driver.close();
});

describe('the tiny KG in Neo4j', () => {
  const memory = new MemoryKg(tinyKg());
  let neo4j: Neo4jKg;

  beforeAll(async () => {
    await loadKg(driver, database, tinyKg(), { replace: true });
    neo4j = new Neo4jKg(driver, database);
  });

  it('loads idempotently: the same counts, and nothing created or changed the second time', async () => {
    const again = await loadKg(driver, database, tinyKg());
    expect(again.counts).toEqual(countKg(tinyKg()));
    expect(again.changes).toEqual({
      nodesCreated: 0,
      nodesUpdated: 0,
      relationshipsCreated: 0,
      nodesDeleted: 0,
      relationshipsDeleted: 0,
    });
  });

  it('answers every KgAccess question as the in-memory KG does', async () => {
    const diseases = tinyKg()
      .nodes.filter((n) => n.kind === 'disease')
      .map((n) => n.id);
    const findings = tinyKg()
      .nodes.filter((n) => n.kind === 'finding')
      .map((n) => n.id);
    const pairs = diseases.flatMap((a) => [...diseases, 'TINY:unknown'].map((b) => [a, b] as [string, string]));
    expect(await neo4j.diseaseDistances(pairs, 6)).toEqual(await memory.diseaseDistances(pairs, 6));
    expect(await neo4j.diseaseDistances(pairs, 3)).toEqual(await memory.diseaseDistances(pairs, 3));
    for (const f of findings) {
      expect([f, await neo4j.supportedDiseases(diseases, [f])]).toEqual([f, await memory.supportedDiseases(diseases, [f])]);
      expect([f, await neo4j.diseasesWithFindingsUnder(diseases, [f])]).toEqual([
        f,
        await memory.diseasesWithFindingsUnder(diseases, [f]),
      ]);
    }
    expect(await neo4j.annotatedDiseases([...diseases, 'TINY:unknown'])).toEqual(
      await memory.annotatedDiseases([...diseases, 'TINY:unknown']),
    );
    expect(await neo4j.nodes([TINY.cough, 'TINY:unknown', TINY.uti])).toEqual(
      await memory.nodes([TINY.cough, 'TINY:unknown', TINY.uti]),
    );
    const roots = [TINY.respiratoryAbnormality, TINY.urinaryAbnormality, TINY.cardiovascularAbnormality, TINY.fever, TINY.fever];
    expect(await neo4j.findingRootsOf(diseases, roots)).toEqual(await memory.findingRootsOf(diseases, roots));
    const byId = (ms: { id: string }[]) => [...ms].sort((a, b) => a.id.localeCompare(b.id));
    for (const f of [...findings, 'TINY:unknown']) {
      expect([f, byId(await neo4j.diseasesMatching([f]))]).toEqual([f, byId(await memory.diseasesMatching([f]))]);
    }
    expect(byId(await neo4j.diseasesMatching(findings))).toEqual(byId(await memory.diseasesMatching(findings)));
  });

  it('gives the same metrics for every hand-built trajectory', async () => {
    for (const [name, turns] of Object.entries(SCENARIOS)) {
      const fromNeo4j = await computeTrajectoryMetrics(neo4j, turns, TINY.bacterialPneumonia);
      expect([name, fromNeo4j]).toEqual([name, await computeTrajectoryMetrics(memory, turns, TINY.bacterialPneumonia)]);
    }
  });

  it('links mentions the same way, and treats quotes, backslashes, Cypher and Lucene syntax as text', async () => {
    const mentions: [string, 'disease' | 'finding'][] = [
      ['bacterial pneumonia', 'disease'],
      ['Pneumonia, bacterial', 'disease'],
      ['UTI', 'disease'],
      ['productive cough for 3 days', 'finding'],
      ['painful urination (it\'s "burning")', 'finding'],
      ['no fever', 'finding'],
      ['O\'Brien "x" \\ }) MATCH (n) DETACH DELETE n //', 'disease'],
      ['cough AND NOT fever OR title:* ~ ^2 [a TO z] \\', 'finding'],
    ];
    const onNeo4j = new EntityLinker(neo4j);
    const inMemory = new EntityLinker(memory);
    for (const [text, kind] of mentions) {
      expect(await onNeo4j.link(text, kind)).toEqual(await inMemory.link(text, kind));
    }
    expect((await onNeo4j.link('painful urination (it\'s "burning")', 'finding')).matches[0]?.id).toBe(TINY.dysuria);
    expect((await onNeo4j.link('UTI', 'disease')).matches[0]?.id).toBe(TINY.uti);
    expect(
      await driver.executeQuery('MATCH (n:Disease) RETURN count(n) AS n', {}, { database }).then((r) => r.records[0]?.get('n')),
    ).toBe(tinyKg().nodes.filter((n) => n.kind === 'disease').length);
  });
});

describe('medaction kg load / kg link on the bundled KG', () => {
  it('loads the whole KG, a second time with identical counts and nothing changed', async () => {
    const first = await runCli(['kg', 'load', '--replace', '--json']);
    expect(first.code).toBe(0);
    const a = JSON.parse(first.stdout);
    expect(a.counts.nodes.Disease).toBeGreaterThan(20_000);
    expect(a.counts.nodes.Finding).toBeGreaterThan(15_000);
    expect(a.counts.edges.HAS_FINDING).toBeGreaterThan(200_000);
    // The tiny graph loaded before is gone (--replace).
    expect(a.changes.nodesDeleted).toBeGreaterThan(0);
    // The Mondo joins gave OMIM/Orphanet diseases equivalents and parents (core/kg/disease-identity.ts).
    expect(a.identity.gainedEquivalent).toBeGreaterThan(1000);
    expect(a.identity.gainedParent).toBeGreaterThan(3000);
    expect(a.identity.withParentAfter).toBe(a.identity.withParentBefore + a.identity.gainedParent);
    const second = await runCli(['kg', 'load', '--json']);
    expect(second.code).toBe(0);
    const b = JSON.parse(second.stdout);
    expect(b.counts).toEqual(a.counts);
    expect(b.changes).toEqual({
      nodesCreated: 0,
      nodesUpdated: 0,
      relationshipsCreated: 0,
      nodesDeleted: 0,
      relationshipsDeleted: 0,
    });
  });

  it('answers on the unified graph as the in-memory KG does: distances across DO, OMIM and Orphanet, links, verdicts', async () => {
    const data = buildKg(await readKgSources(bundledKgSourceDir()));
    const memory = new MemoryKg(data);
    const neo4j = new Neo4jKg(driver, database);
    // Pairs the Mondo joins made (equivalents, OMIM/Orphanet parents), every 200th, and the example.
    const mondoSame = data.sameAs.filter((e) => e.via.startsWith('MONDO:')).filter((_, i) => i % 200 === 0);
    const mondoParents = data.isA.filter((e) => /^(OMIM|ORPHA):/.test(e.child)).filter((_, i) => i % 400 === 0);
    const pairs: [string, string][] = [
      ['ORPHA:204', 'DOID:11949'],
      ...mondoSame.map((e) => [e.a, e.b] as [string, string]),
      ...mondoParents.map((e) => [e.child, e.parent] as [string, string]),
      ...mondoParents.map((e, i) => [e.child, mondoSame[i % mondoSame.length]?.b ?? e.parent] as [string, string]),
    ];
    expect(pairs.length).toBeGreaterThan(40);
    const fromNeo4j = await neo4j.diseaseDistances(pairs, 4);
    expect(fromNeo4j).toEqual(await memory.diseaseDistances(pairs, 4));
    expect(fromNeo4j[0]).toBe(1);
    expect(fromNeo4j.slice(1, 1 + mondoSame.length).every((d) => d === 0)).toBe(true);
    const golds = [
      'Sporadic Creutzfeldt-Jakob disease',
      'Kikuchi disease',
      'Cardiac metastasis from squamous cell carcinoma of the oral cavity',
    ];
    const onNeo4j = new EntityLinker(neo4j);
    const inMemory = new EntityLinker(memory);
    for (const g of golds) expect(await goldMatches(onNeo4j, g)).toEqual(await goldMatches(inMemory, g));
    const judges = [new CompositionalJudge(neo4j, onNeo4j), new CompositionalJudge(memory, inMemory)];
    for (const [final, gold] of [
      ['Creutzfeldt-Jakob disease', 'Sporadic Creutzfeldt-Jakob disease'],
      ['Histiocytic necrotizing lymphadenitis', 'Kikuchi disease'],
      [
        'Oral squamous cell carcinoma metastatic to the heart',
        'Cardiac metastasis from squamous cell carcinoma of the oral cavity',
      ],
    ] as const) {
      const [a, b] = await Promise.all(judges.map((j) => j.judge({ final, gold: { short: gold, long: gold } })));
      expect([final, a]).toEqual([final, b]);
    }
  });

  it('links a mention and prints the contract fields', async () => {
    const result = await runCli(['kg', 'link', 'elevated CRP (306.9 mg/L)', '--kind', 'finding', '--json']);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.mention).toBe('elevated CRP (306.9 mg/L)');
    expect(out.matches[0]).toEqual(
      expect.objectContaining({ id: 'HP:0011227', name: 'Elevated circulating C-reactive protein concentration', score: 1 }),
    );
    const hostile = await runCli(['kg', 'link', '") DETACH DELETE n; MATCH (m) RETURN m //', '--json']);
    expect(hostile.code).toBe(0);
    expect(JSON.parse(hostile.stdout).matches).toEqual([]);
  });

  it('names a missing source folder', async () => {
    const result = await runCli(['kg', 'load', '--source', '/nonexistent/kg']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/KG source \/nonexistent\/kg\/HumanDO\.tsv cannot be read \(ENOENT\)/);
  });
});
