import { MAX_DISTANCE_CAP, type DiseaseMatch, type KgAccess, type NameRecord } from './access';
import type { KgData, NodeKind } from './model';
import { appendTo, descendsFrom, reachableWithin } from './graph-walk';
import { nameWords } from './name-words';

/** The KG in memory: adjacency maps over KgData, answering KgAccess exactly as the Neo4j adapter does. */
export class MemoryKg implements KgAccess {
  private readonly byId = new Map<string, NameRecord>();
  /** Word count of a node's shortest name: on equal search weight the shorter name comes first. */
  private readonly shortest = new Map<string, number>();
  private readonly parents = new Map<string, string[]>();
  private readonly children = new Map<string, string[]>();
  private readonly same = new Map<string, string[]>();
  private readonly findingsOf = new Map<string, string[]>();
  private readonly diseasesWith = new Map<string, string[]>();
  /** word → ids of nodes of each kind whose name or a synonym has the word. */
  private readonly postings = { disease: new Map<string, Set<string>>(), finding: new Map<string, Set<string>>() };

  constructor(kg: KgData) {
    for (const node of kg.nodes) {
      this.byId.set(node.id, { id: node.id, kind: node.kind, name: node.name, source: node.source, synonyms: node.synonyms });
      for (const text of [node.name, ...node.synonyms]) {
        const words = nameWords(text);
        this.shortest.set(node.id, Math.min(this.shortest.get(node.id) ?? Infinity, words.length));
        for (const word of words) {
          const postings = this.postings[node.kind];
          postings.set(word, (postings.get(word) ?? new Set()).add(node.id));
        }
      }
    }
    for (const e of kg.isA) {
      appendTo(this.parents, e.child, e.parent);
      appendTo(this.children, e.parent, e.child);
    }
    for (const e of kg.sameAs) {
      appendTo(this.same, e.a, e.b);
      appendTo(this.same, e.b, e.a);
    }
    for (const e of kg.hasFinding) {
      appendTo(this.findingsOf, e.disease, e.finding);
      appendTo(this.diseasesWith, e.finding, e.disease);
    }
  }

  async searchNames(words: string[], kind: NodeKind, limit: number): Promise<NameRecord[]> {
    const postings = this.postings[kind];
    const scores = new Map<string, number>();
    for (const word of new Set(words)) {
      const ids = postings.get(word);
      if (!ids) continue;
      const weight = Math.log(1 + this.byId.size / ids.size);
      for (const id of ids) scores.set(id, (scores.get(id) ?? 0) + weight);
    }
    return [...scores.entries()]
      .sort((a, b) => b[1] - a[1] || (this.shortest.get(a[0]) ?? 0) - (this.shortest.get(b[0]) ?? 0) || a[0].localeCompare(b[0]))
      .slice(0, limit)
      .map(([id]) => this.byId.get(id) as NameRecord);
  }

  async nodes(ids: string[]): Promise<NameRecord[]> {
    return ids.map((id) => this.byId.get(id)).filter((n): n is NameRecord => n !== undefined);
  }

  async diseaseDistances(pairs: [string, string][], cap: number): Promise<number[]> {
    const limit = Math.min(cap, MAX_DISTANCE_CAP);
    return pairs.map(([a, b]) => {
      if (!this.isKind(a, 'disease') || !this.isKind(b, 'disease')) return cap;
      const targets = this.equivalents(b);
      let frontier = [...this.equivalents(a)];
      const seen = new Set(frontier);
      for (let depth = 0; depth <= limit; depth++) {
        if (frontier.some((x) => targets.has(x))) return depth;
        const next: string[] = [];
        for (const x of frontier) {
          for (const y of this.isANeighbours(x)) {
            if (!seen.has(y) && this.isKind(y, 'disease')) {
              seen.add(y);
              next.push(y);
            }
          }
        }
        frontier = next;
      }
      return cap;
    });
  }

  async supportedDiseases(diseases: string[], findings: string[]): Promise<string[]> {
    const reachable = new Set(
      findings.filter((f) => this.isKind(f, 'finding')).flatMap((f) => [...this.findingNeighbourhood(f)]),
    );
    return diseases.filter((d) => this.hasFindingAround(d, (f) => reachable.has(f)));
  }

  async annotatedDiseases(diseases: string[]): Promise<string[]> {
    return diseases.filter((d) => this.hasFindingAround(d, () => true));
  }

  async diseasesWithFindingsUnder(diseases: string[], roots: string[]): Promise<string[]> {
    const under = this.underRoots(roots);
    return diseases.filter((d) => this.hasFindingAround(d, under));
  }

  async findingRootsOf(diseases: string[], roots: string[]): Promise<Record<string, string[]>> {
    const tests = [...new Set(roots)].map((root) => ({ root, under: this.underRoots([root]) }));
    const result: Record<string, string[]> = {};
    for (const d of new Set(diseases)) {
      const findings = [...this.diseaseNeighbourhood(d)].flatMap((x) => this.findingsOf.get(x) ?? []);
      const found = tests.filter((t) => findings.some((f) => t.under(f))).map((t) => t.root);
      if (found.length > 0) result[d] = found;
    }
    return result;
  }

  /**
   * "f is under one of the roots": an equivalent of f (SAME_AS, as E(f)) is a root or descends from one
   * through IS_A, so a SYMP or DDXPlus finding joined to an HPO term is under that term's organ system.
   */
  private underRoots(roots: string[]): (finding: string) => boolean {
    const descends = descendsFrom(this.parents, new Set(roots));
    return (f) => [...this.equivalents(f)].some(descends);
  }

  async diseasesMatching(findings: string[]): Promise<DiseaseMatch[]> {
    const matched = new Map<string, Set<string>>();
    for (const f of new Set(findings)) {
      if (!this.isKind(f, 'finding')) continue;
      const start = this.equivalents(f);
      const matchSet = this.withEquivalents([
        ...reachableWithin(start, (x) => this.children.get(x) ?? [], 2),
        ...reachableWithin(start, (x) => this.parents.get(x) ?? [], 1),
      ]);
      for (const z of matchSet) {
        for (const d of this.diseasesWith.get(z) ?? []) matched.set(d, (matched.get(d) ?? new Set()).add(f));
      }
    }
    return [...matched.entries()].map(([id, fs]) => ({
      id,
      name: (this.byId.get(id) as NameRecord).name,
      matched: [...fs].sort(),
      findingCount: new Set(this.findingsOf.get(id)).size,
    }));
  }

  private isKind(id: string, kind: NodeKind): boolean {
    return this.byId.get(id)?.kind === kind;
  }

  private readonly isANeighbours = (id: string): string[] => [...(this.parents.get(id) ?? []), ...(this.children.get(id) ?? [])];

  /** E(x): x and the nodes within two SAME_AS steps. */
  private equivalents(id: string): Set<string> {
    return reachableWithin([id], (x) => this.same.get(x) ?? [], 2);
  }

  /** Some HAS_FINDING edge from D(d) reaches a finding that passes the test (false for a non-disease id). */
  private hasFindingAround(d: string, test: (finding: string) => boolean): boolean {
    return [...this.diseaseNeighbourhood(d)].some((x) => (this.findingsOf.get(x) ?? []).some(test));
  }

  /** The equivalents of every node of a set. */
  private withEquivalents(ids: Iterable<string>): Set<string> {
    const result = new Set<string>();
    for (const y of ids) for (const z of this.equivalents(y)) result.add(z);
    return result;
  }

  /** D(d): the equivalents of d, of its equivalents' parents and children. */
  private diseaseNeighbourhood(id: string): Set<string> {
    if (!this.isKind(id, 'disease')) return new Set();
    return this.withEquivalents(reachableWithin(this.equivalents(id), this.isANeighbours, 1));
  }

  /** F(f): the equivalents of every finding within two IS_A steps above or below an equivalent of f. */
  private findingNeighbourhood(id: string): Set<string> {
    const start = this.equivalents(id);
    return this.withEquivalents([
      ...reachableWithin(start, (x) => this.parents.get(x) ?? [], 2),
      ...reachableWithin(start, (x) => this.children.get(x) ?? [], 2),
    ]);
  }
}
