import type { LinkedTurn } from '../../core/metrics/trajectory-metrics';
import { TINY as T } from './tiny-kg';

const h = (node: string, likelihood: number) => ({ diagnosis: node, node, likelihood });
const order = (test: string, revealRoots: string[], answered = true) => ({ test, revealRoots, answered });

/** UTI or pneumonia after a fever; the urinalysis shows no dysuria; then the given differential and diagnosis. */
function noDysuriaAfterUrinalysis(after: LinkedTurn['differential'], final: LinkedTurn['final']): LinkedTurn[] {
  return [
    {
      newFindings: [T.fever],
      differential: [h(T.uti, 0.5), h(T.pneumonia, 0.5)],
      orders: [order('urinalysis', [T.urinaryAbnormality])],
    },
    { newFindings: [], negativeFindings: [T.dysuria], evidenceCount: 1, differential: after, orders: [], final },
  ];
}

/** Hand-built trajectories over the tiny KG, all with gold = bacterial pneumonia (expected values in the tests). */
export const SCENARIOS: Record<string, LinkedTurn[]> = {
  converging: [
    {
      newFindings: [T.fever],
      differential: [h(T.uti, 0.5), h(T.pneumonia, 0.5)],
      orders: [order('chest x-ray', [T.respiratoryAbnormality])],
    },
    {
      newFindings: [T.crackles],
      differential: [h(T.bacterialPneumonia, 0.7), h(T.pneumonia, 0.3)],
      orders: [],
      final: { diagnosis: 'bacterial pneumonia', node: T.bacterialPneumonia },
    },
  ],
  wandering: [
    {
      newFindings: [T.cough],
      differential: [h(T.pneumonia, 1)],
      orders: [order('sputum culture', [T.respiratoryAbnormality])],
    },
    {
      newFindings: [T.productiveCough],
      differential: [h(T.bronchitis, 0.6), h(T.pneumonia, 0.4)],
      orders: [order('urinalysis', [T.urinaryAbnormality])],
    },
    {
      newFindings: [T.dysuria],
      differential: [h(T.uti, 1)],
      orders: [],
      final: { diagnosis: 'urinary tract infection', node: T.uti },
    },
  ],
  luckyGuess: [
    {
      newFindings: [T.dysuria],
      differential: [h(T.uti, 0.9), h(T.bronchitis, 0.1)],
      orders: [order('urinalysis', [T.urinaryAbnormality])],
    },
    { newFindings: [T.fever], differential: [h(T.uti, 0.9), h(T.bronchitis, 0.1)], orders: [order('blood culture', [], false)] },
    {
      newFindings: [],
      evidenceCount: 0,
      differential: [h(T.bacterialPneumonia, 1)],
      orders: [],
      final: { diagnosis: 'bacterial pneumonia', node: T.bacterialPneumonia },
    },
  ],
  unsupportedJump: [
    { newFindings: [T.fever], differential: [h(T.pneumonia, 1)], orders: [order('urinalysis', [T.urinaryAbnormality])] },
    { newFindings: [T.dysuria], differential: [h(T.mi, 0.8), h(T.pneumonia, 0.2)], orders: [] },
  ],
  exclusion: noDysuriaAfterUrinalysis([h(T.pneumonia, 0.9), h(T.uti, 0.1)], { diagnosis: 'pneumonia', node: T.pneumonia }),
  ignoredResult: noDysuriaAfterUrinalysis([h(T.uti, 0.5), h(T.pneumonia, 0.5)], {
    diagnosis: 'urinary tract infection',
    node: T.uti,
  }),
  ungroundedOrder: [
    {
      newFindings: [T.productiveCough],
      differential: [h(T.pneumonia, 1), { diagnosis: 'something unheard of', node: null, likelihood: 0 }],
      orders: [
        order('urinalysis', [T.urinaryAbnormality]),
        order('chest x-ray', [T.respiratoryAbnormality]),
        order('a test nobody knows', []),
      ],
    },
  ],
  unknownToTheKg: [
    {
      newFindings: [T.fever],
      differential: [h(T.unannotated, 0.6), { diagnosis: 'space flu', node: null, likelihood: 0.4 }],
      orders: [order('chest x-ray', [T.respiratoryAbnormality])],
    },
    {
      newFindings: [T.cough],
      differential: [h(T.unannotated, 0.9), { diagnosis: 'space flu', node: null, likelihood: 0.1 }],
      orders: [],
    },
  ],
};
