import type { HasFindingEdge, IsAEdge, KgNode } from '../model';
import { column, parseTsv } from './tsv';

/** Human Disease Ontology: `HumanDO.tsv` (id, label, subClassOf given by the parent's label) and `do-xrefs.tsv`. */
export function parseDiseaseOntology(
  humanDo: string,
  xrefs: string,
): { nodes: KgNode[]; isA: IsAEdge[]; unresolvedParents: string[] } {
  const file = 'HumanDO.tsv';
  const table = parseTsv(humanDo, file);
  const [idCol, labelCol, parentCol] = ['id', 'label', 'subClassOf'].map((c) => column(table, c, file)) as [
    number,
    number,
    number,
  ];
  const byId = new Map<string, KgNode>();
  const idByLabel = new Map<string, string>();
  for (const row of table.rows) {
    const id = row[idCol] as string;
    const label = row[labelCol] as string;
    if (!byId.has(id)) {
      byId.set(id, { id, kind: 'disease', name: label, source: 'DO', synonyms: [], xrefs: [] });
      idByLabel.set(label, id);
    }
  }
  const isA: IsAEdge[] = [];
  const seen = new Set<string>();
  const unresolvedParents = new Set<string>();
  for (const row of table.rows) {
    const parentLabel = row[parentCol] as string;
    if (!parentLabel) continue;
    const parent = idByLabel.get(parentLabel);
    if (!parent) {
      unresolvedParents.add(parentLabel);
      continue;
    }
    const key = `${row[idCol]}>${parent}`;
    if (!seen.has(key)) isA.push({ child: row[idCol] as string, parent });
    seen.add(key);
  }
  const xfile = 'do-xrefs.tsv';
  const xtable = parseTsv(xrefs, xfile);
  const [xId, xRef] = [column(xtable, 'id', xfile), column(xtable, 'xref', xfile)];
  for (const row of xtable.rows) {
    const node = byId.get(row[xId] as string);
    const xref = (row[xRef] as string).trim();
    if (node && xref && !node.xrefs.includes(xref)) node.xrefs.push(xref);
  }
  return { nodes: [...byId.values()], isA, unresolvedParents: [...unresolvedParents] };
}

/** DO's disease → Symptom Ontology links (`do-disease-symptom.tsv`). */
export function parseDoDiseaseSymptoms(text: string): HasFindingEdge[] {
  const file = 'do-disease-symptom.tsv';
  const table = parseTsv(text, file);
  const [d, s] = [column(table, 'disease_id', file), column(table, 'symptom_id', file)];
  return table.rows.map((row) => ({ disease: row[d] as string, finding: row[s] as string, source: 'DO' }));
}
