import type { DiseaseMatch, KgAccess, NameRecord } from './access';
import type { NodeKind } from './model';
import { LruMemo } from '../lru-memo';

/**
 * KgAccess with a bounded memo in front: a worker asks the same questions again and again (a case's
 * initial presentation is linked at every node of its tree and on every path), and the graph does not
 * change during a build. Least recently used answers are dropped beyond `maxEntries`.
 *
 * Questions about a list of diseases (or ids, or pairs) are answered one element at a time — each
 * element's answer depends only on it and the question's other arguments — so a differential that
 * shares most of its diseases with one already scored asks the graph only about the new ones, and one
 * that shares all of them asks nothing. Answers come back in the order the backend gives (the caller's).
 */
export class CachedKg implements KgAccess {
  private readonly memo: LruMemo<unknown>;

  constructor(
    private readonly kg: KgAccess,
    maxEntries = 100_000,
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

  async nodes(ids: string[]): Promise<NameRecord[]> {
    const found = await this.each('n', '', ids, String, async (missing) => {
      const byId = new Map((await this.kg.nodes(missing)).map((n) => [n.id, n]));
      return missing.map((id) => byId.get(id) ?? null);
    });
    return found.filter((n): n is NameRecord => n !== null);
  }

  diseaseDistances(pairs: [string, string][], cap: number): Promise<number[]> {
    return this.each(
      'd',
      String(cap),
      pairs,
      ([a, b]) => `${a}\u0000${b}`,
      (missing) => this.kg.diseaseDistances(missing, cap),
    );
  }

  supportedDiseases(diseases: string[], findings: string[]): Promise<string[]> {
    return this.someOf('u', JSON.stringify(findings), diseases, (missing) => this.kg.supportedDiseases(missing, findings));
  }

  annotatedDiseases(diseases: string[]): Promise<string[]> {
    return this.someOf('a', '', diseases, (missing) => this.kg.annotatedDiseases(missing));
  }

  diseasesWithFindingsUnder(diseases: string[], roots: string[]): Promise<string[]> {
    return this.someOf('w', JSON.stringify(roots), diseases, (missing) => this.kg.diseasesWithFindingsUnder(missing, roots));
  }

  async findingRootsOf(diseases: string[], roots: string[]): Promise<Record<string, string[]>> {
    const unique = [...new Set(diseases)];
    const found = await this.each('r', JSON.stringify(roots), unique, String, async (missing) => {
      const byDisease = await this.kg.findingRootsOf(missing, roots);
      return missing.map((d) => byDisease[d] ?? null);
    });
    const result: Record<string, string[]> = {};
    unique.forEach((d, i) => {
      const hit = found[i];
      if (hit) result[d] = hit;
    });
    return result;
  }

  /** Not per element: a disease's matched findings are gathered over the whole list. */
  diseasesMatching(findings: string[]): Promise<DiseaseMatch[]> {
    return this.memo.get(JSON.stringify(['m', findings]), () => this.kg.diseasesMatching(findings)) as Promise<DiseaseMatch[]>;
  }

  /** A filter question (which of these diseases …?), memoised per disease as yes or no. */
  private async someOf(
    kind: string,
    context: string,
    diseases: string[],
    ask: (missing: string[]) => Promise<string[]>,
  ): Promise<string[]> {
    const yes = await this.each(kind, context, diseases, String, async (missing) => {
      const found = new Set(await ask(missing));
      return missing.map((d) => found.has(d));
    });
    return diseases.filter((_, i) => yes[i]);
  }

  /**
   * Each item's answer, from the memo (by `keyOf(item)`) or from one call of `fetch` for the items it
   * lacks (each once, in first-seen order); concurrent questions share the answers in flight.
   */
  private each<I, T>(
    kind: string,
    context: string,
    items: I[],
    keyOf: (item: I) => string,
    fetch: (missing: I[]) => Promise<T[]>,
  ): Promise<T[]> {
    const missing: I[] = [];
    let batch: Promise<T[]> | undefined;
    const answers = items.map(
      (item) =>
        this.memo.get(`${kind}\u0000${context}\u0000${keyOf(item)}`, () => {
          const index = missing.length;
          missing.push(item);
          // Asked once the whole list has been looked up, so `missing` is complete.
          batch ??= Promise.resolve().then(() => fetch(missing));
          return batch.then((all) => all[index] as T);
        }) as Promise<T>,
    );
    return Promise.all(answers);
  }
}
