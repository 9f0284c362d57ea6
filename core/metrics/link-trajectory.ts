import type { EntityLinker } from '../linking/linker';
import { revealRoots } from './test-reveals';
import type { LinkedTurn } from './trajectory-metrics';

/** A trajectory as the doctor wrote it and the oracle answered it (text). */
export interface TextTurn {
  /** Evidence seen since the previous turn: the initial observation's findings, or the results just returned. */
  evidence: string[];
  differential: { diagnosis: string; likelihood: number }[];
  orders: string[];
  final?: string;
}

/**
 * Links a text trajectory to the KG: each differential diagnosis and final diagnosis as a disease, each
 * evidence statement as a finding (negated and unlinked statements contribute nothing), each order to
 * the finding roots its test can reveal.
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
    for (const statement of turn.evidence) {
      const top = (await linker.link(statement, 'finding')).matches[0];
      if (top) findings.add(top.id);
    }
    const differential = [];
    for (const h of turn.differential) differential.push({ ...h, node: await diseaseNode(h.diagnosis) });
    linked.push({
      newFindings: [...findings],
      differential,
      orders: turn.orders.map((test) => ({ test, revealRoots: revealRoots(test) })),
      ...(turn.final !== undefined ? { final: { diagnosis: turn.final, node: await diseaseNode(turn.final) } } : {}),
    });
  }
  return linked;
}
