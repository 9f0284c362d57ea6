import type { NodeKind } from './model';

/** A KG node as linking sees it. */
export interface NameRecord {
  id: string;
  kind: NodeKind;
  name: string;
  source: string;
  synonyms: string[];
}

/** A disease with findings among those observed (see KgAccess.diseasesMatching). */
export interface DiseaseMatch {
  id: string;
  name: string;
  /** The observed findings (ids given) that the disease has, sorted. */
  matched: string[];
  /** How many findings the disease has in all. */
  findingCount: number;
}

/** The longest IS_A distance a KG backend computes; larger caps are clamped to it. */
export const MAX_DISTANCE_CAP = 8;

/**
 * What entity linking and the metrics need from the knowledge graph. Two implementations answer
 * identically (a test checks it): `MemoryKg` (pure, for unit tests and small tools) and `Neo4jKg`.
 *
 * Definitions shared by every implementation (see docs/metrics.md):
 * - E(x), the equivalents of x: x and the nodes within two SAME_AS steps (either direction).
 * - The disease neighbourhood D(d): E(y) for every y that is an x in E(d), or a parent or child (one IS_A
 *   step) of such an x.
 * - The finding neighbourhood F(f): E(z) for every z within two IS_A steps above or below (ancestors or
 *   descendants, not siblings) of an x in E(f).
 */
export interface KgAccess {
  /**
   * Candidate nodes of one kind whose names or synonyms share words with `words` (see kg/name-words.ts),
   * best first by shared-word weight; at most `limit`. Linking re-scores them (the two backends may order
   * candidates differently; a limit well above the number wanted keeps the final answer the same).
   */
  searchNames(words: string[], kind: NodeKind, limit: number): Promise<NameRecord[]>;
  /** The nodes with these ids (unknown ids are left out). */
  nodes(ids: string[]): Promise<NameRecord[]>;
  /**
   * δ for each pair of disease ids: 0 when their equivalents meet, else the shortest IS_A path (either
   * direction) between any of their equivalents, capped at `cap`; an unknown id gives `cap`.
   */
  diseaseDistances(pairs: [string, string][], cap: number): Promise<number[]>;
  /** The diseases d (of `diseases`) with a HAS_FINDING edge from D(d) to F(f) for some f of `findings`. */
  supportedDiseases(diseases: string[], findings: string[]): Promise<string[]>;
  /**
   * The diseases d (of `diseases`) with any HAS_FINDING edge from D(d): those the KG can say anything
   * about, so that metrics abstain on the others instead of counting them unsupported.
   */
  annotatedDiseases(diseases: string[]): Promise<string[]>;
  /**
   * The diseases d (of `diseases`) with a HAS_FINDING edge from D(d) to a finding with an equivalent
   * (E(f)) that is, or descends through IS_A from, one of `roots` (the findings a test can reveal).
   */
  diseasesWithFindingsUnder(diseases: string[], roots: string[]): Promise<string[]>;
  /**
   * For each disease d (of `diseases`), the `roots` under which D(d) has a finding (the same test as
   * diseasesWithFindingsUnder, for several roots at once); diseases with none are left out.
   */
  findingRootsOf(diseases: string[], roots: string[]): Promise<Record<string, string[]>>;
  /**
   * Every disease with a HAS_FINDING edge (its own, not its neighbourhood's) to M(f) for an observed
   * finding f, where M(f) is E(z) for each z that is an equivalent of f, a descendant within two IS_A
   * steps of one, or a parent of one: a disease annotated with a more specific finding than the one
   * observed, or one step more general, still matches. Unordered; callers rank.
   */
  diseasesMatching(findings: string[]): Promise<DiseaseMatch[]>;
}
