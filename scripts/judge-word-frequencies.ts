/**
 * Writes core/judge/disease-word-frequencies.json: in how many Disease nodes of the bundled KG (name and
 * synonyms together) each word occurs, for the words in two or more. The offline judge weighs a word by
 * its rarity among disease names (a rare word such as "toxocara" identifies a disease, "pneumonia" does
 * not). Run it after changing the KG sources: npx tsx scripts/judge-word-frequencies.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../config/project-root';
import { buildKg } from '../core/kg/build';
import { diseaseWordFrequencies } from '../core/judge/word-rarity';
import { bundledKgSourceDir, readKgSources } from '../stores/kg-sources';

async function main(): Promise<void> {
  const kg = buildKg(await readKgSources(bundledKgSourceDir()));
  const frequencies = diseaseWordFrequencies(kg.nodes);
  const file = join(PROJECT_ROOT, 'core', 'judge', 'disease-word-frequencies.json');
  writeFileSync(file, `${JSON.stringify(frequencies)}\n`);
  console.log(`${file}: ${frequencies.documents} diseases, ${Object.keys(frequencies.frequencies).length} words`);
}

void main();
