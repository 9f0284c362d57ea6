import { buildConfigurationFields, type BuildSettings } from '../dataset/build-settings';
import { evalConfigurationFields, type EvalSettings } from '../eval/eval-settings';

/** The settings of a build or of an evaluation: what the shared machinery (tree, policy, store) is given. */
export type AnyRunSettings = BuildSettings | EvalSettings;

export function isEvalSettings(s: AnyRunSettings): s is EvalSettings {
  return (s as EvalSettings).mode === 'eval';
}

/** The id of a build or an evaluation: the prefix of its workflow ids. */
export function runIdOf(s: AnyRunSettings): string {
  return isEvalSettings(s) ? s.evalId : s.buildId;
}

/** What a run is called in messages. */
export function runNoun(s: AnyRunSettings): 'build' | 'evaluation' {
  return isEvalSettings(s) ? 'evaluation' : 'build';
}

/** The fields that decide a build's or an evaluation's content (its configuration hash). */
export function configurationFieldsOf(s: AnyRunSettings): Record<string, unknown> {
  return isEvalSettings(s) ? evalConfigurationFields(s) : buildConfigurationFields(s);
}
