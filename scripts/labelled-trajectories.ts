/** Scoring the labelled trajectory fixture, shared by scripts/metric-validation.ts and its unit test. */
import type { Case } from '../core/cases/model';
import { parseOutsideTrajectory } from '../core/dataset/outside-trajectory';
import { pathContext } from '../core/dataset/score-case';
import { scoreOutsideTrajectory } from '../core/dataset/score-trajectory';
import { CompositionalJudge } from '../core/judge/compositional-judge';
import type { KgAccess } from '../core/kg/access';
import { EntityLinker } from '../core/linking/linker';
import type { LabelledScore } from '../core/metrics/validation';
import { DEFAULT_FILTER } from '../core/tree/selection';

export async function scoreLabelledFixture(
  kg: KgAccess,
  cases: Case[],
  fixture: string,
): Promise<(LabelledScore & { id: string; verdict: string })[]> {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const linker = new EntityLinker(kg);
  const judge = new CompositionalJudge(kg, linker);
  const out: (LabelledScore & { id: string; verdict: string })[] = [];
  for (const line of fixture.split('\n').filter((l) => l.trim())) {
    const { id, label } = JSON.parse(line) as { id: string; label: string };
    const trajectory = parseOutsideTrajectory(line);
    const testCase = byId.get(trajectory.caseId);
    if (!testCase) throw new Error(`${id}: case ${trajectory.caseId} is not among the cases given`);
    const s = await scoreOutsideTrajectory(kg, linker, judge, await pathContext(linker, testCase), trajectory, DEFAULT_FILTER);
    out.push({
      id,
      label,
      verdict: s.verdict,
      kept: s.verdict === 'kept',
      scores: { dtc: s.dtc, rac: s.rac, grounded_ordering: s.grounded_ordering, answered: s.answered },
    });
  }
  return out;
}
