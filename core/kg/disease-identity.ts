import { appendTo } from './graph-walk';
import type { IsAEdge, KgNode, SameAsEdge } from './model';
import { normalizeName } from './names';
import type { MondoSource } from './sources/mondo';

/** What joining the disease sources through Mondo gave the OMIM and Orphanet diseases (`kg load --json`). */
export interface DiseaseIdentityStats {
  /** OMIM and ORPHA Disease nodes (from the HPO annotations). */
  omimOrphaDiseases: number;
  /** Of those, with an equivalent of another source (SAME_AS) before and after the Mondo joins. */
  withEquivalentBefore: number;
  withEquivalentAfter: number;
  /** Of those, with a place in a hierarchy (an IS_A parent of their own or of an equivalent) before and after. */
  withParentBefore: number;
  withParentAfter: number;
  /** The differences: how many gained an equivalent, a parent. */
  gainedEquivalent: number;
  gainedParent: number;
  /** Mondo classes that matched at least one Disease node. */
  mondoClassesUsed: number;
}

export interface DiseaseIdentity {
  /** New SAME_AS edges (pairs already joined are not repeated), `via` the Mondo class. */
  sameAs: SameAsEdge[];
  /** IS_A edges giving OMIM/ORPHA diseases the parents their Mondo class has. */
  isA: IsAEdge[];
  stats: DiseaseIdentityStats;
}

/** Unmapped Mondo levels skipped on the way up to a parent that is a node of the graph. */
const MAX_SKIPPED_LEVELS = 2;

/** When a Mondo class matches several nodes, the IS_A edge goes to one of them, DO first. */
const PARENT_SOURCE_RANK = ['DO', 'HPO', 'DDXPLUS'];

/**
 * One disease identity over DO, OMIM and Orphanet: the nodes that exact-match one Mondo class are
 * SAME_AS each other (a clique, so every equivalent is one step away), every node also gets its
 * Mondo class's label as a synonym (in place, on `nodes`), and OMIM/ORPHA diseases — which have no
 * hierarchy of their own — are put IS_A under the nodes of their Mondo class's nearest ancestors that
 * are in the graph (skipping at most MAX_SKIPPED_LEVELS unmapped levels). DO diseases keep DO's own
 * hierarchy. `existing` are the SAME_AS edges already made (DO's xrefs), counted for the "before".
 */
export function unifyDiseases(
  nodes: KgNode[],
  existingSameAs: readonly SameAsEdge[],
  existingIsA: readonly IsAEdge[],
  mondo: MondoSource,
): DiseaseIdentity {
  const diseases = new Map(nodes.filter((n) => n.kind === 'disease').map((n) => [n.id, n]));
  const members = new Map<string, KgNode[]>();
  const classesOf = new Map<string, string[]>();
  for (const [mondoId, ids] of mondo.matches) {
    const found = ids.map((id) => diseases.get(id)).filter((n): n is KgNode => n !== undefined);
    if (found.length === 0) continue;
    members.set(mondoId, found);
    for (const n of found) appendTo(classesOf, n.id, mondoId);
  }

  const joined = new Set(existingSameAs.map((e) => pairKey(e.a, e.b)));
  const sameAs: SameAsEdge[] = [];
  for (const [mondoId, group] of members) {
    const label = mondo.labels.get(mondoId);
    for (const node of group) if (label) addSynonym(node, label);
    for (const a of group) {
      for (const b of group) {
        const key = pairKey(a.id, b.id);
        if (a.id < b.id && !joined.has(key)) {
          joined.add(key);
          sameAs.push({ a: a.id, b: b.id, via: mondoId });
        }
      }
    }
  }

  const isA: IsAEdge[] = [];
  const seenEdge = new Set<string>();
  for (const node of diseases.values()) {
    if (!isOmimOrOrpha(node.id)) continue;
    const own = new Set((classesOf.get(node.id) ?? []).flatMap((m) => (members.get(m) ?? []).map((n) => n.id)));
    for (const mondoId of classesOf.get(node.id) ?? []) {
      for (const parent of nearestMappedAncestors(mondoId, mondo, members)) {
        const target = representative(members.get(parent) ?? []);
        if (!target || own.has(target.id) || seenEdge.has(`${node.id}>${target.id}`)) continue;
        seenEdge.add(`${node.id}>${target.id}`);
        isA.push({ child: node.id, parent: target.id });
      }
    }
  }

  return { sameAs, isA, stats: identityStats(diseases, existingSameAs, existingIsA, sameAs, isA, members.size) };
}

function nearestMappedAncestors(mondoId: string, mondo: MondoSource, members: ReadonlyMap<string, KgNode[]>): string[] {
  const found: string[] = [];
  const seen = new Set<string>([mondoId]);
  let frontier = mondo.parents.get(mondoId) ?? [];
  for (let level = 0; level <= MAX_SKIPPED_LEVELS && frontier.length > 0; level++) {
    const next: string[] = [];
    for (const p of frontier) {
      if (seen.has(p)) continue;
      seen.add(p);
      if (members.has(p)) found.push(p);
      else next.push(...(mondo.parents.get(p) ?? []));
    }
    frontier = next;
  }
  return found;
}

function representative(group: KgNode[]): KgNode | undefined {
  const rank = (n: KgNode) => {
    const i = PARENT_SOURCE_RANK.indexOf(n.source);
    return i < 0 ? PARENT_SOURCE_RANK.length : i;
  };
  return [...group].sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id))[0];
}

function identityStats(
  diseases: ReadonlyMap<string, KgNode>,
  sameBefore: readonly SameAsEdge[],
  isABefore: readonly IsAEdge[],
  sameNew: readonly SameAsEdge[],
  isANew: readonly IsAEdge[],
  mondoClassesUsed: number,
): DiseaseIdentityStats {
  const targets = [...diseases.keys()].filter(isOmimOrOrpha);
  const measure = (same: readonly SameAsEdge[], isA: readonly IsAEdge[]) => {
    const equivalents = new Map<string, string[]>();
    for (const e of same) {
      if (!diseases.has(e.a) || !diseases.has(e.b)) continue;
      appendTo(equivalents, e.a, e.b);
      appendTo(equivalents, e.b, e.a);
    }
    const hasParent = new Set(isA.filter((e) => diseases.has(e.child)).map((e) => e.child));
    let withEquivalent = 0;
    let withParent = 0;
    for (const id of targets) {
      const eq = equivalents.get(id) ?? [];
      if (eq.length > 0) withEquivalent++;
      if (hasParent.has(id) || eq.some((x) => hasParent.has(x))) withParent++;
    }
    return { withEquivalent, withParent };
  };
  const before = measure(sameBefore, isABefore);
  const after = measure([...sameBefore, ...sameNew], [...isABefore, ...isANew]);
  return {
    omimOrphaDiseases: targets.length,
    withEquivalentBefore: before.withEquivalent,
    withEquivalentAfter: after.withEquivalent,
    withParentBefore: before.withParent,
    withParentAfter: after.withParent,
    gainedEquivalent: after.withEquivalent - before.withEquivalent,
    gainedParent: after.withParent - before.withParent,
    mondoClassesUsed,
  };
}

function isOmimOrOrpha(id: string): boolean {
  return id.startsWith('OMIM:') || id.startsWith('ORPHA:');
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

function addSynonym(node: KgNode, name: string): void {
  const n = normalizeName(name);
  if (normalizeName(node.name) === n || node.synonyms.some((s) => normalizeName(s) === n)) return;
  node.synonyms.push(name);
}
