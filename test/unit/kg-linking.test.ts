import { bundledKgForTests } from '../support/bundled-kg';
import { MemoryKg } from '../../core/kg/memory-kg';
import { readTsv } from '../../core/kg/sources/tsv';
import { findingNameFromQuestion } from '../../core/kg/sources/ddxplus';
import { parseSymptomOntology } from '../../core/kg/sources/symptom-ontology';
import { equivalentTo, evaluateLinking, linkGoldMention } from '../../core/linking/evaluate';
import { EntityLinker } from '../../core/linking/linker';
import { expandAbbreviations, prepareMention, stripValues } from '../../core/linking/mention';
import { readHeldOutGolds, readLabelledMentions } from '../../scripts/labelled-fixtures';
import { TINY, tinyKg } from '../support/tiny-kg';

jest.setTimeout(120_000);

describe('KG source parsers', () => {
  it('reads OBO terms with synonyms and is_a, dropping obsolete ones', () => {
    const obo = [
      '[Term]',
      'id: SYMP:1',
      'name: symptom',
      '',
      '[Term]',
      'id: SYMP:2',
      'name: abdominal cramp',
      'synonym: "stomach cramp" EXACT []',
      'is_a: SYMP:1 ! symptom',
      '',
      '[Term]',
      'id: SYMP:3',
      'name: obsolete thing',
      'is_obsolete: true',
    ].join('\n');
    const { nodes, isA } = parseSymptomOntology(obo);
    expect(nodes.map((n) => [n.id, n.name, n.synonyms])).toEqual([
      ['SYMP:1', 'symptom', []],
      ['SYMP:2', 'abdominal cramp', ['stomach cramp']],
    ]);
    expect(isA).toEqual([{ child: 'SYMP:2', parent: 'SYMP:1' }]);
  });

  it('names DDXPlus evidences from their questions', () => {
    expect(findingNameFromQuestion('Do you have a fever (either felt or measured with a thermometer)?')).toBe('fever');
    expect(findingNameFromQuestion('Did you lose consciousness?')).toBe('lose consciousness');
    expect(findingNameFromQuestion('How intense is the pain?')).toBe('How intense is the pain');
  });

  it('names the file and line of a malformed row', () => {
    expect(() => readTsv('id\tlabel\tparent\nA\tB\tC\nD\n', 'HumanDO.tsv', ['id'])).toThrow(
      'HumanDO.tsv: line 3 has 1 fields, expected 3',
    );
  });
});

describe('mention preparation', () => {
  it('strips measured values but keeps numbers that belong to a name', () => {
    expect(stripValues('CRP (306.9 mg/L)')).toBe('CRP');
    expect(stripValues('WBC 15.3 × 10^3/µL')).toBe('WBC');
    expect(stripValues('platelet count 1,200,000/μL (elevated)')).toBe('platelet count (elevated)');
    expect(stripValues('type 2 diabetes mellitus')).toBe('type 2 diabetes mellitus');
    expect(stripValues('trisomy 21')).toBe('trisomy 21');
  });

  it('reads negations and normal results as denials', () => {
    for (const text of [
      'no fever',
      'blood cultures negative',
      'cranial nerves II-XII intact',
      'normal heart sounds',
      'absence of rash',
    ]) {
      expect([text, prepareMention(text, 'finding').negated]).toEqual([text, true]);
    }
    expect(prepareMention('abnormal heart sounds', 'finding').negated).toBe(false);
    expect(prepareMention('normal pressure hydrocephalus', 'disease').negated).toBe(false);
  });

  it('expands ambiguous abbreviations only in capitals', () => {
    expect(expandAbbreviations('PE')).toEqual(['pulmonary embolism']);
    expect(expandAbbreviations('pe')).toEqual([]);
    expect(expandAbbreviations('all patients')).toEqual([]);
    expect(expandAbbreviations('elevated crp')).toEqual(['elevated c-reactive protein']);
  });
});

describe('entity linking', () => {
  const linker = new EntityLinker(new MemoryKg(tinyKg()));

  it('links synonyms and inverted names, and nothing below the threshold', async () => {
    expect((await linker.link('wet cough', 'finding')).matches[0]?.id).toBe(TINY.productiveCough);
    // The exact name first; then the phrase's head before the comma ("pneumonia", weight 0.95); the familial
    // form, one word too many, last (Dice 0.8).
    expect((await linker.link('Pneumonia, bacterial', 'disease')).matches.map((m) => [m.id, m.score])).toEqual([
      [TINY.bacterialPneumonia, 1],
      [TINY.pneumonia, 0.95],
      [TINY.familialPneumonia, 0.8],
    ]);
    expect((await linker.link('acute pancreatitis', 'disease')).matches).toEqual([]);
  });

  it('does not link a bare measurement to an abnormality', async () => {
    expect((await linker.link('troponin 0.01 ng/mL', 'finding')).matches).toEqual([]);
    expect((await linker.link('troponin 2.3 ng/mL (elevated)', 'finding')).matches[0]?.id).toBe(TINY.elevatedTroponin);
  });

  it('meets the targets on the hand-labelled fixtures over the bundled KG', async () => {
    const kg = new MemoryKg(await bundledKgForTests());
    const linker = new EntityLinker(kg);
    const labels = readLabelledMentions();
    const { disease } = await evaluateLinking(
      linker,
      labels.filter((l) => l.kind === 'disease'),
      equivalentTo(kg),
      linkGoldMention,
    );
    const { finding } = await evaluateLinking(
      linker,
      labels.filter((l) => l.kind === 'finding'),
    );
    expect(disease.mentions).toBe(138);
    expect(finding.mentions).toBeGreaterThanOrEqual(100);
    expect(disease.correct / disease.linkable).toBeGreaterThanOrEqual(0.9);
    expect(disease.top3Recall).toBeGreaterThanOrEqual(0.9);
    expect(finding.precision).toBeGreaterThanOrEqual(0.9);
    // Held-out golds (never tuned on): the target is 0.9, not reached yet (docs/knowledge-graph.md); this guards what is reached.
    const heldOut = await evaluateLinking(linker, readHeldOutGolds(), equivalentTo(kg), linkGoldMention);
    expect(heldOut.disease.mentions).toBe(60);
    expect(heldOut.disease.top3Recall).toBeGreaterThanOrEqual(0.75);
  });
});
