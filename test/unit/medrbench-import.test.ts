import { importCases } from '../../core/cases/import';
import { importMedrbenchRecord } from '../../core/cases/medrbench';
import { RecordError } from '../../core/cases/record-error';
import { MEDRBENCH_FILE, readSample } from '../support/sample-cases';

const text = readSample(MEDRBENCH_FILE);
const raw = JSON.parse(text) as Record<string, unknown>;
const { cases, skipped } = importCases(text, 'medrbench', 'medrbench-dev-30.json');
const byId = new Map(cases.map((c) => [c.id, c]));

describe('MedR-Bench import on the 30 dev records', () => {
  it('imports every record with an initial observation, a menu and a gold diagnosis', () => {
    expect(skipped).toEqual([]);
    const records = new Set(cases.map((c) => c.metadata.pmc_id));
    expect(records.size).toBe(30);
    for (const c of cases) {
      expect(c.o1.sections.length).toBeGreaterThan(0);
      expect(c.menu.length).toBeGreaterThan(0);
      expect(c.gold.short.length).toBeGreaterThan(0);
    }
  });

  it('takes o1 from the sections before "Ancillary Tests" and keeps results out of it', () => {
    const c = byId.get('PMC11625232')!;
    expect(c.o1.sections.map((s) => s.title)).toEqual([
      'Patient Information',
      'Chief Complaint',
      'History of Present Illness',
      'Past Medical History',
      'Personal History',
      'Family History',
      'Physical Examination',
    ]);
    expect(c.o1.text).not.toMatch(/306\.9/);
  });

  it('splits a bullet that reports several analytes into separate items, results verbatim', () => {
    const c = byId.get('PMC11625232')!;
    const labs = c.menu.filter((m) => m.category === 'lab').map((m) => [m.name, m.result]);
    expect(labs).toEqual([
      ['CRP', 'Elevated CRP (306.9 mg/L)'],
      ['White blood cell count', 'leukocytosis (15.30 × 10^3/µL)'],
      ['Differential count', 'neutrophilia (13.16 × 10^3/µL).'],
    ]);
    expect(c.menu.find((m) => m.name === 'CRP')?.aliases).toContain('Laboratory Findings');
  });

  it('splits a bullet that reports several imaging studies sentence by sentence', () => {
    const c = byId.get('PMC11418098')!;
    const imaging = c.menu.filter((m) => m.category === 'imaging').map((m) => m.name);
    expect(imaging).toEqual(['Chest X-ray', 'Contrast-enhanced CT', 'Echocardiography']);
  });

  it('leaves treatment and follow-up out of the menu and o1', () => {
    const c = byId.get('PMC11418098')!;
    const all = JSON.stringify([c.o1, c.menu]);
    expect(all).not.toMatch(/pericardiectomy|ceftazidime|trimethoprim/i);
    expect(c.metadata.sections_left_out).toEqual(['Treatment', 'Follow-Up']);
  });

  it('reads summaries whose sections are bold lines rather than bullets', () => {
    const c = byId.get('PMC11640908')!;
    expect(c.o1.sections[0]).toEqual({ title: 'Patient Information', text: '39-year-old female.' });
    expect(c.menu.map((m) => m.name)).toContain('Genetic Testing');
  });

  it('makes one case per patient of a multi-patient report', () => {
    expect(byId.has('PMC11453286-case1')).toBe(true);
    expect(byId.get('PMC11453286-case2')?.o1.text).toContain('40-year-old male');
    expect(byId.get('PMC11453286-case2')?.metadata.patients_in_report).toBe(2);
  });

  it('keeps categories, the rare-disease flag and the differential as metadata', () => {
    const c = byId.get('PMC11364916')!;
    expect(c.metadata.body_category).toEqual(['Mouth and Teeth']);
    expect(c.metadata.is_rare_disease).toBe(false);
    expect(c.metadata.differential_diagnosis).toMatch(/pyogenic granuloma/);
    expect(c.gold).toEqual({
      short: 'Lobular capillary hemangioma (LCH).',
      long: 'Lobular capillary hemangioma (LCH) of the buccal mucosa.',
    });
  });
});

describe('MedR-Bench bad input', () => {
  const good = raw.PMC11364916 as { generate_case: Record<string, unknown> };
  const withCase = (patch: Record<string, unknown>) => ({ ...good, generate_case: { ...good.generate_case, ...patch } });

  it.each([
    ['a missing generate_case', { ...good, generate_case: undefined }, 'generate_case is missing'],
    ['a summary of the wrong type', withCase({ case_summary: 42 }), 'generate_case.case_summary is a number, expected text'],
    [
      'no gold diagnosis',
      withCase({ diagnosis_results: '', final_diagnosis: undefined }),
      'generate_case.diagnosis_results is missing or empty',
    ],
    [
      'no Ancillary Tests section',
      withCase({ case_summary: '- **Patient Information:** 5-year-old\n- **Chief Complaint:** fever' }),
      'generate_case.case_summary has no "Ancillary Tests" section',
    ],
    [
      'an empty menu',
      withCase({ case_summary: '- **Patient Information:** 5-year-old\n- **Ancillary Tests:**' }),
      'generate_case.case_summary the "Ancillary Tests" section holds no results (empty menu)',
    ],
  ])('rejects %s, naming the record and field', (_what, record, message) => {
    expect(() => importMedrbenchRecord('PMCX', record)).toThrow(RecordError);
    expect(() => importMedrbenchRecord('PMCX', record)).toThrow(`record PMCX: ${message}`);
  });

  it('skips a bad record without hiding the others, and --strict stops at it', () => {
    const file = JSON.stringify({ BAD1: { generate_case: { case_summary: 7 } }, PMC11364916: good, BAD2: 'text' });
    const report = importCases(file, 'medrbench', 'mixed.json');
    expect(report.cases.map((c) => c.id)).toEqual(['PMC11364916']);
    expect(report.skipped).toEqual([
      { id: 'BAD1', reason: 'generate_case.case_summary is a number, expected text' },
      { id: 'BAD2', reason: '(record) is not an object' },
    ]);
    expect(() => importCases(file, 'medrbench', 'mixed.json', { strict: true })).toThrow(
      'record BAD1: generate_case.case_summary',
    );
  });

  it('names the file when it is not JSON or not an object', () => {
    expect(() => importCases('{ nope', 'medrbench', 'broken.json')).toThrow(/record broken\.json: \(file\) is not valid JSON/);
    expect(() => importCases('[1,2]', 'medrbench', 'list.json')).toThrow(/is a JSON array; expected an object keyed by case id/);
  });
});
