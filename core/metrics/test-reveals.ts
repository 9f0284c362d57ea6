import type { MenuCategory } from '../cases/model';
import { CONCEPTS_BY_ID, findRegions, findTests } from '../oracle/phrases';

/**
 * What a test can reveal, as HPO subtrees (finding roots): an order is grounded when a hypothesis has a
 * finding under one of them. Coarse on purpose — organ systems, not analytes — so that "grounded" means
 * "this test looks where the hypotheses have findings", which a clinician can check at a glance.
 */
const HPO = {
  genitourinary: 'HP:0000119',
  headNeck: 'HP:0000152',
  eye: 'HP:0000478',
  ear: 'HP:0000598',
  nervous: 'HP:0000707',
  breast: 'HP:0000769',
  endocrine: 'HP:0000818',
  growth: 'HP:0001507',
  integument: 'HP:0001574',
  voice: 'HP:0001608',
  cardiovascular: 'HP:0001626',
  blood: 'HP:0001871',
  metabolism: 'HP:0001939',
  respiratory: 'HP:0002086',
  neoplasm: 'HP:0002664',
  immune: 'HP:0002715',
  digestive: 'HP:0025031',
  constitutional: 'HP:0025142',
  cellular: 'HP:0025354',
  musculoskeletal: 'HP:0033127',
  limbs: 'HP:0040064',
  thoracicCavity: 'HP:0045027',
  liver: 'HP:0001392',
  kidney: 'HP:0000077',
  phenotype: 'HP:0000118',
  symptom: 'SYMP:0000462',
} as const;

const BY_CATEGORY: Record<MenuCategory, string[]> = {
  exam: [
    HPO.symptom,
    HPO.constitutional,
    HPO.headNeck,
    HPO.eye,
    HPO.ear,
    HPO.nervous,
    HPO.breast,
    HPO.integument,
    HPO.voice,
    HPO.cardiovascular,
    HPO.respiratory,
    HPO.digestive,
    HPO.musculoskeletal,
    HPO.limbs,
    HPO.genitourinary,
    HPO.growth,
    HPO.thoracicCavity,
  ],
  lab: [HPO.metabolism, HPO.blood, HPO.immune, HPO.endocrine],
  imaging: [HPO.neoplasm],
  pathology: [HPO.neoplasm, HPO.cellular, HPO.immune],
  microbiology: [HPO.immune, HPO.metabolism],
  procedure: [HPO.neoplasm],
  other: [],
};

const BY_REGION: Record<string, string[]> = {
  head: [HPO.nervous, HPO.headNeck],
  brain: [HPO.nervous],
  orbit: [HPO.eye, HPO.headNeck],
  sinus: [HPO.headNeck, HPO.respiratory],
  pituitary: [HPO.endocrine, HPO.nervous],
  neck: [HPO.headNeck, HPO.endocrine],
  chest: [HPO.respiratory, HPO.cardiovascular, HPO.thoracicCavity],
  heart: [HPO.cardiovascular],
  breast: [HPO.breast],
  abdomen: [HPO.digestive, HPO.genitourinary],
  kidney: [HPO.genitourinary],
  pelvis: [HPO.genitourinary, HPO.digestive],
  spine: [HPO.musculoskeletal, HPO.nervous],
  limb: [HPO.limbs, HPO.musculoskeletal],
  vascular: [HPO.cardiovascular],
  whole_body: [HPO.phenotype],
  mouth: [HPO.headNeck, HPO.digestive],
  skin: [HPO.integument],
  lymph_node: [HPO.immune],
  muscle: [HPO.musculoskeletal],
};

/** Tests whose reach is narrower or wider than their category's. */
const BY_CONCEPT: Record<string, string[]> = {
  lft: [HPO.liver, HPO.digestive, HPO.metabolism],
  bilirubin: [HPO.liver, HPO.digestive, HPO.metabolism],
  creatinine: [HPO.kidney, HPO.genitourinary, HPO.metabolism],
  bun: [HPO.kidney, HPO.genitourinary, HPO.metabolism],
  urinalysis: [HPO.genitourinary, HPO.metabolism],
  troponin: [HPO.cardiovascular, HPO.metabolism],
  bnp: [HPO.cardiovascular, HPO.metabolism],
  ck: [HPO.musculoskeletal, HPO.metabolism],
  csf_analysis: [HPO.nervous, HPO.metabolism, HPO.immune],
  thyroid: [HPO.endocrine, HPO.metabolism],
  ecg: [HPO.cardiovascular],
  echo: [HPO.cardiovascular],
  tee: [HPO.cardiovascular],
  eeg: [HPO.nervous],
  emg: [HPO.nervous, HPO.musculoskeletal],
  pft: [HPO.respiratory],
  audiometry: [HPO.ear],
  ophthalmology: [HPO.eye],
  endoscopy: [HPO.digestive, HPO.neoplasm],
  bronchoscopy: [HPO.respiratory, HPO.neoplasm],
  cystoscopy: [HPO.genitourinary, HPO.neoplasm],
  sleep_study: [HPO.respiratory, HPO.nervous],
  // Genotype tests reveal no phenotype; any phenotype of a hypothesis makes them plausible.
  genetic_testing: [HPO.phenotype],
  sequencing: [HPO.phenotype],
  karyotype: [HPO.phenotype],
};

/** The finding roots an order can reveal (empty when the order names no test the lexicon knows). */
export function revealRoots(order: string): string[] {
  const roots = new Set<string>();
  const concepts = findTests(order, 'order').map((m) => m.concept);
  const regions = findRegions(order);
  for (const id of concepts) {
    const concept = CONCEPTS_BY_ID.get(id);
    if (!concept) continue;
    for (const root of BY_CONCEPT[id] ?? BY_CATEGORY[concept.category]) roots.add(root);
    if (concept.category === 'imaging' || concept.category === 'pathology' || concept.category === 'procedure') {
      const regional = [...regions].flatMap((r) => BY_REGION[r] ?? []);
      // Imaging without a region can look anywhere.
      for (const root of regional.length > 0 || concept.category !== 'imaging' ? regional : [HPO.phenotype]) roots.add(root);
    }
  }
  return [...roots].sort();
}
