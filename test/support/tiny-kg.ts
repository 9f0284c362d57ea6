import type { KgData, KgNode } from '../../core/kg/model';

/**
 * A hand-built graph small enough to compute every metric by hand (docs/metrics.md works through it):
 *
 *   infectious disease ← respiratory infection ← lower respiratory tract infection ← pneumonia ← bacterial pneumonia
 *                      ← urinary tract infection                                  ← bronchitis
 *   heart disease ← myocardial infarction            (another tree: δ to the infections is the cap)
 *   OMIM-like "Bacterial pneumonia, familial" SAME_AS bacterial pneumonia
 *   asthma (alone), annotated only with a SYMP-like "wheezing" that is SAME_AS HPO-like "Wheezing" (a
 *   respiratory abnormality); "unannotated syndrome" (alone), with no finding at all
 *
 * δ to bacterial pneumonia: itself 0, its OMIM equivalent 0, pneumonia 1, LRTI 2, bronchitis 3,
 * respiratory infection 3, infectious disease 4, UTI 5, myocardial infarction / heart disease = cap.
 */
/** A Disease node without synonyms or xrefs (also used by tests that build graphs of their own). */
export const diseaseNode = (id: string, name: string, source = 'DO'): KgNode => ({
  id,
  kind: 'disease',
  name,
  source,
  synonyms: [],
  xrefs: [],
});
const finding = (id: string, name: string, synonyms: string[] = []): KgNode => ({
  id,
  kind: 'finding',
  name,
  source: 'HPO',
  synonyms,
  xrefs: [],
});

export const TINY = {
  root: 'TINY:D0',
  respInfection: 'TINY:D1',
  lrti: 'TINY:D2',
  pneumonia: 'TINY:D3',
  bacterialPneumonia: 'TINY:D4',
  bronchitis: 'TINY:D5',
  uti: 'TINY:D6',
  heartDisease: 'TINY:D7',
  mi: 'TINY:D8',
  familialPneumonia: 'TINYOMIM:1',
  respiratoryAbnormality: 'TINY:F0',
  cough: 'TINY:F1',
  productiveCough: 'TINY:F2',
  crackles: 'TINY:F3',
  fever: 'TINY:F4',
  urinaryAbnormality: 'TINY:F5',
  dysuria: 'TINY:F6',
  cardiovascularAbnormality: 'TINY:F7',
  chestPain: 'TINY:F8',
  elevatedTroponin: 'TINY:F9',
  wheezing: 'TINY:F10',
  asthma: 'TINY:D9',
  unannotated: 'TINY:D10',
  sympWheezing: 'TINYSYMP:1',
} as const;

export function tinyKg(): KgData {
  const t = TINY;
  return {
    nodes: [
      diseaseNode(t.root, 'infectious disease'),
      diseaseNode(t.respInfection, 'respiratory infection'),
      diseaseNode(t.lrti, 'lower respiratory tract infection'),
      diseaseNode(t.pneumonia, 'pneumonia'),
      diseaseNode(t.bacterialPneumonia, 'bacterial pneumonia'),
      diseaseNode(t.bronchitis, 'bronchitis'),
      diseaseNode(t.uti, 'urinary tract infection'),
      diseaseNode(t.heartDisease, 'heart disease'),
      diseaseNode(t.mi, 'myocardial infarction'),
      diseaseNode(t.familialPneumonia, 'Bacterial pneumonia, familial', 'HPO'),
      diseaseNode(t.asthma, 'asthma'),
      diseaseNode(t.unannotated, 'unannotated syndrome'),
      finding(t.respiratoryAbnormality, 'Abnormality of the respiratory system'),
      finding(t.cough, 'Cough'),
      finding(t.productiveCough, 'Productive cough', ['wet cough']),
      finding(t.crackles, 'Crackles', ['rales']),
      finding(t.fever, 'Fever', ['high temperature']),
      finding(t.urinaryAbnormality, 'Abnormality of the urinary system'),
      finding(t.dysuria, 'Dysuria', ['painful urination (it\'s "burning")']),
      finding(t.cardiovascularAbnormality, 'Abnormality of the cardiovascular system'),
      finding(t.chestPain, 'Chest pain'),
      finding(t.elevatedTroponin, 'Increased circulating troponin concentration'),
      finding(t.wheezing, 'Wheezing'),
      { ...finding(t.sympWheezing, 'wheezing'), source: 'SYMP' },
    ],
    isA: [
      { child: t.respInfection, parent: t.root },
      { child: t.lrti, parent: t.respInfection },
      { child: t.pneumonia, parent: t.lrti },
      { child: t.bacterialPneumonia, parent: t.pneumonia },
      { child: t.bronchitis, parent: t.lrti },
      { child: t.uti, parent: t.root },
      { child: t.mi, parent: t.heartDisease },
      { child: t.cough, parent: t.respiratoryAbnormality },
      { child: t.productiveCough, parent: t.cough },
      { child: t.crackles, parent: t.respiratoryAbnormality },
      { child: t.dysuria, parent: t.urinaryAbnormality },
      { child: t.chestPain, parent: t.cardiovascularAbnormality },
      { child: t.elevatedTroponin, parent: t.cardiovascularAbnormality },
      { child: t.wheezing, parent: t.respiratoryAbnormality },
    ],
    hasFinding: [
      { disease: t.pneumonia, finding: t.cough, source: 'DO' },
      { disease: t.pneumonia, finding: t.fever, source: 'DO' },
      { disease: t.familialPneumonia, finding: t.crackles, source: 'HPO' },
      { disease: t.bronchitis, finding: t.productiveCough, source: 'DO' },
      { disease: t.uti, finding: t.dysuria, source: 'DO' },
      { disease: t.uti, finding: t.fever, source: 'DO' },
      { disease: t.mi, finding: t.chestPain, source: 'DO' },
      { disease: t.mi, finding: t.elevatedTroponin, source: 'DO' },
      { disease: t.asthma, finding: t.sympWheezing, source: 'DO' },
    ],
    sameAs: [
      { a: t.bacterialPneumonia, b: t.familialPneumonia, via: 'MIM:1' },
      { a: t.sympWheezing, b: t.wheezing, via: 'name' },
    ],
  };
}
