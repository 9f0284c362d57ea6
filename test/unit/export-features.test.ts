import { FeatureInference, featuresYaml } from '../../core/export/features';

/** The features an export's card declares, inferred from every row (so every split loads with one schema). */
describe('feature inference over all rows', () => {
  it('widens integers to float64 when any row has a fraction, and makes a field missing or null in some rows nullable', () => {
    const inferred = new FeatureInference();
    inferred.add({ dtc: 1, ddx: [{ diagnosis: 'flu', likelihood: 1 }], model: null });
    inferred.add({ dtc: 0.5, ddx: [{ diagnosis: 'cold', likelihood: 0.25, note: 'x' }], model: 'm', extra: true });
    expect(featuresYaml(inferred.columns!, '')).toEqual([
      '- name: "dtc"',
      '  dtype: float64',
      '- name: "ddx"',
      '  list:',
      '  - name: "diagnosis"',
      '    dtype: string',
      '  - name: "likelihood"',
      '    dtype: float64',
      '  - name: "note"',
      '    dtype: string',
      '- name: "model"',
      '  dtype: string',
      '- name: "extra"',
      '  dtype: bool',
    ]);
  });

  it('writes nested lists, structs and all-null fields as datasets writes them', () => {
    const inferred = new FeatureInference();
    inferred.add({ grid: [[1, 2]], evidence: { gold: ['a'] }, nothing: null, empty: [] });
    expect(featuresYaml(inferred.columns!, '  ')).toEqual([
      '  - name: "grid"',
      '    list:',
      '      list: int64',
      '  - name: "evidence"',
      '    struct:',
      '    - name: "gold"',
      '      list: string',
      '  - name: "nothing"',
      "    dtype: 'null'",
      '  - name: "empty"',
      "    list: 'null'",
    ]);
  });

  it('gives no schema for a column with two types, naming the row and the field, without failing the export', () => {
    const inferred = new FeatureInference();
    inferred.add({ turn: 1 });
    inferred.add({ turn: 'first' });
    inferred.add({ turn: 2 });
    expect(inferred.columns).toBeNull();
    expect(inferred.conflict).toBe('row.turn: int64 in one row, string in another; a dataset column has one type');
  });
});
