import type { HasFindingEdge, IsAEdge, KgNode } from '../model';
import { readTsv } from './tsv';

/** Human Disease Ontology: `HumanDO.tsv` (id, label, subClassOf given by the parent's label) and `do-xrefs.tsv`. */
export function parseDiseaseOntology(
  humanDo: string,
  xrefs: string,
): { nodes: KgNode[]; isA: IsAEdge[]; unresolvedParents: string[] } {
  const rows = readTsv(humanDo, 'HumanDO.tsv', ['id', 'label', 'subClassOf']);
  const byId = new Map<string, KgNode>();
  const idByLabel = new Map<string, string>();
  for (const { id, label } of rows) {
    if (!byId.has(id)) {
      byId.set(id, { id, kind: 'disease', name: label, source: 'DO', synonyms: [], xrefs: [] });
      idByLabel.set(label, id);
    }
  }
  const isA: IsAEdge[] = [];
  const seen = new Set<string>();
  const unresolvedParents = new Set<string>();
  for (const { id, subClassOf: parentLabel } of rows) {
    if (!parentLabel) continue;
    const parent = idByLabel.get(parentLabel);
    if (!parent) {
      unresolvedParents.add(parentLabel);
      continue;
    }
    const key = `${id}>${parent}`;
    if (!seen.has(key)) isA.push({ child: id, parent });
    seen.add(key);
  }
  for (const row of readTsv(xrefs, 'do-xrefs.tsv', ['id', 'xref'])) {
    const node = byId.get(row.id);
    const xref = row.xref.trim();
    if (node && xref && !node.xrefs.includes(xref)) node.xrefs.push(xref);
  }
  return { nodes: [...byId.values()], isA, unresolvedParents: [...unresolvedParents] };
}

/** DO's disease → Symptom Ontology links (`do-disease-symptom.tsv`). */
export function parseDoDiseaseSymptoms(text: string): HasFindingEdge[] {
  return readTsv(text, 'do-disease-symptom.tsv', ['disease_id', 'symptom_id']).map((row) => ({
    disease: row.disease_id,
    finding: row.symptom_id,
    source: 'DO',
  }));
}

/**
 * DO's synonyms (`do-synonyms.tsv`: id, synonym, scope) by disease id. Only EXACT synonyms name the same
 * disease; RELATED, NARROW and BROAD ones name another and would make linking accept it.
 */
export function parseDoSynonyms(text: string): Map<string, string[]> {
  const byId = new Map<string, string[]>();
  for (const { id, synonym, scope } of readTsv(text, 'do-synonyms.tsv', ['id', 'synonym', 'scope'])) {
    const s = synonym.trim();
    if (scope !== 'EXACT' || !s) continue;
    const list = byId.get(id) ?? [];
    if (!list.includes(s)) list.push(s);
    byId.set(id, list);
  }
  return byId;
}
