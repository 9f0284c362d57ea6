import type { CaseCounts } from '../activities/scoring-activities';
import type { BuildSettings } from '../core/dataset/build-settings';
import { buildSteps, scoring } from './activity-proxies';
import { branchWorkflow } from './branch';
import { exploreFromRoot } from './explore';
import type { CaseRunInput } from './run-cases';

export type CaseInput = CaseRunInput<BuildSettings>;

/**
 * One case of a build: skips it if the store holds its finished outcome (a resumed build), else explores
 * its tree from the initial observation (branch workflows for the branches), then scores every path
 * against the KG, sorts it, and writes the case's outcome to the store. Returns counts.
 */
export async function caseWorkflow(input: CaseInput): Promise<CaseCounts> {
  const { settings, caseId } = input;
  // Finished in an earlier run of this build: nothing to do again.
  const finished = await buildSteps(settings).finishedCase({ settings, caseId });
  if (finished) return finished;
  const tree = await exploreFromRoot(settings, caseId, branchWorkflow);
  return scoring(settings).scoreCase({ settings, caseId, leaves: tree.leaves, failures: tree.failures });
}
