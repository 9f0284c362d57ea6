import { runConfigurationFields, type RunSettings } from '../run/run-settings';

/**
 * An evaluation's settings: what every run shares, with one greedy episode per case (branching 1,
 * temperature 0, a node budget of maxTurns, nothing pruned), scored into eval.jsonl instead of a dataset.
 */
export interface EvalSettings extends RunSettings {
  /** Tells an evaluation's settings from a build's wherever both are accepted. */
  mode: 'eval';
  evalId: string;
  /** The test-cost table's version (core/eval/test-costs.ts): the episode records carry the costs. */
  testCostsVersion: string;
}

/** The settings that decide what an evaluation reports; a continued evaluation must have the same ones. */
export function evalConfigurationFields(s: Omit<EvalSettings, 'configHash' | 'forced'>): Record<string, unknown> {
  return { mode: s.mode, testCostsVersion: s.testCostsVersion, ...runConfigurationFields(s) };
}
