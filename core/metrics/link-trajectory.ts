import { goldMatches } from '../linking/gold-links';
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
/**
 * What an order can reveal: the lexicon's roots for the tests it knows (test-reveals.ts); for a test it
 * does not know ("serum ceruloplasmin", "anti-GBM antibodies"), the finding its name links to — a test
 * named after an analyte reveals abnormalities of that analyte. Empty: nobody can say (grounding abstains).
 */
async function orderRoots(linker: EntityLinker, test: string): Promise<string[]> {
  const known = revealRoots(test);
  if (known.length > 0) return known;
  const top = (await linker.link(test, 'finding')).matches[0];
  return top ? [top.id] : [];
}

export async function linkTrajectory(linker: EntityLinker, turns: TextTurn[]): Promise<LinkedTurn[]> {
  // A hypothesis usually stays in the differential for several turns: link each wording once.
  const diseaseNodes = new Map<string, Promise<string | null>>();
  const diseaseNode = (text: string) => {
    let node = diseaseNodes.get(text);
    // A hypothesis is a diagnosis like the gold, and is read the same way (compositional wording).
    if (!node) diseaseNodes.set(text, (node = goldMatches(linker, text).then((m) => m[0]?.id ?? null)));
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
    const orders = [];
    for (const [i, test] of turn.orders.entries()) {
      orders.push({ test, revealRoots: await orderRoots(linker, test), answered: turn.answered?.[i] ?? true });
    }
    linked.push({
      newFindings: [...findings],
      negativeFindings: [...absent].filter((f) => !findings.has(f)),
      evidenceCount: turn.evidence.length,
      differential,
      orders,
      ...(turn.final !== undefined ? { final: { diagnosis: turn.final, node: await diseaseNode(turn.final) } } : {}),
    });
  }
  return linked;
}
