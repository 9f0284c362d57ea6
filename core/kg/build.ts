import { appendTo } from './graph-walk';
import type { HasFindingEdge, IsAEdge, KgData, KgNode, SameAsEdge } from './model';
import { normalizeName } from './names';
import { parseDdxplus } from './sources/ddxplus';
import { unifyDiseases, type DiseaseIdentityStats } from './disease-identity';
import { parseDiseaseOntology, parseDoDiseaseSymptoms, parseDoSynonyms } from './sources/disease-ontology';
import { parseMondo } from './sources/mondo';
import { parseHpoAnnotations, parseHpoTerms } from './sources/hpo';
import { parseSymptomOntology } from './sources/symptom-ontology';

/** The source files' contents (text; the gzipped annotations already decompressed), by file name. */
export interface KgSourceTexts {
  'HumanDO.tsv': string;
  'do-xrefs.tsv': string;
  'do-disease-symptom.tsv': string;
  'symp.obo': string;
  'hpo-terms.tsv': string;
  'hpo-layperson-synonyms.tsv': string;
  'hpo-disease-phenotypes.tsv.gz': string;
  'ddxplus-conditions.json': string;
  'ddxplus-evidences.json': string;
  'do-synonyms.tsv': string;
  'mondo-mappings.tsv': string;
  'mondo-hierarchy.tsv': string;
}

export const KG_SOURCE_FILES: (keyof KgSourceTexts)[] = [
  'HumanDO.tsv',
  'do-xrefs.tsv',
  'do-disease-symptom.tsv',
  'symp.obo',
  'hpo-terms.tsv',
  'hpo-layperson-synonyms.tsv',
  'hpo-disease-phenotypes.tsv.gz',
  'ddxplus-conditions.json',
  'ddxplus-evidences.json',
  'do-synonyms.tsv',
  'mondo-mappings.tsv',
  'mondo-hierarchy.tsv',
];

export interface BuiltKg extends KgData {
  /** Things in the sources that could not be joined (reported by `kg load`, never silently dropped). */
  warnings: string[];
  /** What the Mondo joins gave the OMIM and Orphanet diseases (disease-identity.ts). */
  identity: DiseaseIdentityStats;
}

/**
 * One graph from all sources. Joins:
 * - DO disease SAME_AS OMIM/ORPHA disease through DO's MIM:/ORDO: xrefs;
 * - DO, OMIM and ORPHA diseases of one Mondo class SAME_AS each other, OMIM/ORPHA diseases IS_A the
 *   nodes of their Mondo class's parents, Mondo labels and DO's EXACT synonyms as synonyms
 *   (disease-identity.ts);
 * - DDXPlus condition SAME_AS the DO diseases carrying its ICD-10 code (exact code, else the DO diseases
 *   whose code is the condition code's three-character category, else those with the shortest code refining
 *   it (K21 → K21.9), else the DO disease of the same name);
 * - findings of different sources SAME_AS when their normalised names are equal (HPO "Fever" = SYMP "fever").
 */
export function buildKg(texts: KgSourceTexts): BuiltKg {
  const warnings: string[] = [];
  const doid = parseDiseaseOntology(texts['HumanDO.tsv'], texts['do-xrefs.tsv']);
  addDoSynonyms(doid.nodes, parseDoSynonyms(texts['do-synonyms.tsv']));
  if (doid.unresolvedParents.length > 0) {
    warnings.push(
      `HumanDO.tsv: ${doid.unresolvedParents.length} parent labels name no DO disease (e.g. "${doid.unresolvedParents[0]}")`,
    );
  }
  const symp = parseSymptomOntology(texts['symp.obo']);
  const hpoTerms = parseHpoTerms(texts['hpo-terms.tsv'], texts['hpo-layperson-synonyms.tsv']);
  const hpoDiseases = parseHpoAnnotations(texts['hpo-disease-phenotypes.tsv.gz'], new Set(hpoTerms.nodes.map((n) => n.id)));
  const ddx = parseDdxplus(texts['ddxplus-conditions.json'], texts['ddxplus-evidences.json']);

  const nodes: KgNode[] = [...doid.nodes, ...hpoDiseases.nodes, ...symp.nodes, ...hpoTerms.nodes, ...ddx.nodes];
  const ids = new Set(nodes.map((n) => n.id));
  const doSymptoms = parseDoDiseaseSymptoms(texts['do-disease-symptom.tsv']);
  const dangling = doSymptoms.filter((e) => !ids.has(e.disease) || !ids.has(e.finding));
  if (dangling.length > 0) {
    warnings.push(
      `do-disease-symptom.tsv: ${dangling.length} links name an unknown or obsolete term (e.g. ${dangling[0]?.disease} → ${dangling[0]?.finding})`,
    );
  }
  const hasFinding: HasFindingEdge[] = [
    ...doSymptoms.filter((e) => ids.has(e.disease) && ids.has(e.finding)),
    ...hpoDiseases.hasFinding,
    ...ddx.hasFinding,
  ];
  const isA: IsAEdge[] = [...doid.isA, ...symp.isA, ...hpoTerms.isA];
  const sameAs = [...xrefJoins(doid.nodes, ids), ...icdJoins(ddx.nodes, doid.nodes, warnings), ...findingNameJoins(nodes)];
  const identity = unifyDiseases(nodes, sameAs, isA, parseMondo(texts['mondo-mappings.tsv'], texts['mondo-hierarchy.tsv']));
  return {
    nodes,
    isA: [...isA, ...identity.isA],
    hasFinding,
    sameAs: [...sameAs, ...identity.sameAs],
    warnings,
    identity: identity.stats,
  };
}

function xrefJoins(doNodes: KgNode[], ids: ReadonlySet<string>): SameAsEdge[] {
  const edges: SameAsEdge[] = [];
  for (const node of doNodes) {
    for (const xref of node.xrefs) {
      const target = xref.startsWith('MIM:')
        ? `OMIM:${xref.slice(4)}`
        : xref.startsWith('ORDO:')
          ? `ORPHA:${xref.slice(5)}`
          : undefined;
      if (target && ids.has(target)) edges.push({ a: node.id, b: target, via: xref });
    }
  }
  return edges;
}

function icdJoins(ddxNodes: KgNode[], doNodes: KgNode[], warnings: string[]): SameAsEdge[] {
  const byCode = new Map<string, string[]>();
  for (const node of doNodes) {
    for (const xref of node.xrefs) {
      if (!xref.startsWith('ICD10CM:')) continue;
      const code = xref.slice(8).toUpperCase();
      appendTo(byCode, code, node.id);
    }
  }
  const doByName = new Map(doNodes.map((n) => [normalizeName(n.name), n.id]));
  const edges: SameAsEdge[] = [];
  for (const node of ddxNodes.filter((n) => n.kind === 'disease')) {
    const codes = node.xrefs.map((x) => x.slice('ICD10:'.length));
    let matches = codes.flatMap((code) => (byCode.get(code) ?? []).map((id) => ({ id, code })));
    if (matches.length === 0) {
      matches = codes.flatMap((code) => (byCode.get(code.slice(0, 3)) ?? []).map((id) => ({ id, code: code.slice(0, 3) })));
    }
    if (matches.length === 0) matches = mostGeneralRefinement(codes, byCode);
    if (matches.length === 0) {
      const named = doByName.get(normalizeName(node.name));
      if (named) {
        edges.push({ a: node.id, b: named, via: 'name' });
        continue;
      }
      warnings.push(`DDXPlus condition "${node.name}" (ICD-10 ${codes.join(', ')}): no DO disease has that code or name`);
      continue;
    }
    for (const m of matches) edges.push({ a: node.id, b: m.id, via: `ICD10:${m.code}` });
  }
  return edges;
}

/** Findings of different sources with the same normalised name (or SYMP synonym), each pair once. */
function findingNameJoins(nodes: KgNode[]): SameAsEdge[] {
  const byName = new Map<string, KgNode[]>();
  for (const node of nodes) {
    if (node.kind !== 'finding') continue;
    // Only curated names count: SYMP's EXACT synonyms, not HPO's layperson ones nor DDXPlus questions.
    for (const name of new Set([node.name, ...(node.source === 'SYMP' ? node.synonyms : [])].map(normalizeName))) {
      appendTo(byName, name, node);
    }
  }
  const edges = new Map<string, SameAsEdge>();
  for (const group of byName.values()) {
    for (const a of group) {
      for (const b of group) {
        if (a.source !== b.source && a.id < b.id) {
          edges.set(`${a.id}|${b.id}`, { a: a.id, b: b.id, via: 'name' });
        }
      }
    }
  }
  return [...edges.values()];
}

/** The DO diseases whose ICD-10 code refines one of the codes (K21 → K21.9), the least specific first. */
function mostGeneralRefinement(codes: string[], byCode: ReadonlyMap<string, string[]>): { id: string; code: string }[] {
  for (const code of codes) {
    const refinements = [...byCode.keys()]
      .filter((c) => c.startsWith(code))
      .sort((x, y) => x.length - y.length || x.localeCompare(y));
    const best = refinements[0];
    if (best) return (byCode.get(best) ?? []).map((id) => ({ id, code: best }));
  }
  return [];
}

/**
 * Gives DO diseases their EXACT synonyms, less those that are another DO disease's name: such a synonym
 * is a piece of an OMIM title cut at its semicolons ("FRONTOTEMPORAL DEMENTIA" for "frontotemporal
 * dementia and/or amyotrophic lateral sclerosis 7") or a broader term, never the same disease.
 */
function addDoSynonyms(doNodes: KgNode[], synonyms: ReadonlyMap<string, string[]>): void {
  const idByName = new Map(doNodes.map((n) => [normalizeName(n.name), n.id]));
  for (const node of doNodes) {
    for (const synonym of synonyms.get(node.id) ?? []) {
      const other = idByName.get(normalizeName(synonym));
      if ((other === undefined || other === node.id) && !node.synonyms.includes(synonym)) node.synonyms.push(synonym);
    }
  }
}
