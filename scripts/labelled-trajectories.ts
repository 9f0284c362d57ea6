/** Scoring the labelled trajectory fixture, shared by scripts/metric-validation.ts and its unit test. */
import type { Case } from '../core/cases/model';
import { scoreTrajectoryLines } from '../core/dataset/score-lines';
import { CompositionalJudge } from '../core/judge/compositional-judge';
import type { KgAccess } from '../core/kg/access';
import { EntityLinker } from '../core/linking/linker';
import type { LabelledScore } from '../core/metrics/validation';
import { DEFAULT_FILTER } from '../core/tree/selection';

/** Each fixture line scored as `medaction score` scores it, with its label; a line that cannot be scored is an error. */
export async function scoreLabelledFixture(
  kg: KgAccess,
  cases: Case[],
  fixture: string,
): Promise<(LabelledScore & { id: string; verdict: string })[]> {
  const linker = new EntityLinker(kg);
  const { scored, skipped } = await scoreTrajectoryLines(
    { kg, linker, judge: new CompositionalJudge(kg, linker) },
    new Map(cases.map((c) => [c.id, c])),
    fixture,
    DEFAULT_FILTER,
    { casesName: 'the cases given' },
  );
  if (skipped.length > 0) throw new Error(`fixture line ${skipped[0]!.line}: ${skipped[0]!.error}`);
  const lines = fixture.split('\n');
  return scored.map((s) => {
    const { id, label } = JSON.parse(lines[s.line - 1] as string) as { id: string; label: string };
    return {
      id,
      label,
      verdict: s.verdict,
      kept: s.verdict === 'kept',
      scores: { dtc: s.dtc, rac: s.rac, grounded_ordering: s.grounded_ordering, answered: s.answered },
    };
  });
}
