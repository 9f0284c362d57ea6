import { bundledKgForTests } from '../support/bundled-kg';
import { MemoryKg } from '../../core/kg/memory-kg';
import { EntityLinker } from '../../core/linking/linker';
import { revealRoots } from '../../core/metrics/test-reveals';

jest.setTimeout(120_000);

/** The two grounding bugs of docs/metrics.md's first version, on the bundled KG. */
describe('what a test can reveal, on the bundled KG', () => {
  let kg: MemoryKg;
  let linker: EntityLinker;
  beforeAll(async () => {
    kg = new MemoryKg(await bundledKgForTests());
    linker = new EntityLinker(kg);
  });
  const disease = async (name: string) => (await linker.link(name, 'disease')).matches[0]?.id as string;

  it('grounds a genetic test for a disease with phenotype annotations (the phenotype root is a node)', async () => {
    const marfan = await disease('Marfan syndrome');
    for (const test of ['genetic testing', 'whole exome sequencing', 'karyotype']) {
      const roots = revealRoots(test);
      expect(roots.length).toBeGreaterThan(0);
      expect(await kg.diseasesWithFindingsUnder([marfan], roots)).toEqual([marfan]);
    }
  });

  it('grounds a chest X-ray and a CT pulmonary angiogram for diseases annotated only through SYMP and DDXPlus findings (their SAME_AS to HPO counts)', async () => {
    for (const name of ['pneumonia', 'tuberculosis']) {
      const d = await disease(name);
      expect(d).toMatch(/^DOID:/);
      for (const test of ['chest x-ray', 'CT pulmonary angiogram'])
        expect({ name, test, grounded: await kg.diseasesWithFindingsUnder([d], revealRoots(test)) }).toEqual({
          name,
          test,
          grounded: [d],
        });
    }
  });
});
