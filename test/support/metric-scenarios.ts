import type { LinkedTurn } from '../../core/metrics/trajectory-metrics';
import { TINY as T } from './tiny-kg';

const h = (node: string, likelihood: number) => ({ diagnosis: node, node, likelihood });

/** Hand-built trajectories over the tiny KG, all with gold = bacterial pneumonia (expected values in the tests). */
export const SCENARIOS: Record<string, LinkedTurn[]> = {
  converging: [
    {
      newFindings: [T.fever],
      differential: [h(T.uti, 0.5), h(T.pneumonia, 0.5)],
      orders: [{ test: 'chest x-ray', revealRoots: [T.respiratoryAbnormality] }],
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
      orders: [{ test: 'sputum culture', revealRoots: [T.respiratoryAbnormality] }],
    },
    {
      newFindings: [T.productiveCough],
      differential: [h(T.bronchitis, 0.6), h(T.pneumonia, 0.4)],
      orders: [{ test: 'urinalysis', revealRoots: [T.urinaryAbnormality] }],
    },
    {
      newFindings: [T.dysuria],
      differential: [h(T.uti, 1)],
      orders: [],
      final: { diagnosis: 'urinary tract infection', node: T.uti },
    },
  ],
  luckyGuess: [
    { newFindings: [T.dysuria], differential: [h(T.uti, 0.9), h(T.bronchitis, 0.1)], orders: [] },
    { newFindings: [T.fever], differential: [h(T.uti, 0.9), h(T.mi, 0.1)], orders: [] },
    {
      newFindings: [],
      differential: [h(T.bacterialPneumonia, 1)],
      orders: [],
      final: { diagnosis: 'bacterial pneumonia', node: T.bacterialPneumonia },
    },
  ],
  unsupportedJump: [
    { newFindings: [T.fever], differential: [h(T.pneumonia, 1)], orders: [] },
    { newFindings: [T.dysuria], differential: [h(T.mi, 0.8), h(T.pneumonia, 0.2)], orders: [] },
  ],
  ungroundedOrder: [
    {
      newFindings: [T.productiveCough],
      differential: [h(T.pneumonia, 1), { diagnosis: 'something unheard of', node: null, likelihood: 0 }],
      orders: [
        { test: 'urinalysis', revealRoots: [T.urinaryAbnormality] },
        { test: 'chest x-ray', revealRoots: [T.respiratoryAbnormality] },
        { test: 'a test nobody knows', revealRoots: [] },
      ],
    },
  ],
};
