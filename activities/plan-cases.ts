import { runIdOf, runNoun, type AnyRunSettings } from '../core/run/run-kind';
import type { BuildStores } from '../stores/build-store';
import type { CaseCache } from '../stores/case-cache';
import { activityFailure } from './activity-failures';

/**
 * A build's or an evaluation's case list: reads the case file (checking its hash), takes the first
 * `limit` cases, and records the manifest (settings and case ids) in the output folder.
 */
export function planCases(deps: { cases: CaseCache; stores: BuildStores }, settings: AnyRunSettings): string[] {
  try {
    const { order } = deps.cases.load(settings.casesFile, settings.casesHash);
    const caseIds = settings.limit === null ? order : order.slice(0, settings.limit);
    deps.stores.open(settings.storeDir).writeManifest({ settings, caseIds });
    return caseIds;
  } catch (error) {
    throw activityFailure(error, `planning ${runNoun(settings)} ${runIdOf(settings)}`);
  }
}
