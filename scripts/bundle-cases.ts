import fs from 'node:fs';
import path from 'node:path';
import { bundledCases, BUNDLED_CASES_FILE } from '../stores/bundled-cases';
import { serializeCases } from '../core/cases/case-file';

/**
 * Regenerates data/cases/bundled.jsonl, the canonical case file the main job builds from, by importing
 * the bundled MedR-Bench and AgentClinic files (run it after changing an importer; a unit test checks
 * that the file matches the importers).
 */
const cases = bundledCases();
fs.writeFileSync(BUNDLED_CASES_FILE, serializeCases(cases));
console.log(`${path.relative(process.cwd(), BUNDLED_CASES_FILE)}: ${cases.length} cases`);
