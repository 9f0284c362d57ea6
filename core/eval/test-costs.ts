import type { MenuCategory } from '../cases/model';
import type { OrderResult } from '../tree/node';

/**
 * What ordering a test costs, in US dollars: a simple, documented ballpark in the spirit of SDBench
 * (Nori et al., 2025, "Sequential Diagnosis with Language Models", which prices every order so that
 * accuracy can be weighed against spending). The figures are rounded approximations of US Medicare
 * national payment amounts — the 2024 Clinical Laboratory Fee Schedule for laboratory and microbiology
 * tests, the 2024 Physician Fee Schedule (global, non-facility) for imaging, physiology and procedures —
 * with the CPT code each one stands for, approximate (not checked line by line against the published
 * files). They are meant for comparing policies, not for billing;
 * private prices are often two to three times higher. See docs/test-costs.md.
 *
 * An order is priced by the first common test its wording names; else by the first common test one of
 * the results it revealed names; else by the category of what it revealed (the dearest one); else, an
 * order the case cannot answer and whose wording names nothing known, by the "other" category. A
 * physical examination is part of the visit and costs nothing. Bump the version on any change.
 */
export const TEST_COSTS_VERSION = 'costs-v1';

export interface CommonTestCost {
  name: string;
  /** The CPT code the price stands for. */
  cpt: string;
  usd: number;
  /** Matched against the lower-cased wording of an order or a result's test name. */
  pattern: RegExp;
}

/** More specific tests first: the first match prices an order. */
export const COMMON_TEST_COSTS: CommonTestCost[] = [
  // Imaging
  { name: 'PET-CT', cpt: '78815', usd: 1300, pattern: /\bpet\b/ },
  { name: 'CT angiography', cpt: '71275', usd: 330, pattern: /\bcta\b|\bct angiogra|computed tomography angiogra/ },
  { name: 'MR angiography', cpt: '70544', usd: 400, pattern: /\bmra\b|\bmr angiogra|magnetic resonance angiogra/ },
  { name: 'MRI', cpt: '70553', usd: 380, pattern: /\bmri\b|\bmr\b|magnetic resonance/ },
  {
    name: 'CT of the abdomen and pelvis',
    cpt: '74177',
    usd: 310,
    pattern: /\bct\b.*\b(abdom|pelvi)|computed tomography.*\b(abdom|pelvi)/,
  },
  {
    name: 'CT of the chest',
    cpt: '71250',
    usd: 160,
    pattern: /\bct\b.*\b(chest|thora|lung)|computed tomography.*\b(chest|thora|lung)/,
  },
  {
    name: 'CT of the head',
    cpt: '70450',
    usd: 110,
    pattern: /\bct\b.*\b(head|brain|cranial)|computed tomography.*\b(head|brain)/,
  },
  { name: 'CT (other)', cpt: '74176', usd: 200, pattern: /\bct\b|\bcat scan|computed tomography|tomogra/ },
  { name: 'Echocardiogram', cpt: '93306', usd: 210, pattern: /\becho|\btte\b|\btee\b/ },
  { name: 'Doppler ultrasound', cpt: '93971', usd: 150, pattern: /doppler|duplex/ },
  { name: 'Ultrasound', cpt: '76700', usd: 120, pattern: /ultrasound|ultrasonograph|sonograph|\bus\b/ },
  { name: 'Mammography', cpt: '77067', usd: 130, pattern: /mammogra/ },
  { name: 'Bone densitometry', cpt: '77080', usd: 40, pattern: /\bdexa\b|\bdxa\b|densitometry/ },
  {
    name: 'Nuclear medicine scan',
    cpt: '78306',
    usd: 280,
    pattern: /scintigra|bone scan|nuclear (medicine|scan|imaging)|\bspect\b|\bv\/q\b|ventilation.perfusion/,
  },
  { name: 'Angiography (catheter)', cpt: '36221', usd: 900, pattern: /angiogra|arteriogra|venogra/ },
  { name: 'X-ray', cpt: '71046', usd: 35, pattern: /x-?ray|radiograph|\bcxr\b|\bkub\b/ },
  // Physiology
  { name: 'Electrocardiogram', cpt: '93000', usd: 16, pattern: /\becg\b|\bekg\b|electrocardiogra/ },
  { name: 'Holter monitoring', cpt: '93224', usd: 80, pattern: /holter/ },
  { name: 'Electroencephalogram', cpt: '95816', usd: 250, pattern: /\beeg\b|electroencephalogra/ },
  { name: 'Electromyography / nerve conduction', cpt: '95886', usd: 300, pattern: /\bemg\b|electromyogra|nerve conduction/ },
  { name: 'Pulmonary function tests', cpt: '94010', usd: 40, pattern: /spirometr|pulmonary function|\bpft/ },
  { name: 'Audiometry', cpt: '92557', usd: 40, pattern: /audiometr|audiogra|hearing test/ },
  // Procedures
  { name: 'Cardiac catheterisation', cpt: '93458', usd: 1800, pattern: /catheteri[sz]ation|coronary angio/ },
  { name: 'Bronchoscopy', cpt: '31622', usd: 450, pattern: /bronchoscop|\bbal\b|bronchoalveolar/ },
  { name: 'Colonoscopy', cpt: '45378', usd: 450, pattern: /colonoscop|sigmoidoscop/ },
  { name: 'Upper endoscopy', cpt: '43239', usd: 400, pattern: /endoscop|\begd\b|gastroscop/ },
  { name: 'Bone marrow biopsy', cpt: '38221', usd: 350, pattern: /bone marrow/ },
  { name: 'Lumbar puncture', cpt: '62270', usd: 150, pattern: /lumbar puncture|spinal tap|\bcsf\b|cerebrospinal/ },
  { name: 'Paracentesis / thoracentesis', cpt: '49083', usd: 170, pattern: /paracentesis|thoracentesis|pleural fluid|ascitic/ },
  { name: 'Biopsy', cpt: '88305', usd: 300, pattern: /biops|fine.needle|\bfna\b/ },
  // Pathology
  { name: 'Immunohistochemistry', cpt: '88342', usd: 90, pattern: /immunohisto|\bihc\b|immunostain/ },
  { name: 'Flow cytometry', cpt: '88184', usd: 100, pattern: /flow cytometr/ },
  { name: 'Histopathology', cpt: '88305', usd: 70, pattern: /histo|patholog|cytolog|smear/ },
  { name: 'Genetic testing', cpt: '81479', usd: 1000, pattern: /genetic|genom|exome|sequencing|mutation|karyotyp/ },
  // Laboratory
  {
    name: 'Complete blood count',
    cpt: '85025',
    usd: 8,
    pattern:
      /\bcbc\b|complete blood count|full blood count|blood count|hemoglobin|haemoglobin|platelet|white (blood )?cell|\bwbc\b/,
  },
  {
    name: 'Comprehensive metabolic panel',
    cpt: '80053',
    usd: 11,
    pattern: /metabolic panel|\bcmp\b|\bbmp\b|electrolyte|sodium|potassium|creatinine|\bbun\b|urea|renal function/,
  },
  {
    name: 'Liver panel',
    cpt: '80076',
    usd: 8,
    pattern: /liver function|hepatic (function )?panel|\blfts?\b|transaminase|\balt\b|\bast\b|bilirubin|alkaline phosphatase/,
  },
  { name: 'Lipid panel', cpt: '80061', usd: 13, pattern: /lipid|cholesterol|triglycerid/ },
  { name: 'Thyroid tests', cpt: '84443', usd: 17, pattern: /thyroid|\btsh\b|\bt4\b|\bt3\b/ },
  { name: 'Troponin', cpt: '84484', usd: 10, pattern: /troponin/ },
  { name: 'Natriuretic peptide', cpt: '83880', usd: 35, pattern: /\bbnp\b|natriuretic/ },
  {
    name: 'Coagulation studies',
    cpt: '85610',
    usd: 5,
    pattern: /coagulation|\binr\b|prothrombin|\bptt\b|\baptt\b|d-?dimer|fibrinogen/,
  },
  { name: 'Inflammatory markers', cpt: '86140', usd: 5, pattern: /\bcrp\b|c-reactive|\besr\b|sedimentation|procalcitonin/ },
  { name: 'Glucose / HbA1c', cpt: '83036', usd: 10, pattern: /glucose|hba1c|a1c|glycated/ },
  { name: 'Arterial blood gas', cpt: '82803', usd: 20, pattern: /blood gas|\babg\b|lactate/ },
  {
    name: 'Autoantibodies',
    cpt: '86038',
    usd: 15,
    pattern: /antinuclear|\bana\b|\banca\b|antibod|rheumatoid factor|complement|serolog/,
  },
  { name: 'Urinalysis', cpt: '81001', usd: 3, pattern: /urinalysis|urine (analysis|dipstick|test)|\bua\b/ },
  { name: 'Blood culture', cpt: '87040', usd: 10, pattern: /blood culture/ },
  { name: 'Culture', cpt: '87086', usd: 9, pattern: /culture/ },
  { name: 'Nucleic acid test (PCR)', cpt: '87798', usd: 35, pattern: /\bpcr\b|nucleic acid|viral load/ },
];

/** The price of an order by the category of what it revealed (or "other"). */
export const CATEGORY_COSTS: Record<MenuCategory, number> = {
  exam: 0,
  lab: 20,
  microbiology: 30,
  imaging: 200,
  pathology: 150,
  procedure: 400,
  other: 100,
};

/** Wordings of a physical examination: part of the visit, free. */
const EXAM =
  /\bexam|examination|inspection|palpation|auscultation|percussion|vital signs|\bvitals\b|blood pressure|heart rate|temperature|history/;

export interface OrderCost {
  usd: number;
  /** What priced it: a common test's name, "exam", or "category:<category>". */
  basis: string;
}

/** The price of one order and its answer (see the rules above). */
export function orderCost(result: OrderResult): OrderCost {
  const wording = result.test.toLowerCase();
  const common = (text: string) => COMMON_TEST_COSTS.find((c) => c.pattern.test(text));
  const direct = common(wording);
  if (direct) return { usd: direct.usd, basis: direct.name };
  if (EXAM.test(wording)) return { usd: 0, basis: 'exam' };
  for (const item of result.items) {
    const named = common(item.name.toLowerCase());
    if (named) return { usd: named.usd, basis: named.name };
  }
  if (result.items.length > 0) {
    const dearest = result.items.reduce((a, b) => (CATEGORY_COSTS[b.category] > CATEGORY_COSTS[a.category] ? b : a));
    return { usd: CATEGORY_COSTS[dearest.category], basis: `category:${dearest.category}` };
  }
  return { usd: CATEGORY_COSTS.other, basis: 'category:other' };
}

/** The cost of every order in a run of turns' answers. */
export function testCost(results: OrderResult[]): number {
  return results.reduce((sum, r) => sum + orderCost(r).usd, 0);
}
