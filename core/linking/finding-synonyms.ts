/**
 * How clinicians and case reports word common abnormal results, mapped to the wording of the KG's
 * finding terms (HPO names such as "Leukocytosis", "Hyponatremia", "Elevated hepatic transaminase").
 * Patterns run on normalised text (kg/names.ts); each match adds a variant of the mention, so the
 * original wording still competes.
 */
const RAISED = '(?:elevated|increased|raised|high|higher|abnormally high|markedly elevated|mildly elevated)';
const LOWERED = '(?:decreased|reduced|low|lower|diminished|depressed)';

function rule(pattern: string, term: string): [RegExp, string] {
  return [new RegExp(`\\b(?:${pattern})\\b`), term];
}

/** [pattern over the normalised mention, KG wording]. */
export const FINDING_SYNONYMS: [RegExp, string][] = [
  rule(
    `${RAISED} (?:white blood cell|white cell|wbc|leukocyte|leucocyte)(?: count)?|leukocytosis|leucocytosis`,
    'increased total leukocyte count',
  ),
  rule(
    `${LOWERED} (?:white blood cell|white cell|wbc|leukocyte)(?: count)?|leukopenia|leucopenia`,
    'decreased total leukocyte count',
  ),
  rule(`${RAISED} (?:neutrophil|neutrophils)(?: count)?|neutrophilia`, 'increased total neutrophil count'),
  rule(`${LOWERED} (?:neutrophil|neutrophils)(?: count)?|neutropenia`, 'decreased total neutrophil count'),
  rule(`${RAISED} (?:eosinophil|eosinophils)(?: count)?|eosinophilia`, 'increased total eosinophil count'),
  rule(`${RAISED} (?:lymphocyte|lymphocytes)(?: count)?|lymphocytosis`, 'increased total lymphocyte count'),
  rule(`${LOWERED} (?:lymphocyte|lymphocytes)(?: count)?|lymphopenia|lymphocytopenia`, 'decreased total lymphocyte count'),
  rule(`${LOWERED} (?:platelet|platelets)(?: count)?|thrombocytopenia`, 'thrombocytopenia'),
  rule(`${RAISED} (?:platelet|platelets)(?: count)?|thrombocytosis`, 'thrombocytosis'),
  rule(`${LOWERED} (?:hemoglobin|hb|hgb|hematocrit)|anemia`, 'anemia'),
  rule(`${RAISED} (?:hemoglobin|hematocrit)|polycythemia|erythrocytosis`, 'polycythemia'),
  rule(`${LOWERED} sodium|hyponatremia`, 'hyponatremia'),
  rule(`${RAISED} sodium|hypernatremia`, 'hypernatremia'),
  rule(`${LOWERED} potassium|hypokalemia`, 'hypokalemia'),
  rule(`${RAISED} potassium|hyperkalemia`, 'hyperkalemia'),
  rule(`${LOWERED} (?:serum )?calcium|hypocalcemia`, 'hypocalcemia'),
  rule(`${RAISED} (?:serum )?calcium|hypercalcemia`, 'hypercalcemia'),
  rule(`${LOWERED} magnesium|hypomagnesemia`, 'hypomagnesemia'),
  rule(`${LOWERED} (?:phosphate|phosphorus)|hypophosphatemia`, 'hypophosphatemia'),
  rule(`${RAISED} (?:blood )?(?:glucose|sugar)|hyperglycemia`, 'hyperglycemia'),
  rule(`${LOWERED} (?:blood )?(?:glucose|sugar)|hypoglycemia`, 'hypoglycemia'),
  rule(`${LOWERED} albumin|hypoalbuminemia`, 'hypoalbuminemia'),
  rule(
    `${RAISED} (?:liver enzymes|liver function tests|lfts|transaminases|aminotransferases)|transaminitis|hypertransaminasemia`,
    'elevated circulating hepatic transaminase concentration',
  ),
  rule(`${RAISED} (?:alt|alanine aminotransferase|sgpt)`, 'elevated circulating alanine aminotransferase concentration'),
  rule(`${RAISED} (?:ast|aspartate aminotransferase|sgot)`, 'elevated circulating aspartate aminotransferase concentration'),
  rule(`${RAISED} (?:total )?bilirubin|hyperbilirubinemia`, 'hyperbilirubinemia'),
  rule(`${RAISED} (?:alkaline phosphatase|alp)`, 'elevated circulating alkaline phosphatase concentration'),
  rule(`${RAISED} (?:creatinine|serum creatinine)`, 'elevated circulating creatinine concentration'),
  rule(`${RAISED} (?:bun|blood urea nitrogen|urea)|uremia|azotemia`, 'elevated blood urea nitrogen'),
  rule(`${RAISED} (?:crp|c reactive protein)`, 'elevated circulating c reactive protein concentration'),
  rule(`${RAISED} (?:esr|erythrocyte sedimentation rate|sedimentation rate)`, 'elevated erythrocyte sedimentation rate'),
  rule(`${RAISED} (?:inflammatory markers|acute phase reactants)`, 'elevated circulating c reactive protein concentration'),
  rule(`${RAISED} (?:ldh|lactate dehydrogenase)`, 'elevated circulating lactate dehydrogenase concentration'),
  rule(`${RAISED} (?:ck|cpk|creatine kinase|creatine phosphokinase)`, 'elevated circulating creatine kinase concentration'),
  rule(`${RAISED} (?:troponin|troponins|troponin i|troponin t)`, 'increased circulating troponin concentration'),
  rule(`${RAISED} (?:lactate|lactic acid)|lactic acidosis|hyperlactatemia`, 'lactic acidosis'),
  rule(`${RAISED} ferritin|hyperferritinemia`, 'increased circulating ferritin concentration'),
  rule(`${RAISED} (?:ige|immunoglobulin e)`, 'increased circulating ige concentration'),
  rule(`${RAISED} lipase`, 'increased circulating pancreatic triacylglycerol lipase level'),
  rule(`${RAISED} (?:d dimer|ddimer)`, 'elevated circulating d dimer concentration'),
  rule(`${RAISED} (?:blood pressure|bp)|hypertensive`, 'hypertension'),
  rule(`${LOWERED} (?:blood pressure|bp)|hypotensive`, 'hypotension'),
  rule(`${RAISED} (?:heart rate|pulse)|tachycardic`, 'tachycardia'),
  rule(`${LOWERED} (?:heart rate|pulse)|bradycardic`, 'bradycardia'),
  rule(`${RAISED} (?:respiratory rate)|tachypneic|tachypnoea|tachypnea`, 'tachypnea'),
  rule(`${RAISED} (?:temperature|body temperature)|febrile|pyrexia|pyrexial`, 'fever'),
  rule(
    `${LOWERED} (?:oxygen saturation|o2 saturation|spo2|pao2|partial pressure of oxygen)|hypoxemic|hypoxaemia|desaturation`,
    'hypoxemia',
  ),
  rule(`protein in (?:the )?urine|proteinuria`, 'proteinuria'),
  rule(`blood in (?:the )?urine|hematuria`, 'hematuria'),
  rule(`(?:pus|white cells|leukocytes|white blood cells) in (?:the )?urine|pyuria|leukocyturia`, 'pyuria'),
  rule(`shortness of breath|breathlessness|short of breath|dyspnoea|dyspnea`, 'dyspnea'),
  rule(`swollen lymph nodes|enlarged lymph nodes|lymph node enlargement|lymphadenopathy`, 'lymphadenopathy'),
  rule(`enlarged liver|hepatomegaly`, 'hepatomegaly'),
  rule(`enlarged spleen|splenomegaly`, 'splenomegaly'),
  rule(`scleral icterus|icteric sclerae|yellow (?:skin|sclera|sclerae)|icterus|jaundice|jaundiced`, 'jaundice'),
  rule(`drooping (?:of the )?eyelid|ptosis|blepharoptosis`, 'ptosis'),
  rule(`double vision|diplopia`, 'diplopia'),
  rule(`weight loss|losing weight|lost weight`, 'weight loss'),
  rule(`fluid (?:around|surrounding) the heart|pericardial effusion`, 'pericardial effusion'),
  rule(`fluid in the (?:pleural space|chest)|pleural effusion|pleural effusions`, 'pleural effusion'),
  rule(`free fluid in the abdomen|ascites`, 'ascites'),
];
