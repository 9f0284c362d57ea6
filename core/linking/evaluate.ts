import type { NodeKind } from '../kg/model';
import type { EntityLinker, LinkResult } from './linker';
import { roundTo } from '../round';

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
}

export interface LinkingEvaluation {
  disease: LinkingFigures;
  finding: LinkingFigures;
  mistakes: { label: LabelledMention; result: LinkResult }[];
}

export async function evaluateLinking(linker: EntityLinker, labels: LabelledMention[]): Promise<LinkingEvaluation> {
  const mistakes: LinkingEvaluation['mistakes'] = [];
  const figures = { disease: emptyFigures(), finding: emptyFigures() };
  for (const label of labels) {
    const result = await linker.link(label.mention, label.kind);
    const f = figures[label.kind];
    const top = result.matches[0];
    const accepted = new Set(label.accept);
    f.mentions++;
    if (accepted.size > 0) f.linkable++;
    if (top) f.linked++;
    const right = top !== undefined && accepted.has(top.id);
    if (right) f.correct++;
    if (accepted.size > 0 && result.matches.some((m) => accepted.has(m.id))) f.acceptableInMatches++;
    // Right: an acceptable top match, or nothing linked when nothing is acceptable.
    if (!(right || (accepted.size === 0 && top === undefined))) mistakes.push({ label, result });
  }
  for (const f of Object.values(figures)) {
    f.precision = f.linked === 0 ? 1 : roundTo(f.correct / f.linked, 3);
    f.recall = f.linkable === 0 ? 1 : roundTo(f.correct / f.linkable, 3);
  }
  return { ...figures, mistakes };
}

function emptyFigures(): LinkingFigures {
  return { mentions: 0, linkable: 0, linked: 0, correct: 0, precision: 0, recall: 0, acceptableInMatches: 0 };
}
