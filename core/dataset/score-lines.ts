import type { Case } from '../cases/model';
import type { KgAccess } from '../kg/access';
import type { EntityLinker } from '../linking/linker';
import type { OracleOptions } from '../oracle/oracle';
import type { FilterSettings } from '../tree/selection';
import type { DiagnosisJudge } from './judge';
import { parseOutsideTrajectory } from './outside-trajectory';
import { pathContext, type PathContext } from './score-case';
import { scoreOutsideTrajectory, type ScoredTrajectory } from './score-trajectory';

export interface ScoredLines {
  /** Each scored line, with its 1-based line number. */
  scored: (ScoredTrajectory & { line: number })[];
  /** Lines that could not be scored, and why. */
  skipped: { line: number; error: string }[];
}

/**
 * Scores a JSON-lines file of trajectories (`medaction score`'s input) line by line: a bad line — not a
 * trajectory, an unknown case, a scoring failure — is skipped with its reason, never hiding the others.
 * Each case's path context (its gold linked, its presentation read) is made once for all its lines.
 */
export async function scoreTrajectoryLines(
  deps: { kg: KgAccess; linker: EntityLinker; judge: DiagnosisJudge },
  cases: ReadonlyMap<string, Case>,
  text: string,
  filter: FilterSettings,
  options: { casesName: string; oracle?: OracleOptions; onSkip?: (line: number, error: string) => void },
): Promise<ScoredLines> {
  const contexts = new Map<string, Promise<PathContext>>();
  const result: ScoredLines = { scored: [], skipped: [] };
  for (const [index, raw] of text.split('\n').entries()) {
    const line = index + 1;
    if (raw.trim() === '') continue;
    try {
      const trajectory = parseOutsideTrajectory(raw);
      const testCase = cases.get(trajectory.caseId);
      if (!testCase) throw new Error(`case '${trajectory.caseId}' is not in ${options.casesName}`);
      let context = contexts.get(testCase.id);
      if (!context) contexts.set(testCase.id, (context = pathContext(deps.linker, testCase)));
      const scored = await scoreOutsideTrajectory(
        deps.kg,
        deps.linker,
        deps.judge,
        await context,
        trajectory,
        filter,
        options.oracle,
      );
      result.scored.push({ line, ...scored });
    } catch (error) {
      const message = (error as Error).message;
      result.skipped.push({ line, error: message });
      options.onSkip?.(line, message);
    }
  }
  return result;
}
