import type { IsAEdge, KgNode } from '../model';

/** The Symptom Ontology in OBO 1.2: `[Term]` stanzas with id, name, synonym and is_a; obsolete terms dropped. */
export function parseSymptomOntology(obo: string): { nodes: KgNode[]; isA: IsAEdge[] } {
  const nodes: KgNode[] = [];
  const isA: IsAEdge[] = [];
  for (const stanza of obo.split(/\n(?=\[)/)) {
    if (!stanza.startsWith('[Term]')) continue;
    const tags = stanza.split('\n').slice(1);
    const value = (tag: string) => tags.filter((l) => l.startsWith(`${tag}: `)).map((l) => l.slice(tag.length + 2).trim());
    const id = value('id')[0];
    const name = value('name')[0];
    if (!id || !name || value('is_obsolete').includes('true')) continue;
    const synonyms = value('synonym')
      .map((s) => /^"((?:[^"\\]|\\.)*)"/.exec(s)?.[1])
      .filter((s): s is string => Boolean(s));
    nodes.push({ id, kind: 'finding', name, source: 'SYMP', synonyms, xrefs: [] });
    for (const parent of value('is_a')) isA.push({ child: id, parent: parent.split(/\s/)[0] as string });
  }
  const ids = new Set(nodes.map((n) => n.id));
  return { nodes, isA: isA.filter((e) => ids.has(e.parent)) };
}
