/**
 * The medical knowledge graph as plain data: what `kg load` writes to Neo4j and what the in-memory
 * KG used by tests (and small tools) holds. Node ids are the sources' CURIEs (DOID:, OMIM:, ORPHA:,
 * HP:, SYMP:) plus DDXPLUS: for DDXPlus conditions and evidences.
 */

export type NodeKind = 'disease' | 'finding';

export interface KgNode {
  id: string;
  kind: NodeKind;
  name: string;
  /** Where the node comes from: DO, HPO (OMIM/ORPHA diseases, phenotype terms), SYMP, DDXPLUS. */
  source: string;
  synonyms: string[];
  /** Cross-references as CURIEs (diseases only), e.g. MIM:264300, ICD10CM:J93.1, UMLS_CUI:C0032326. */
  xrefs: string[];
}

/** `child` IS_A `parent`, within one ontology. */
export interface IsAEdge {
  child: string;
  parent: string;
}

/** A disease's finding (symptom, sign, lab or imaging abnormality, or a DDXPlus antecedent). */
export interface HasFindingEdge {
  disease: string;
  finding: string;
  /** Which source asserts the link: DO (DO→SYMP), HPO (annotations), DDXPLUS. */
  source: string;
}

/** Two nodes of the same kind that denote the same thing in different sources (stored once, a → b). */
export interface SameAsEdge {
  a: string;
  b: string;
  /** Why: the xref (e.g. "MIM:264300"), "ICD10:J93" or "name". */
  via: string;
}

export interface KgData {
  nodes: KgNode[];
  isA: IsAEdge[];
  hasFinding: HasFindingEdge[];
  sameAs: SameAsEdge[];
}

/** Counts by node kind and edge type, as `kg load` reports them. */
export interface KgCounts {
  nodes: { Disease: number; Finding: number };
  edges: { IS_A: number; HAS_FINDING: number; SAME_AS: number };
}

export function countKg(kg: KgData): KgCounts {
  const diseases = kg.nodes.filter((n) => n.kind === 'disease').length;
  return {
    nodes: { Disease: diseases, Finding: kg.nodes.length - diseases },
    edges: { IS_A: kg.isA.length, HAS_FINDING: kg.hasFinding.length, SAME_AS: kg.sameAs.length },
  };
}
