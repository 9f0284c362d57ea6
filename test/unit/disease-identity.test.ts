import { unifyDiseases } from '../../core/kg/disease-identity';
import { MemoryKg } from '../../core/kg/memory-kg';
import { parseMondo } from '../../core/kg/sources/mondo';
import { diseaseNode as disease } from '../support/tiny-kg';

/**
 * The example, in miniature: ORPHA:204 (sporadic CJD) = MONDO:0016079, whose parent MONDO:0005357
 * = DOID:11949 (CJD); DO has no sporadic-CJD term. And a Mondo class that joins a DO disease to its OMIM
 * and Orphanet equivalents, which DO's own xrefs do not.
 */
const MAPPINGS = [
  'mondo_id\tpredicate\tobject_id\tobject_label',
  'MONDO:0005357\tskos:exactMatch\tDOID:11949\tCreutzfeldt-Jakob disease',
  'MONDO:0016079\tskos:exactMatch\tORPHA:204\tSporadic Creutzfeldt-Jakob disease',
  'MONDO:0007915\tskos:exactMatch\tDOID:9074\tsystemic lupus erythematosus',
  'MONDO:0007915\tskos:exactMatch\tOMIM:152700\tSLE',
  'MONDO:0007915\tskos:exactMatch\tORPHA:536\tSystemic lupus erythematosus',
  'MONDO:0000001\tskos:exactMatch\tDOID:4\tdisease',
].join('\n');
const HIERARCHY = [
  'mondo_id\tlabel\tparent_ids',
  'MONDO:0000001\tdisease\t',
  'MONDO:0005357\tCreutzfeldt-Jakob disease\tMONDO:0000001',
  'MONDO:0016079\tsporadic Creutzfeldt-Jakob disease\tMONDO:0005357',
  'MONDO:0007915\tsystemic lupus erythematosus\tMONDO:0000001',
].join('\n');

function graph() {
  const nodes = [
    disease('DOID:4', 'disease', 'DO'),
    disease('DOID:11949', 'Creutzfeldt-Jakob disease', 'DO'),
    disease('DOID:9074', 'systemic lupus erythematosus', 'DO'),
    disease('ORPHA:204', 'Sporadic Creutzfeldt-Jakob disease', 'HPO'),
    disease('OMIM:152700', 'LUPUS ERYTHEMATOSUS, SYSTEMIC', 'HPO'),
    disease('ORPHA:536', 'Systemic lupus erythematosus', 'HPO'),
  ];
  const isA = [
    { child: 'DOID:11949', parent: 'DOID:4' },
    { child: 'DOID:9074', parent: 'DOID:4' },
  ];
  // DO's xrefs join SLE to its OMIM entry only.
  const sameAs = [{ a: 'DOID:9074', b: 'OMIM:152700', via: 'MIM:152700' }];
  return { nodes, isA, sameAs, identity: unifyDiseases(nodes, sameAs, isA, parseMondo(MAPPINGS, HIERARCHY)) };
}

describe('one disease identity through Mondo', () => {
  it('joins the DO, OMIM and Orphanet diseases of one Mondo class, pairs DO already joined left alone', () => {
    const { identity } = graph();
    const pairs = identity.sameAs.map((e) => [e.a, e.b, e.via]);
    expect(pairs).toEqual(
      expect.arrayContaining([
        ['DOID:9074', 'ORPHA:536', 'MONDO:0007915'],
        ['OMIM:152700', 'ORPHA:536', 'MONDO:0007915'],
      ]),
    );
    expect(pairs).toHaveLength(2);
  });

  it('gives an Orphanet disease its Mondo parent: sporadic CJD IS_A Creutzfeldt-Jakob disease', async () => {
    const { nodes, isA, sameAs, identity } = graph();
    expect(identity.isA).toContainEqual({ child: 'ORPHA:204', parent: 'DOID:11949' });
    const kg = new MemoryKg({ nodes, isA: [...isA, ...identity.isA], sameAs: [...sameAs, ...identity.sameAs], hasFinding: [] });
    expect(
      await kg.diseaseDistances(
        [
          ['ORPHA:204', 'DOID:11949'],
          ['ORPHA:536', 'DOID:9074'],
          ['ORPHA:204', 'ORPHA:536'],
        ],
        6,
      ),
    ).toEqual([1, 0, 3]);
  });

  it('counts what the OMIM and Orphanet diseases gained', () => {
    expect(graph().identity.stats).toEqual({
      omimOrphaDiseases: 3,
      withEquivalentBefore: 1,
      withEquivalentAfter: 2,
      withParentBefore: 1,
      withParentAfter: 3,
      gainedEquivalent: 1,
      gainedParent: 2,
      mondoClassesUsed: 4,
    });
  });

  it('gives each node its Mondo label as a synonym when it is worded otherwise', () => {
    const { nodes } = graph();
    expect(nodes.find((n) => n.id === 'OMIM:152700')?.synonyms).toEqual(['systemic lupus erythematosus']);
    // Worded the same (case and punctuation aside): no synonym.
    expect(nodes.find((n) => n.id === 'ORPHA:204')?.synonyms).toEqual([]);
    expect(nodes.find((n) => n.id === 'DOID:11949')?.synonyms).toEqual([]);
  });
});
