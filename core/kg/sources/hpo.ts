import type { HasFindingEdge, IsAEdge, KgNode } from '../model';
import { appendTo, descendsFrom } from '../graph-walk';
import { invertedName } from '../names';
import { readTsv } from './tsv';

/**
 * HPO's root of phenotypic abnormalities: it and its descendants become findings. The root itself is a
 * node so that a test revealing "any phenotype" (genetic testing) has a root to reach through IS_A.
 */
export const PHENOTYPIC_ABNORMALITY = 'HP:0000118';

/**
 * HPO terms (`hpo-terms.tsv`: hpo_id, name, parent_ids joined by "|") → Finding nodes for Phenotypic
 * abnormality and its descendants, with their IS_A edges and layperson synonyms.
 */
export function parseHpoTerms(terms: string, layperson: string): { nodes: KgNode[]; isA: IsAEdge[] } {
  const parents = new Map<string, string[]>();
  const names = new Map<string, string>();
  for (const row of readTsv(terms, 'hpo-terms.tsv', ['hpo_id', 'name', 'parent_ids'])) {
    names.set(row.hpo_id, row.name);
    parents.set(row.hpo_id, row.parent_ids.split('|').filter(Boolean));
  }
  const underRoot = descendsFrom(parents, new Set([PHENOTYPIC_ABNORMALITY]));
  const synonyms = parseLaypersonSynonyms(layperson);
  const nodes: KgNode[] = [];
  const isA: IsAEdge[] = [];
  for (const [id, name] of names) {
    if (!underRoot(id)) continue;
    const own = (synonyms.get(id) ?? []).filter((s) => s.toLowerCase() !== name.toLowerCase());
    nodes.push({ id, kind: 'finding', name, source: 'HPO', synonyms: [...new Set(own)], xrefs: [] });
    for (const parent of parents.get(id) ?? []) if (underRoot(parent)) isA.push({ child: id, parent });
  }
  return { nodes, isA };
}

/** `hpo-layperson-synonyms.tsv`: `<http://purl.obolibrary.org/obo/HP_0002648>`, label, layperson text. */
export function parseLaypersonSynonyms(text: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const row of readTsv(text, 'hpo-layperson-synonyms.tsv', ['?term', '?layperson'])) {
    const match = /HP_(\d+)/.exec(row['?term']);
    const synonym = row['?layperson'].trim();
    if (!match || !synonym) continue;
    appendTo(result, `HP:${match[1]}`, synonym);
  }
  return result;
}

/**
 * HPO disease annotations (disease_id, disease_name, hpo_id) → OMIM/ORPHA Disease nodes and their
 * HAS_FINDING edges to the given findings (links to non-phenotype terms — inheritance, modifiers — are dropped).
 */
export function parseHpoAnnotations(
  text: string,
  findingIds: ReadonlySet<string>,
): { nodes: KgNode[]; hasFinding: HasFindingEdge[] } {
  const diseases = new Map<string, KgNode>();
  const hasFinding: HasFindingEdge[] = [];
  const seen = new Set<string>();
  const rows = readTsv(text, 'hpo-disease-phenotypes.tsv', ['disease_id', 'disease_name', 'hpo_id']);
  for (const { disease_id: id, disease_name: name, hpo_id: finding } of rows) {
    if (!/^(OMIM|ORPHA):/.test(id)) continue;
    if (!diseases.has(id)) {
      const inverted = invertedName(name);
      diseases.set(id, { id, kind: 'disease', name, source: 'HPO', synonyms: inverted ? [inverted] : [], xrefs: [] });
    }
    const key = `${id}>${finding}`;
    if (findingIds.has(finding) && !seen.has(key)) hasFinding.push({ disease: id, finding, source: 'HPO' });
    seen.add(key);
  }
  return { nodes: [...diseases.values()], hasFinding };
}
