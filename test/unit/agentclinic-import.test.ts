import { importAgentClinicRecord } from '../../core/cases/agentclinic';
import { importCases } from '../../core/cases/import';
import { AGENTCLINIC_FILE, readSample } from '../support/sample-cases';

const text = readSample(AGENTCLINIC_FILE);
const lines = text.split('\n').filter((l) => l.trim());
const { cases, skipped } = importCases(text, 'agentclinic', 'agentclinic-medqa.jsonl');
const byId = new Map(cases.map((c) => [c.id, c]));

describe('AgentClinic import on the 107 sample records', () => {
  it('imports every record with o1, at least one menu item and the gold diagnosis', () => {
    expect(skipped).toEqual([]);
    expect(cases).toHaveLength(107);
    for (const c of cases) {
      expect(c.o1.sections.length).toBeGreaterThan(0);
      expect(c.menu.length).toBeGreaterThan(0);
    }
    expect(byId.get('agentclinic-1')?.gold.short).toBe('Myasthenia gravis');
  });

  it('puts the patient actor and the vital signs in o1, and the examination on the menu', () => {
    const c = byId.get('agentclinic-1')!;
    expect(c.o1.sections.map((s) => s.title)).toEqual([
      'Objective',
      'Demographics',
      'History',
      'Symptoms',
      'Past Medical History',
      'Social History',
      'Review of Systems',
      'Vital Signs',
    ]);
    expect(c.o1.text).toContain('Temperature: 36.6°C (97.9°F)');
    expect(c.o1.text).not.toContain('ptosis');
    const exam = c.menu.filter((m) => m.category === 'exam');
    expect(exam.map((m) => m.name)).toEqual([
      'Neurological Examination › Cranial Nerves',
      'Neurological Examination › Motor Strength',
      'Neurological Examination › Reflexes',
      'Neurological Examination › Sensation',
    ]);
  });

  it('flattens nested results into items named by their key path', () => {
    const c = byId.get('agentclinic-1')!;
    expect(c.menu.filter((m) => m.category !== 'exam').map((m) => [m.category, m.name, m.result])).toEqual([
      ['lab', 'Blood Tests › Acetylcholine Receptor Antibodies', 'Present (elevated)'],
      ['other', 'Electromyography', 'Decreased muscle response with repetitive stimulation'],
      ['imaging', 'Imaging › Chest CT', 'Normal, no thymoma or other masses detected.'],
    ]);
  });

  it('keeps "Findings" and "Comments" of one study together as one item', () => {
    const mri = byId.get('agentclinic-2')!.menu.find((m) => m.name === 'MRI Brain')!;
    // The study's reading named the gold: withheld (core/cases/redact-gold.ts).
    expect(mri.result).toMatch(/^Findings: Lesions consistent with \[diagnosis withheld\] .* Comments: T1\/T2 images/);
  });

  it('gives cases without test results their examination as the menu', () => {
    const empty = lines
      .map((l, i) => [i, JSON.parse(l)] as const)
      .filter(([, r]) => Object.keys(r.OSCE_Examination.Test_Results).length === 0);
    expect(empty.length).toBeGreaterThan(0);
    for (const [i] of empty) {
      const c = byId.get(`agentclinic-${i + 1}`)!;
      expect(c.menu.length).toBeGreaterThan(0);
      expect(c.menu.every((m) => m.category === 'exam')).toBe(true);
    }
  });

  it('can put the examination in o1 instead', () => {
    const c = importAgentClinicRecord('x', JSON.parse(lines[0] as string), { examInO1: true });
    expect(c.o1.text).toContain('ptosis');
    expect(c.menu.some((m) => m.category === 'exam')).toBe(false);
  });
});

describe('AgentClinic bad input', () => {
  const good = JSON.parse(lines[0] as string);

  it('skips a non-JSON line, a record without gold and one with wrong types, naming each, and imports the rest', () => {
    const noGold = structuredClone(good);
    delete noGold.OSCE_Examination.Correct_Diagnosis;
    const wrongType = structuredClone(good);
    wrongType.OSCE_Examination.Patient_Actor = 'a string';
    const file = [lines[0], '{"OSCE_Examination": ', JSON.stringify(noGold), '', JSON.stringify(wrongType), lines[1]].join('\n');
    const report = importCases(file, 'agentclinic', 'mixed.jsonl');
    expect(report.cases.map((c) => c.id)).toEqual(['agentclinic-1', 'agentclinic-6']);
    expect(report.skipped).toEqual([
      { id: 'agentclinic-2', reason: expect.stringMatching(/^line 2 is not valid JSON/) },
      { id: 'agentclinic-3', reason: 'OSCE_Examination.Correct_Diagnosis is missing or empty (no gold diagnosis)' },
      { id: 'agentclinic-5', reason: 'OSCE_Examination.Patient_Actor is a string, expected an object' },
    ]);
    expect(() => importCases(file, 'agentclinic', 'mixed.jsonl', { strict: true })).toThrow(
      /record agentclinic-2: line 2 is not valid JSON/,
    );
  });

  it('skips a case with nothing to order', () => {
    const bare = structuredClone(good);
    bare.OSCE_Examination.Test_Results = {};
    bare.OSCE_Examination.Physical_Examination_Findings = { Vital_Signs: { Temperature: '37 C' } };
    const report = importCases(JSON.stringify(bare), 'agentclinic', 'bare.jsonl');
    expect(report.skipped).toEqual([
      { id: 'agentclinic-1', reason: 'OSCE_Examination.Test_Results is empty and there is no examination to order (empty menu)' },
    ]);
  });

  it('uses a record id when there is one, and refuses a duplicate id', () => {
    const withId = JSON.stringify({ id: 'osce-7', ...good });
    const report = importCases([withId, withId].join('\n'), 'agentclinic', 'dup.jsonl');
    expect(report.cases.map((c) => c.id)).toEqual(['osce-7']);
    expect(report.skipped).toEqual([{ id: 'osce-7', reason: 'id is a duplicate of an earlier record' }]);
  });
});
