import type { NodeKind } from './model';

/** A KG node as linking sees it. */
export interface NameRecord {
  id: string;
  kind: NodeKind;
  name: string;
  source: string;
  synonyms: string[];
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
   * The diseases d (of `diseases`) with a HAS_FINDING edge from D(d) to a finding that is, or descends
   * through IS_A from, one of `roots` (the findings a test can reveal).
   */
  diseasesWithFindingsUnder(diseases: string[], roots: string[]): Promise<string[]>;
}
