import type { DiseaseMatch, KgAccess, NameRecord } from './access';
import type { NodeKind } from './model';
import { LruMemo } from '../lru-memo';

/**
 * KgAccess with a bounded memo in front: a worker asks the same questions again and again (a case's
 * initial presentation is linked at every node of its tree and on every path), and the graph does not
 * change during a build. Least recently used answers are dropped beyond `maxEntries`.
 */
export class CachedKg implements KgAccess {
  private readonly memo: LruMemo<unknown>;

  constructor(
    private readonly kg: KgAccess,
    maxEntries = 50_000,
  ) {
    this.memo = new LruMemo(maxEntries);
  }

  /**
   * Not memoised: its answers are large (a hundred names with their synonyms), and the entity linker,
   * its only user, memoises its own small results instead (at benchmark scale these answers made up
   * most of a worker's memory).
   */
  searchNames(words: string[], kind: NodeKind, limit: number): Promise<NameRecord[]> {
    return this.kg.searchNames(words, kind, limit);
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

  annotatedDiseases(diseases: string[]): Promise<string[]> {
    return this.cached(['a', diseases], () => this.kg.annotatedDiseases(diseases));
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
    return this.memo.get(JSON.stringify(key), compute) as Promise<T>;
  }
}
