import type { EntityLinker } from '../linking/linker';
import { withoutNegation } from '../linking/mention';
import { revealRoots } from './test-reveals';
import type { LinkedTurn } from './trajectory-metrics';

/** A trajectory as the doctor wrote it and the oracle answered it (text). */
export interface TextTurn {
  /** Evidence seen since the previous turn: the initial observation's findings, or the results just returned. */
  evidence: string[];
  differential: { diagnosis: string; likelihood: number }[];
  orders: string[];
  /** Per order, whether the environment returned a result (default: every order answered). */
  answered?: boolean[];
  final?: string;
}

/**
 * Links a text trajectory to the KG: each differential diagnosis and final diagnosis as a disease, each
 * evidence statement as a finding — a negated one ("no fever", "AFB smear negative") as the finding it
 * says is absent —, each order to the finding roots its test can reveal.
 */
export async function linkTrajectory(linker: EntityLinker, turns: TextTurn[]): Promise<LinkedTurn[]> {
  // A hypothesis usually stays in the differential for several turns: link each wording once.
  const diseaseNodes = new Map<string, Promise<string | null>>();
  const diseaseNode = (text: string) => {
    let node = diseaseNodes.get(text);
    if (!node) diseaseNodes.set(text, (node = linker.link(text, 'disease').then((r) => r.matches[0]?.id ?? null)));
    return node;
  };
  const linked: LinkedTurn[] = [];
  for (const turn of turns) {
    const findings = new Set<string>();
    const absent = new Set<string>();
    for (const statement of turn.evidence) {
      const result = await linker.link(statement, 'finding');
      const top = result.matches[0];
      if (top) findings.add(top.id);
      if (!result.negated) continue;
      const asserted = withoutNegation(statement);
      const negatedTop = asserted ? (await linker.link(asserted, 'finding')).matches[0] : undefined;
      if (negatedTop) absent.add(negatedTop.id);
    }
    const differential = [];
    for (const h of turn.differential) differential.push({ ...h, node: await diseaseNode(h.diagnosis) });
    linked.push({
      newFindings: [...findings],
      negativeFindings: [...absent].filter((f) => !findings.has(f)),
      evidenceCount: turn.evidence.length,
      differential,
      orders: turn.orders.map((test, i) => ({ test, revealRoots: revealRoots(test), answered: turn.answered?.[i] ?? true })),
      ...(turn.final !== undefined ? { final: { diagnosis: turn.final, node: await diseaseNode(turn.final) } } : {}),
    });
  }
  return linked;
}
