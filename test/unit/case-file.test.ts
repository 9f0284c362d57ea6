import { parseCaseFile, serializeCases } from '../../core/cases/case-file';
import { importCases } from '../../core/cases/import';
import { MEDRBENCH_FILE, readSample } from '../support/sample-cases';

const cases = importCases(readSample(MEDRBENCH_FILE), 'medrbench', 'medrbench').cases.slice(0, 3);

describe('canonical case file', () => {
  it('round-trips: one case a line', () => {
    const text = serializeCases(cases);
    expect(text.trim().split('\n')).toHaveLength(3);
    expect(parseCaseFile(text, 'cases.jsonl')).toEqual(cases);
  });

  it('names the line of a non-JSON line', () => {
    const text = `${JSON.stringify(cases[0])}\nnot json\n`;
    expect(() => parseCaseFile(text, 'cases.jsonl')).toThrow(/record cases\.jsonl line 2: \(line\) is not valid JSON/);
  });

  it('names the line, case and field of an invalid case', () => {
    const broken = { ...cases[0], menu: [] };
    expect(() => parseCaseFile(JSON.stringify(broken), 'cases.jsonl')).toThrow(/line 1 \(case PMC11364916\): menu /);
    const noResult = { ...cases[0], menu: [{ ...cases[0]!.menu[0], result: '' }] };
    expect(() => parseCaseFile(JSON.stringify(noResult), 'cases.jsonl')).toThrow(/menu\.0\.result/);
  });

  it('refuses a repeated id', () => {
    const text = serializeCases([cases[0]!, cases[0]!]);
    expect(() => parseCaseFile(text, 'cases.jsonl')).toThrow(/line 2: id "PMC11364916" repeats the case on line 1/);
  });
});
