/** The hand-labelled fixtures under test/fixtures (JSON lines), read by the evaluation scripts and the tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../config/project-root';
import type { LabelledMention } from '../core/linking/evaluate';
import type { LabelledOrder } from '../core/oracle/evaluate';

function readJsonLinesFixture<T>(file: string): T[] {
  return readJsonLines<T>(readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', file), 'utf8'));
}

function readJsonLines<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);
}

/** Orders with the menu items the oracle should answer (oracle-labelled.jsonl, or another JSON-lines file). */
export function readLabelledOrders(file?: string): LabelledOrder[] {
  if (!file) return readJsonLinesFixture<LabelledOrder>('oracle-labelled.jsonl');
  return readJsonLines<LabelledOrder>(readFileSync(file, 'utf8'));
}

/**
 * Disease and finding mentions with the KG nodes a clinician accepts: the development fixtures
 * (linking-diseases.jsonl: the gold diagnoses of the 138 bundled cases; linking-findings.jsonl), which the
 * linker was tuned on.
 */
export function readLabelledMentions(): LabelledMention[] {
  return ['linking-diseases.jsonl', 'linking-findings.jsonl'].flatMap((file) => readJsonLinesFixture<LabelledMention>(file));
}

/**
 * Gold diagnoses of 60 held-out MedR-Bench cases (linking-golds-held-out.jsonl), labelled before the
 * linker was changed for them and never used to tune it: the figure on unseen golds.
 */
export function readHeldOutGolds(): LabelledMention[] {
  return readJsonLinesFixture<LabelledMention>('linking-golds-held-out.jsonl');
}
