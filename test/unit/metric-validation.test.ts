import { bundledKgForTests } from '../support/bundled-kg';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryKg } from '../../core/kg/memory-kg';
import { DEFECT_METRIC, separationAuc, validationTable, type ValidationTable } from '../../core/metrics/validation';
import { bundledCases } from '../../stores/bundled-cases';
import { scoreLabelledFixture } from '../../scripts/labelled-trajectories';

jest.setTimeout(180_000);

const FIXTURE = join(__dirname, '..', 'fixtures', 'metric-trajectories.jsonl');

/** The labelled trajectories of test/fixtures/metric-trajectories.jsonl, scored as `medaction score` scores them. */
describe('the metrics on labelled trajectories (docs/metrics.md, Validation)', () => {
  let table: ValidationTable;
  let labels: string[];
  beforeAll(async () => {
    const kg = new MemoryKg(await bundledKgForTests());
    const text = readFileSync(FIXTURE, 'utf8');
    labels = text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => (JSON.parse(l) as { label: string }).label);
    table = validationTable(await scoreLabelledFixture(kg, bundledCases(), text));
  });

  it('has at least 120 labelled trajectories, good ones and every named defect', () => {
    expect(labels.length).toBeGreaterThanOrEqual(120);
    expect(new Set(labels)).toEqual(new Set(['good', ...Object.keys(DEFECT_METRIC)]));
  });

  it('keeps at least 90 % of the good trajectories under the default filter', () => {
    expect(table.goodKept / table.good).toBeGreaterThanOrEqual(0.9);
  });

  it.each(Object.entries(DEFECT_METRIC))('separates %s from good trajectories by %s (AUC ≥ 0.9)', (defect, metric) => {
    const row = table.defects.find((d) => d.defect === defect);
    expect({ defect, metric, auc: row?.auc[metric] }).toEqual({ defect, metric, auc: expect.any(Number) });
    expect(row!.auc[metric]!).toBeGreaterThanOrEqual(0.9);
  });
});

describe('separation AUC', () => {
  it('is 1 for perfect separation, 0.5 for ties, 0 when reversed, and counts an abstention as passing', () => {
    expect(separationAuc([1, 0.9], [0.1, 0.2])).toBe(1);
    expect(separationAuc([0.5], [0.5])).toBe(0.5);
    expect(separationAuc([0], [1])).toBe(0);
    expect(separationAuc([null], [0.5])).toBe(1);
    expect(separationAuc([0.5], [null])).toBe(0);
    expect(separationAuc([], [1])).toBeNull();
  });
});
