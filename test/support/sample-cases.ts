import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../config/project-root';

/** The bundled sample case files (data/cases), as shipped with the repository. */
export const MEDRBENCH_FILE = path.join(PROJECT_ROOT, 'data', 'cases', 'medrbench-dev-30.json');
export const AGENTCLINIC_FILE = path.join(PROJECT_ROOT, 'data', 'cases', 'agentclinic-medqa.jsonl');

export const readSample = (file: string): string => fs.readFileSync(file, 'utf8');
