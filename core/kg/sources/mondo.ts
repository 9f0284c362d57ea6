import { readTsv } from './tsv';

/** The Mondo Disease Ontology as far as joining the other disease sources needs it. */
export interface MondoSource {
  /** Mondo class → the DOID, OMIM and ORPHA ids it is an exact match of. */
  matches: Map<string, string[]>;
  /** Mondo class → its is_a parents (absent or empty: not known). */
  parents: Map<string, string[]>;
  /** Mondo class → its label. */
  labels: Map<string, string>;
}

/**
 * `mondo-mappings.tsv` (mondo_id, predicate, object_id, object_label; only skos:exactMatch rows are used)
 * and `mondo-hierarchy.tsv` (mondo_id, label, parent_ids joined by `|`).
 */
export function parseMondo(mappings: string, hierarchy: string): MondoSource {
  const matches = new Map<string, string[]>();
  for (const row of readTsv(mappings, 'mondo-mappings.tsv', ['mondo_id', 'predicate', 'object_id'])) {
    if (row.predicate !== 'skos:exactMatch' || !row.object_id) continue;
    const list = matches.get(row.mondo_id) ?? [];
    if (!list.includes(row.object_id)) list.push(row.object_id);
    matches.set(row.mondo_id, list);
  }
  const parents = new Map<string, string[]>();
  const labels = new Map<string, string>();
  for (const row of readTsv(hierarchy, 'mondo-hierarchy.tsv', ['mondo_id', 'label', 'parent_ids'])) {
    labels.set(row.mondo_id, row.label);
    const ids = row.parent_ids.split('|').filter((p) => p.length > 0);
    if (ids.length > 0) parents.set(row.mondo_id, ids);
  }
  return { matches, parents, labels };
}
