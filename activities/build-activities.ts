import type { BuildSettings } from '../core/dataset/build-settings';
import { summaryOf, type BuildSummary, type FailedCase } from '../core/dataset/report';
import type { BuildStores } from '../stores/build-store';
import type { CaseCache } from '../stores/case-cache';
import { exportDataset } from '../stores/dataset-export';
import { activityFailure } from './activity-failures';
import { planCases } from './plan-cases';
import { countsOf, type CaseCounts } from './scoring-activities';

/** Activities of the build as a whole: planning and the final export. They run on the workflow task queue. */
export function createBuildActivities(deps: { cases: CaseCache; stores: BuildStores }) {
  return {
    /** Reads the case file (checking its hash), takes the first `limit` cases, records the manifest. */
    async planBuild(settings: BuildSettings): Promise<string[]> {
      return planCases(deps, settings);
    },

    /**
     * The counts of a case that is finished in the store (scored, no branch left unfinished), or null: a
     * resumed build skips such a case without running anything.
     */
    async finishedCase(input: { settings: BuildSettings; caseId: string }): Promise<CaseCounts | null> {
      try {
        const outcome = deps.stores.open(input.settings.storeDir).readOutcome(input.caseId);
        return outcome && outcome.unfinished_branches === 0 ? countsOf(outcome) : null;
      } catch (error) {
        throw activityFailure(error, `case ${input.caseId}`);
      }
    },

    /** Writes trajectories.jsonl, rejected.jsonl, report.json and report.html (atomically) and returns the summary. */
    async exportBuild(settings: BuildSettings, caseIds: string[], failedCases: FailedCase[]): Promise<BuildSummary> {
      try {
        return summaryOf((await exportDataset(settings, caseIds, failedCases)).report);
      } catch (error) {
        throw activityFailure(error, `exporting build ${settings.buildId}`);
      }
    },
  };
}

export type BuildActivities = ReturnType<typeof createBuildActivities>;
