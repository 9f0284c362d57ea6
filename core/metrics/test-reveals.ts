import type { MenuCategory } from '../cases/model';
import { CONCEPTS_BY_ID, findRegions, findTests } from '../oracle/phrases';
import table from '../../data/metrics/test-reveals.json';

/**
 * What a test can reveal, as finding roots (HPO/SYMP subtrees): an order is grounded when it can tell the
 * hypotheses apart by findings under them (docs/metrics.md). The table is data (data/metrics/test-reveals.json):
 * analyte-level roots for the common labs, organ systems for exams and imaging, the body region an
 * image or a biopsy looks at.
 */
const ROOTS: Record<string, string> = table.roots;
const BY_CATEGORY = table.byCategory as Record<MenuCategory, string[]>;
const BY_REGION: Record<string, string[]> = table.byRegion;
const BY_CONCEPT: Record<string, string[]> = table.byConcept;

const root = (name: string): string => {
  const id = ROOTS[name];
  if (!id) throw new Error(`test-reveals.json: unknown root name '${name}'`);
  return id;
};

/** The finding roots an order can reveal (empty when the order names no test the lexicon knows). */
export function revealRoots(order: string): string[] {
  const roots = new Set<string>();
  const concepts = findTests(order, 'order').map((m) => m.concept);
  const regions = findRegions(order);
  for (const id of concepts) {
    const concept = CONCEPTS_BY_ID.get(id);
    if (!concept) continue;
    for (const name of BY_CONCEPT[id] ?? BY_CATEGORY[concept.category]) roots.add(root(name));
    if (concept.category === 'imaging' || concept.category === 'pathology' || concept.category === 'procedure') {
      const regional = [...regions].flatMap((r) => BY_REGION[r] ?? []);
      // Imaging without a region can look anywhere.
      for (const name of regional.length > 0 || concept.category !== 'imaging' ? regional : ['phenotype']) roots.add(root(name));
    }
  }
  return [...roots].sort();
}
