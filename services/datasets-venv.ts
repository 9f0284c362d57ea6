import path from 'node:path';
import type { Config } from '../config';
import type { Progress } from './process';
import { ensureVenv, venvPython } from './python-venv';
import { DATASETS_VERSION } from './versions';

/**
 * Hugging Face `datasets` in a project-local virtual environment: what the tests load every export
 * format with, as a user's trainer would (`datasets.load_dataset(<dir>)`). Installed from PyPI on first
 * use (about a minute: wheels only), then reused.
 */
export function datasetsVenvDir(config: Config): string {
  return path.join(config.services.toolsDir, `datasets-${DATASETS_VERSION}`);
}

/** The venv's Python, installing it when missing. */
export async function ensureDatasetsPython(config: Config, progress: Progress = () => undefined): Promise<string> {
  const dir = datasetsVenvDir(config);
  await ensureVenv(
    {
      dir,
      python: config.localLlm.python,
      steps: [{ what: 'Installing datasets', requirement: `datasets==${DATASETS_VERSION}` }],
    },
    progress,
  );
  return venvPython(dir);
}
