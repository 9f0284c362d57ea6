import type { BuildSettings } from '../core/dataset/build-settings';
import { summaryOf, type BuildSummary, type FailedCase } from '../core/dataset/report';
import { BuildStore } from '../stores/build-store';
import type { CaseCache } from '../stores/case-cache';
import { exportDataset } from '../stores/dataset-export';
import { writeFileAtomic } from '../stores/files';
import { activityFailure } from './activity-failures';

/** The build's manifest in its output folder: its settings and the cases it covers, in order. */
export interface BuildManifest {
  settings: BuildSettings;
  caseIds: string[];
}

/** Activities of the build as a whole: planning and the final export. They run on the workflow task queue. */
export function createBuildActivities(deps: { cases: CaseCache }) {
  return {
    /** Reads the case file (checking its hash), takes the first `limit` cases, records the manifest. */
    async planBuild(settings: BuildSettings): Promise<string[]> {
      try {
        const { order } = deps.cases.load(settings.casesFile, settings.casesHash);
        const caseIds = settings.limit === null ? order : order.slice(0, settings.limit);
        const manifest: BuildManifest = { settings, caseIds };
        writeFileAtomic(new BuildStore(settings.storeDir).manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
        return caseIds;
      } catch (error) {
        throw activityFailure(error, `planning build ${settings.buildId}`);
      }
    },

    /** Writes trajectories.jsonl, rejected.jsonl and report.json (atomically) and returns the summary. */
    async exportBuild(settings: BuildSettings, caseIds: string[], failedCases: FailedCase[]): Promise<BuildSummary> {
      try {
        return summaryOf(exportDataset(settings, caseIds, failedCases));
      } catch (error) {
        throw activityFailure(error, `exporting build ${settings.buildId}`);
      }
    },
  };
}

export type BuildActivities = ReturnType<typeof createBuildActivities>;
