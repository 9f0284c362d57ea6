import { readDiagnosis } from '../judge/diagnosis-text';
import type { EntityLinker, LinkMatch } from './linker';

/**
 * The KG nodes a gold diagnosis names, best first. A gold is compositional ("Cardiac metastasis from
 * squamous cell carcinoma of the oral cavity", "Concomitant colonic atresia and Hirschsprung's disease"),
 * so the first places go to the best link of each phrase that can name its disease — the principal phrase
 * of its first condition, the whole wording, then each further condition's principal and the bracketed
 * aliases — and the other matches follow by score.
 */
export async function goldMatches(linker: EntityLinker, gold: string): Promise<LinkMatch[]> {
  const conditions = readDiagnosis(gold).conditions;
  const phrases = [
    conditions[0]?.principal,
    gold,
    ...conditions.slice(1).map((c) => c.principal),
    ...conditions.flatMap((c) => c.aliases),
  ].filter((p): p is string => p !== undefined && p.trim().length > 0);
  const results = await Promise.all([...new Set(phrases)].map((p) => linker.link(p, 'disease')));
  const ordered: LinkMatch[] = [];
  const seen = new Set<string>();
  const add = (m: LinkMatch | undefined) => {
    if (m && !seen.has(m.id)) {
      seen.add(m.id);
      ordered.push(m);
    }
  };
  for (const r of results) add(r.matches[0]);
  for (const m of results.flatMap((r) => r.matches.slice(1)).sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)))
    add(m);
  return ordered;
}
