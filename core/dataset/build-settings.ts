import { runConfigurationFields, type RunSettings } from '../run/run-settings';
import type { FilterSettings } from '../tree/selection';

/** A dataset build's settings: what every run shares, its id, and which paths the dataset keeps. */
export interface BuildSettings extends RunSettings {
  buildId: string;
  filter: FilterSettings;
}

/** The settings that decide what a build produces; a resumed build must have the same ones. */
export function buildConfigurationFields(s: Omit<BuildSettings, 'configHash' | 'forced'>): Record<string, unknown> {
  return { ...runConfigurationFields(s), filter: s.filter };
}
