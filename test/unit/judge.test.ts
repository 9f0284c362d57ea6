import { configurationDifferences, resolveBuildSettings } from '../../cli/resolve-settings';
import { loadConfig } from '../../config';
import { JUDGE_PROMPT_VERSION } from '../../core/dataset/judge-prompt';
import { agreement, cohensKappa } from '../../core/judge/agreement';
import { JUDGE_VERSION } from '../../core/judge/compositional-judge';
import { BUNDLED_CASES_FILE } from '../../stores/bundled-cases';
import { CompositionalJudge } from '../../core/judge/compositional-judge';
import { cleanDiagnosis, readDiagnosis } from '../../core/judge/diagnosis-text';
import { readJudgePairs } from '../../core/judge/pairs';
import { sameStem } from '../../core/judge/phrase-words';
import type { KgData } from '../../core/kg/model';
import { MemoryKg } from '../../core/kg/memory-kg';
import { EntityLinker } from '../../core/linking/linker';
import { diseaseNode } from '../support/tiny-kg';

/** Kikuchi disease in DO, its Orphanet twin under another name, joined as Mondo joins them. */
const KG: KgData = {
  nodes: [
    diseaseNode('DOID:1', 'Kikuchi disease'),
    diseaseNode('ORPHA:2', 'Histiocytic necrotizing lymphadenitis', 'HPO'),
    diseaseNode('DOID:3', 'lymphadenitis'),
    diseaseNode('DOID:4', 'progressive multifocal leukoencephalopathy'),
  ],
  isA: [
    { child: 'DOID:1', parent: 'DOID:3' },
    { child: 'ORPHA:2', parent: 'DOID:3' },
  ],
  sameAs: [{ a: 'DOID:1', b: 'ORPHA:2', via: 'MONDO:0000001' }],
  hasFinding: [],
};
const kg = new MemoryKg(KG);
const judge = new CompositionalJudge(kg, new EntityLinker(kg));
const verdict = (answer: string, gold: string) => judge.judge({ final: answer, gold: { short: gold, long: gold } });

describe('reading a diagnosis', () => {
  it('drops markdown, "the final diagnosis is", hedges and patient counts', () => {
    expect(cleanDiagnosis('The final diagnosis is **Kikuchi disease**.')).toBe('Kikuchi disease');
    expect(cleanDiagnosis('```\nFinal Diagnosis: likely Sarcoidosis\n```')).toBe('Sarcoidosis');
    expect(cleanDiagnosis('Morel-Lavallée lesions (MLLs) in all four cases')).toBe('Morel-Lavallée lesions (MLLs)');
  });

  it('splits the principal disease from its causes, settings and complications', () => {
    const [c] = readDiagnosis(
      'Myelopathy secondary to spinal venous congestion from a traumatic carotid-cavernous fistula',
    ).conditions;
    expect(c).toEqual({
      principal: 'Myelopathy',
      aliases: [],
      qualifiers: ['spinal venous congestion', 'a traumatic carotid-cavernous fistula'],
    });
  });

  it('keeps bracketed names as aliases', () => {
    expect(
      readDiagnosis('Hypersensitivity pneumonitis (extrinsic allergic alveolitis) due to recurrent lentil aspiration').conditions,
    ).toEqual([
      {
        principal: 'Hypersensitivity pneumonitis',
        aliases: ['extrinsic allergic alveolitis'],
        qualifiers: ['recurrent lentil aspiration'],
      },
    ]);
  });

  it('reads two conditions in a two-condition gold, and a site shared by two names', () => {
    expect(readDiagnosis("Concomitant colonic atresia and Hirschsprung's disease").conditions.map((c) => c.principal)).toEqual([
      'colonic atresia',
      "Hirschsprung's disease",
    ]);
    expect(readDiagnosis('Hepatic and peritoneal hydatid cysts').conditions.map((c) => c.principal)).toEqual([
      'Hepatic hydatid cysts',
      'peritoneal hydatid cysts',
    ]);
    // "and" inside a qualifier does not make a second condition.
    expect(readDiagnosis('CLL with monoclonal gammopathy and autoimmune hemolysis').conditions.map((c) => c.principal)).toEqual([
      'CLL',
    ]);
  });
});

describe('the compositional judge', () => {
  it('accepts the same disease in another wording, with filler and abbreviations', async () => {
    expect(
      await verdict('The final diagnosis is **Lobular capillary hemangioma**.', 'Lobular capillary hemangioma (LCH).'),
    ).toMatchObject({
      correct: true,
      method: 'same-wording',
    });
  });

  it('accepts equivalent diseases through the KG identity (DO and Orphanet joined by Mondo)', async () => {
    const v = await verdict('Histiocytic necrotizing lymphadenitis', 'Kikuchi disease');
    expect(v).toMatchObject({ correct: true, method: 'kg-equivalent' });
    expect(v.evidence?.matches[0]?.nodes).toEqual(['ORPHA:2', 'DOID:1']);
  });

  it('accepts a more specific form of the gold; a modifier alone ("sporadic") changes no disease', async () => {
    expect(await verdict('Streptococcus intermedius infective endocarditis', 'Infective endocarditis')).toMatchObject({
      correct: true,
      method: 'more-specific',
    });
    expect(await verdict('Sporadic Creutzfeldt-Jakob disease', 'Creutzfeldt-Jakob disease')).toMatchObject({
      correct: true,
      method: 'same-wording',
    });
  });

  it('accepts a near parent named by a rare word, as the reference verdicts do', async () => {
    expect(await verdict('Chondrosarcoma', 'High-grade dedifferentiated chondrosarcoma (DDCS)')).toMatchObject({
      correct: true,
      method: 'shared-words',
    });
  });

  it('accepts an answer that contains the gold with extra complications', async () => {
    const v = await verdict(
      'Metastatic neuroendocrine carcinoma of the lung with cauda equina syndrome',
      'Cauda equina syndrome secondary to leptomeningeal metastasis',
    );
    expect(v.correct).toBe(true);
    expect(v.evidence?.matches[0]).toMatchObject({ gold: 'Cauda equina syndrome', answer: 'cauda equina syndrome' });
  });

  it('accepts one condition of a two-condition gold, rejects an unrelated answer', async () => {
    const gold = "Concomitant colonic atresia and Hirschsprung's disease";
    expect((await verdict('Hirschsprung disease', gold)).correct).toBe(true);
    expect(await verdict('Meconium ileus', gold)).toMatchObject({ correct: false, method: 'different' });
  });

  it('rejects a sibling named by a contradicting modifier', async () => {
    expect(await verdict('Low-grade chondrosarcoma', 'High-grade chondrosarcoma')).toMatchObject({ correct: false });
    expect(await verdict('Left renal cell carcinoma', 'Right renal cell carcinoma')).toMatchObject({ correct: false });
  });

  it('rejects siblings: another letter of a family, a shared head word with distinctive words on both sides', async () => {
    expect(await verdict('Hepatitis E', 'Active chronic hepatitis B infection')).toMatchObject({ correct: false });
    expect(await verdict('Keratolytic winter erythema', 'Erythema toxicum')).toMatchObject({ correct: false });
  });

  it('keeps the modifiers of a gold that is a disease name: "leukoencephalopathy" does not name PML', async () => {
    const gold = 'Progressive multifocal leukoencephalopathy';
    expect((await verdict('Cerebral arteriopathy with subcortical infarcts and leukoencephalopathy', gold)).correct).toBe(false);
    expect((await verdict('Progressive multifocal leukoencephalopathy (PML) due to JC virus', gold)).correct).toBe(true);
    // A gold the KG does not name keeps weightless modifiers: "sporadic" is a detail.
    expect((await verdict('Creutzfeldt-Jakob disease', 'Sporadic Creutzfeldt-Jakob disease')).correct).toBe(true);
  });

  it('meets words of one stem, not words another ending makes different', async () => {
    expect(sameStem('toxocara', 'toxocariasis')).toBe(true);
    expect(sameStem('aspergillus', 'aspergillosis')).toBe(true);
    expect(sameStem('tubercular', 'tuberculosis')).toBe(true);
    expect(sameStem('parkinson', 'parkinsonism')).toBe(false);
    expect(sameStem('hemangioma', 'hemangioendothelioma')).toBe(false);
    expect((await verdict('Parkinsonism with spasticity, X-linked', 'Parkinson disease')).correct).toBe(false);
  });

  it("rejects another organ's disease and a broad category", async () => {
    expect((await verdict('Renal cell carcinoma', 'Hepatocellular carcinoma')).correct).toBe(false);
    expect((await verdict('Lymphoma', 'Intravascular large B-cell lymphoma')).correct).toBe(false);
    expect((await verdict('Carcinoma', 'Hepatocellular carcinoma')).correct).toBe(false);
  });

  it('says why: the gold conditions it read and the part that matched', async () => {
    const v = await verdict(
      'Cryptococcal meningitis and pulmonary tuberculosis',
      'Cryptococcal meningitis in the setting of AIDS',
    );
    expect(v.evidence).toEqual({
      gold: ['Cryptococcal meningitis'],
      matches: [{ gold: 'Cryptococcal meningitis', answer: 'Cryptococcal meningitis', method: 'same-wording', share: 1 }],
    });
  });
});

describe('agreement with reference labels', () => {
  it("computes Cohen's kappa and the shares of correct answers accepted and wrong ones rejected", () => {
    // po = 0.7, pe = (25·30 + 25·20) / 50² = 0.5: kappa 0.4.
    expect(cohensKappa(20, 5, 15, 10)).toBe(0.4);
    const a = agreement([
      { verdict: true, reference: true, method: 'same-wording' },
      { verdict: true, reference: false, method: 'shared-words' },
      { verdict: false, reference: false, method: 'different' },
      { verdict: false, reference: true, method: 'different' },
      { verdict: true, method: 'same-wording' },
    ]);
    expect(a).toEqual({
      n: 5,
      labelled: 4,
      kappa: 0,
      accepted_correct: 0.5,
      rejected_wrong: 0.5,
      tp: 1,
      fp: 1,
      tn: 1,
      fn: 1,
      methods: { different: 2, 'same-wording': 2, 'shared-words': 1 },
    });
    expect(agreement([{ verdict: true, method: 'x' }]).kappa).toBeNull();
  });

  it('reports bad lines of a pairs file by number and keeps the rest', () => {
    const read = readJudgePairs(
      [
        '{"answer":"A","gold":"B","correct":true,"case_id":"c1"}',
        'not json',
        '',
        '{"answer":"A"}',
        '{"answer":"A","gold":"B","correct":"yes"}',
      ].join('\n'),
    );
    expect(read.pairs).toEqual([{ line: 1, pair: { answer: 'A', gold: 'B', correct: true, case_id: 'c1' } }]);
    expect(read.errors.map((e) => e.line)).toEqual([2, 4, 5]);
    expect(read.errors[1]?.error).toContain('gold');
  });
});

describe("the judge in a build's configuration", () => {
  it('names the judge version, so a build resumed under another judge is refused', () => {
    const config = loadConfig({});
    const kg = resolveBuildSettings(config, { cases: BUNDLED_CASES_FILE, limit: 2 });
    const llm = resolveBuildSettings(config, { cases: BUNDLED_CASES_FILE, limit: 2, judge: 'llm', judgeModel: 'm' });
    expect(kg.judgeVersion).toBe(JUDGE_VERSION);
    expect(llm.judgeVersion.startsWith(`${JUDGE_PROMPT_VERSION}+schema-`)).toBe(true);
    expect(llm.judgeVersion).toMatch(/\+schema-[0-9a-f]{12}$/);
    const older = { ...kg, judgeVersion: 'compositional-v0' };
    expect(configurationDifferences(older, kg)).toEqual([`judgeVersion: "compositional-v0" → "${JUDGE_VERSION}"`]);
  });
});
