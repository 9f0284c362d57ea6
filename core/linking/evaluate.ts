import type { NodeKind } from '../kg/model';
import type { EntityLinker, LinkResult } from './linker';
import { roundTo } from '../round';
import type { KgAccess } from '../kg/access';
import { goldMatches } from './gold-links';

/** One hand-labelled mention: the KG nodes a clinician accepts for it (none: nothing should be linked). */
export interface LabelledMention {
  case: string;
  mention: string;
  kind: NodeKind;
  accept: string[];
  note?: string;
}

export interface LinkingFigures {
  mentions: number;
  /** Mentions for which the KG has an acceptable node. */
  linkable: number;
  /** Mentions the linker linked (top match above the threshold). */
  linked: number;
  /** Linked mentions whose top match is acceptable. */
  correct: number;
  /** correct / linked. */
  precision: number;
  /** correct / linkable. */
  recall: number;
  /** Linkable mentions with an acceptable node anywhere in the matches. */
  acceptableInMatches: number;
  /** Linkable mentions with an acceptable node among the first three matches, and that share of `linkable`. */
  acceptableInTop3: number;
  top3Recall: number;
}

/**
 * Whether a linked node counts as one of a label's accepted nodes: by default the same id; with the KG's
 * disease identity, also a node equivalent to one (`equivalentTo`).
 */
export type AcceptTest = (id: string, accepted: ReadonlySet<string>) => Promise<boolean>;

export const sameId: AcceptTest = async (id, accepted) => accepted.has(id);

/** Accepts a node that is an accepted one or equivalent to one (δ = 0 in the KG). */
export function equivalentTo(kg: KgAccess): AcceptTest {
  return async (id, accepted) => {
    if (accepted.has(id)) return true;
    const ids = [...accepted];
    const distances = await kg.diseaseDistances(
      ids.map((a) => [id, a] as [string, string]),
      1,
    );
    return distances.some((d) => d === 0);
  };
}

export interface LinkingEvaluation {
  disease: LinkingFigures;
  finding: LinkingFigures;
  mistakes: { label: LabelledMention; result: LinkResult }[];
}

/** How a mention is linked for an evaluation: by default the linker itself; gold diagnoses as the pipeline links them. */
export type LinkWith = (linker: EntityLinker, label: LabelledMention) => Promise<LinkResult>;

export const linkMention: LinkWith = (linker, label) => linker.link(label.mention, label.kind);

export const linkGoldMention: LinkWith = async (linker, label) => ({
  mention: label.mention,
  kind: label.kind,
  negated: false,
  matches: await goldMatches(linker, label.mention),
});

export async function evaluateLinking(
  linker: EntityLinker,
  labels: LabelledMention[],
  acceptable: AcceptTest = sameId,
  linkWith: LinkWith = linkMention,
): Promise<LinkingEvaluation> {
  const mistakes: LinkingEvaluation['mistakes'] = [];
  const figures = { disease: emptyFigures(), finding: emptyFigures() };
  for (const label of labels) {
    const result = await linkWith(linker, label);
    const f = figures[label.kind];
    const top = result.matches[0];
    const accepted = new Set(label.accept);
    f.mentions++;
    if (accepted.size > 0) f.linkable++;
    if (top) f.linked++;
    const ok: boolean[] = [];
    for (const m of result.matches) ok.push(accepted.size > 0 && (await acceptable(m.id, accepted)));
    const right = ok[0] === true;
    if (right) f.correct++;
    if (ok.some(Boolean)) f.acceptableInMatches++;
    if (ok.slice(0, 3).some(Boolean)) f.acceptableInTop3++;
    // Right: an acceptable top match, or nothing linked when nothing is acceptable.
    if (!(right || (accepted.size === 0 && top === undefined))) mistakes.push({ label, result });
  }
  for (const f of Object.values(figures)) {
    f.precision = f.linked === 0 ? 1 : roundTo(f.correct / f.linked, 3);
    f.recall = f.linkable === 0 ? 1 : roundTo(f.correct / f.linkable, 3);
    f.top3Recall = f.linkable === 0 ? 1 : roundTo(f.acceptableInTop3 / f.linkable, 3);
  }
  return { ...figures, mistakes };
}

function emptyFigures(): LinkingFigures {
  return {
    mentions: 0,
    linkable: 0,
    linked: 0,
    correct: 0,
    precision: 0,
    recall: 0,
    acceptableInMatches: 0,
    acceptableInTop3: 0,
    top3Recall: 0,
  };
}
