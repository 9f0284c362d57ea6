import type { DiseaseMatch, KgAccess, NameRecord } from './access';
import type { NodeKind } from './model';

/**
 * KgAccess with a bounded memo in front: a worker asks the same questions again and again (a case's
 * initial presentation is linked at every node of its tree and on every path), and the graph does not
 * change during a build. Least recently used answers are dropped beyond `maxEntries`.
 */
export class CachedKg implements KgAccess {
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(
    private readonly kg: KgAccess,
    private readonly maxEntries = 50_000,
  ) {}

  searchNames(words: string[], kind: NodeKind, limit: number): Promise<NameRecord[]> {
    return this.cached(['s', words, kind, limit], () => this.kg.searchNames(words, kind, limit));
  }

  nodes(ids: string[]): Promise<NameRecord[]> {
    return this.cached(['n', ids], () => this.kg.nodes(ids));
  }

  diseaseDistances(pairs: [string, string][], cap: number): Promise<number[]> {
    return this.cached(['d', pairs, cap], () => this.kg.diseaseDistances(pairs, cap));
  }

  supportedDiseases(diseases: string[], findings: string[]): Promise<string[]> {
    return this.cached(['u', diseases, findings], () => this.kg.supportedDiseases(diseases, findings));
  }

  diseasesWithFindingsUnder(diseases: string[], roots: string[]): Promise<string[]> {
    return this.cached(['w', diseases, roots], () => this.kg.diseasesWithFindingsUnder(diseases, roots));
  }

  findingRootsOf(diseases: string[], roots: string[]): Promise<Record<string, string[]>> {
    return this.cached(['r', diseases, roots], () => this.kg.findingRootsOf(diseases, roots));
  }

  diseasesMatching(findings: string[]): Promise<DiseaseMatch[]> {
    return this.cached(['m', findings], () => this.kg.diseasesMatching(findings));
  }

  private cached<T>(key: unknown[], compute: () => Promise<T>): Promise<T> {
    const k = JSON.stringify(key);
    const hit = this.memo.get(k);
    if (hit) {
      // Refresh its place in the LRU order.
      this.memo.delete(k);
      this.memo.set(k, hit);
      return hit as Promise<T>;
    }
    const value = compute();
    this.memo.set(k, value);
    // A failed query is not an answer: forget it so the next call asks again.
    value.catch(() => this.memo.delete(k));
    if (this.memo.size > this.maxEntries) this.memo.delete(this.memo.keys().next().value as string);
    return value;
  }
}
