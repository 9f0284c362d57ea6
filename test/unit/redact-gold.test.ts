import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../config/project-root';
import { importCases } from '../../core/cases/import';
import { type Case, newCase } from '../../core/cases/model';
import { goldNames, redactGold, WITHHELD } from '../../core/cases/redact-gold';

const testCase = (gold: string, results: string[]) =>
  newCase({
    id: 'c1',
    source: 'test',
    o1: [{ title: 'Presentation', text: 'A 40-year-old with fever and a skin ulcer.' }],
    menu: results.map((result, i) => ({
      id: `m${i + 1}`,
      category: 'pathology' as const,
      name: `Item ${i + 1}`,
      aliases: [],
      result,
    })),
    gold: { short: gold, long: gold },
    metadata: {},
  });

describe('results that name the gold diagnosis', () => {
  it('are redacted, phrase by phrase, keeping the findings, and the case metadata records what was removed', () => {
    const { testCase: redacted, redactions } = redactGold(
      testCase('Pyoderma gangrenosum (PG)', [
        'Neutrophilic infiltration without infection, consistent with pyoderma gangrenosum.',
        'Skin swab: no growth. Findings do not support PG over vasculitis.',
        'Hemoglobin 11.2 g/dL.',
      ]),
    );
    expect(redacted.menu.map((m) => m.result)).toEqual([
      `Neutrophilic infiltration without infection, consistent with ${WITHHELD}.`,
      `Skin swab: no growth. Findings do not support ${WITHHELD} over vasculitis.`,
      'Hemoglobin 11.2 g/dL.',
    ]);
    expect(redactions).toEqual([
      { item: 'm1', phrase: 'pyoderma gangrenosum' },
      { item: 'm2', phrase: 'PG' },
    ]);
    expect(redacted.metadata.redacted).toEqual(redactions);
    // A name made from a result's first words is shown with the answer: redacted too.
    const named = redactGold({
      ...testCase('Pyoderma gangrenosum', []),
      menu: [
        {
          id: 'm1',
          category: 'other',
          name: 'Biopsy suggested pyoderma gangrenosum',
          aliases: ['pyoderma gangrenosum'],
          result: 'Neutrophils.',
        },
      ],
    });
    expect(named.testCase.menu[0]).toMatchObject({
      name: `Biopsy suggested ${WITHHELD}`,
      aliases: [WITHHELD],
      result: 'Neutrophils.',
    });
    // The initial observation is what the patient presents with: untouched.
    expect(redacted.o1).toEqual(testCase('Pyoderma gangrenosum (PG)', []).o1);
  });

  it("matches whole words in any case, spacing, hyphenation or possessive, but not an organism's name, a grade or a short generic word", () => {
    const { testCase: redacted } = redactGold(
      testCase("Hirschsprung's disease", [
        'Transition zone compatible with hirschsprung disease.',
        'Rectal biopsy: HIRSCHSPRUNG-DISEASE pattern.',
      ]),
    );
    expect(redacted.menu.map((m) => m.result)).toEqual([
      `Transition zone compatible with ${WITHHELD}.`,
      `Rectal biopsy: ${WITHHELD} pattern.`,
    ]);
    const tb = redactGold(
      testCase('Tuberculosis', ['Sputum NAAT positive for Mycobacterium tuberculosis. Picture of tuberculosis.']),
    );
    expect(tb.testCase.menu[0]!.result).toBe(`Sputum NAAT positive for Mycobacterium tuberculosis. Picture of ${WITHHELD}.`);
    expect(goldNames({ short: 'Prostatic adenocarcinoma (Gleason 3+4)', long: 'Tumor' }).map((n) => n.phrase)).toEqual([
      'prostatic adenocarcinoma',
    ]);
    // A result that does not name the gold leaves the case as it was.
    const plain = testCase('Leprosy', ['Acid-fast bacilli seen.']);
    expect(redactGold(plain).testCase).toBe(plain);
  });

  it("are found without the gold's grades, stages, trailing sites or bracketed glosses, but a class word or an examined sign is left", () => {
    const lymphoma = redactGold(
      testCase('Advanced grade 2 follicular lymphoma of the left axilla', [
        'Excision biopsy: follicular lymphoma, grade 2, CD10 positive.',
        'Bone marrow: no lymphoma cells.',
      ]),
    );
    expect(lymphoma.testCase.menu.map((m) => m.result)).toEqual([
      `Excision biopsy: ${WITHHELD}, grade 2, CD10 positive.`,
      'Bone marrow: no lymphoma cells.',
    ]);
    const iris = redactGold(testCase('Possible PML-IRIS.', ['MRI: findings suggestive of PML-IRIS; no pml-iris elsewhere.']));
    expect(iris.testCase.menu[0]!.result).toBe(`MRI: findings suggestive of ${WITHHELD}; no pml-iris elsewhere.`);
    const amyloid = redactGold(testCase('ATTR amyloidosis', ['Mass spectrometry: ATTR (transthyretin) amyloidosis.']));
    expect(amyloid.testCase.menu[0]!.result).toBe(`Mass spectrometry: ${WITHHELD}.`);
    // One word left of "Carcinoma of the breast" is a class, not this disease.
    const breast = testCase('Carcinoma of the breast', ['Axillary node: no metastatic carcinoma.']);
    expect(redactGold(breast).testCase).toBe(breast);
    // "Jaundice" is the sign an examination reports, and the reading of a test that names it.
    const jaundice: Case = {
      ...testCase('Physiological neonatal jaundice', []),
      menu: [
        { id: 'm1', category: 'exam' as const, name: 'Skin', aliases: [], result: 'Jaundice to the umbilicus.' },
        {
          id: 'm2',
          category: 'lab' as const,
          name: 'Bilirubin',
          aliases: [],
          result: 'Unconjugated bilirubin 14 mg/dL, in keeping with jaundice.',
        },
      ],
    };
    expect(redactGold(jaundice).testCase.menu.map((m) => m.result)).toEqual([
      'Jaundice to the umbilicus.',
      `Unconjugated bilirubin 14 mg/dL, in keeping with ${WITHHELD}.`,
    ]);
  });

  it('are counted by the importer, which redacts every case it imports', () => {
    const file = path.join(PROJECT_ROOT, 'data', 'cases', 'medrbench-dev-30.json');
    const report = importCases(fs.readFileSync(file, 'utf8'), 'medrbench', 'medrbench-dev-30.json');
    const items = new Set(
      report.cases.flatMap((c) =>
        ((c.metadata.redacted as { item: string }[] | undefined) ?? []).map((r) => `${c.id}/${r.item}`),
      ),
    );
    expect(report.redactedItems).toBeGreaterThan(0);
    expect(report.redactedItems).toBe(items.size);
    for (const c of report.cases.filter((x) => x.metadata.redacted))
      expect(c.menu.some((m) => m.result.includes(WITHHELD))).toBe(true);
  });
});
