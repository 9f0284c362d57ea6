import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config/project-root';
import { importCases } from '../core/cases/import';
import type { Case } from '../core/cases/model';

const CASES_DIR = path.join(PROJECT_ROOT, 'data', 'cases');

/** The canonical case file of the bundled samples: what `medaction build` uses by default. */
export const BUNDLED_CASES_FILE = path.join(CASES_DIR, 'bundled.jsonl');

/** The bundled sample cases, imported from their source files (MedR-Bench first, then AgentClinic). */
export function bundledCases(): Case[] {
  const read = (file: string) => fs.readFileSync(path.join(CASES_DIR, file), 'utf8');
  return [
    ...importCases(read('medrbench-dev-30.json'), 'medrbench', 'medrbench-dev-30.json').cases,
    ...importCases(read('agentclinic-medqa.jsonl'), 'agentclinic', 'agentclinic-medqa.jsonl').cases,
  ];
}
