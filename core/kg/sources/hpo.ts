import type { HasFindingEdge, IsAEdge, KgNode } from '../model';
import { invertedName } from '../names';
import { column, parseTsv } from './tsv';

/** HPO's root of phenotypic abnormalities: only its descendants become findings. */
export const PHENOTYPIC_ABNORMALITY = 'HP:0000118';

/**
 * HPO terms (`hpo-terms.tsv`: hpo_id, name, parent_ids joined by "|") → Finding nodes for the descendants
 * of Phenotypic abnormality, with their IS_A edges and layperson synonyms.
 */
export function parseHpoTerms(terms: string, layperson: string): { nodes: KgNode[]; isA: IsAEdge[] } {
  const file = 'hpo-terms.tsv';
  const table = parseTsv(terms, file);
  const [idCol, nameCol, parentsCol] = ['hpo_id', 'name', 'parent_ids'].map((c) => column(table, c, file)) as [
    number,
    number,
    number,
  ];
  const parents = new Map<string, string[]>();
  const names = new Map<string, string>();
  for (const row of table.rows) {
    const id = row[idCol] as string;
    names.set(id, row[nameCol] as string);
    parents.set(id, (row[parentsCol] as string).split('|').filter(Boolean));
  }
  const memo = new Map<string, boolean>();
  const underRoot = (id: string, path: Set<string> = new Set()): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    if (path.has(id)) return false;
    path.add(id);
    const result = (parents.get(id) ?? []).some((p) => p === PHENOTYPIC_ABNORMALITY || underRoot(p, path));
    memo.set(id, result);
    return result;
  };
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
  const file = 'hpo-layperson-synonyms.tsv';
  const table = parseTsv(text, file);
  const [termCol, laypersonCol] = [column(table, '?term', file), column(table, '?layperson', file)];
  const result = new Map<string, string[]>();
  for (const row of table.rows) {
    const match = /HP_(\d+)/.exec(row[termCol] as string);
    const synonym = (row[laypersonCol] as string).trim();
    if (!match || !synonym) continue;
    const id = `HP:${match[1]}`;
    result.set(id, [...(result.get(id) ?? []), synonym]);
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
  const file = 'hpo-disease-phenotypes.tsv';
  const table = parseTsv(text, file);
  const [dCol, nCol, hCol] = ['disease_id', 'disease_name', 'hpo_id'].map((c) => column(table, c, file)) as [
    number,
    number,
    number,
  ];
  const diseases = new Map<string, KgNode>();
  const hasFinding: HasFindingEdge[] = [];
  const seen = new Set<string>();
  for (const row of table.rows) {
    const id = row[dCol] as string;
    if (!/^(OMIM|ORPHA):/.test(id)) continue;
    if (!diseases.has(id)) {
      const name = row[nCol] as string;
      const inverted = invertedName(name);
      diseases.set(id, { id, kind: 'disease', name, source: 'HPO', synonyms: inverted ? [inverted] : [], xrefs: [] });
    }
    const finding = row[hCol] as string;
    const key = `${id}>${finding}`;
    if (findingIds.has(finding) && !seen.has(key)) hasFinding.push({ disease: id, finding, source: 'HPO' });
    seen.add(key);
  }
  return { nodes: [...diseases.values()], hasFinding };
}
