import { MemoryKg } from '../../core/kg/memory-kg';
import { computeTrajectoryMetrics } from '../../core/metrics/trajectory-metrics';
import { EntityLinker } from '../../core/linking/linker';
import { linkTrajectory } from '../../core/metrics/link-trajectory';
import { revealRoots } from '../../core/metrics/test-reveals';
import { SCENARIOS } from '../support/metric-scenarios';
import { TINY as T, tinyKg } from '../support/tiny-kg';

const kg = new MemoryKg(tinyKg());
const gold = T.bacterialPneumonia;

describe('KG access on the tiny graph', () => {
  it('measures δ over IS_A in either direction, 0 across SAME_AS, the cap across trees and for unknown ids', async () => {
    const ids = [
      T.bacterialPneumonia,
      T.familialPneumonia,
      T.pneumonia,
      T.lrti,
      T.bronchitis,
      T.respInfection,
      T.root,
      T.uti,
      T.mi,
      'TINY:nope',
    ];
    expect(
      await kg.diseaseDistances(
        ids.map((id) => [id, gold] as [string, string]),
        6,
      ),
    ).toEqual([0, 0, 1, 2, 3, 3, 4, 5, 6, 6]);
    expect(await kg.diseaseDistances([[T.uti, gold]], 4)).toEqual([4]);
  });

  it('supports a disease through itself, its equivalents, its parent or child, and the finding within two IS_A steps', async () => {
    expect(await kg.supportedDiseases([T.pneumonia, T.uti, T.mi], [T.fever])).toEqual([T.pneumonia, T.uti]);
    // bacterial pneumonia: its parent pneumonia has cough; productive cough IS_A cough.
    expect(await kg.supportedDiseases([T.bacterialPneumonia], [T.productiveCough])).toEqual([T.bacterialPneumonia]);
    // pneumonia: its child's equivalent has crackles.
    expect(await kg.supportedDiseases([T.pneumonia], [T.crackles])).toEqual([T.pneumonia]);
    // Siblings are not support: cough's sibling crackles is not an ancestor or descendant of cough.
    expect(await kg.supportedDiseases([T.bronchitis], [T.crackles])).toEqual([]);
    expect(await kg.supportedDiseases([T.respInfection], [T.cough])).toEqual([]);
  });

  it('finds the diseases with a finding under a root', async () => {
    expect(await kg.diseasesWithFindingsUnder([T.pneumonia, T.uti, T.mi], [T.respiratoryAbnormality])).toEqual([T.pneumonia]);
    expect(
      await kg.diseasesWithFindingsUnder([T.pneumonia, T.uti, T.mi], [T.cardiovascularAbnormality, T.urinaryAbnormality]),
    ).toEqual([T.uti, T.mi]);
    // Asthma's only finding is a SYMP-like wheezing, SAME_AS the respiratory system's wheezing.
    expect(await kg.diseasesWithFindingsUnder([T.asthma, T.mi], [T.respiratoryAbnormality])).toEqual([T.asthma]);
    expect(await kg.findingRootsOf([T.asthma], [T.respiratoryAbnormality, T.urinaryAbnormality])).toEqual({
      [T.asthma]: [T.respiratoryAbnormality],
    });
  });

  it('knows which diseases it can say anything about (a finding in their neighbourhood)', async () => {
    expect(await kg.annotatedDiseases([T.unannotated, T.asthma, T.heartDisease, T.lrti, 'TINY:unknown'])).toEqual([
      T.asthma,
      T.heartDisease,
      T.lrti,
    ]);
  });
});

describe('trajectory metrics (docs/metrics.md), exact values', () => {
  it('converging: every step closer to the gold, every update supported, the order grounded', async () => {
    const m = await computeTrajectoryMetrics(kg, SCENARIOS.converging!, gold);
    expect(m.turns.map((t) => t.hypothesisDistance)).toEqual([3, 0.3]);
    expect(m.turns.map((t) => t.goldRank)).toEqual([null, 1]);
    expect(m.turns.map((t) => t.rac)).toEqual([1, 1]);
    expect({
      dtc: m.dtc,
      rac: m.rac,
      grounded: m.groundedOrdering,
      converged: m.converged,
      finalDistance: m.finalDistance,
    }).toEqual({
      dtc: 1,
      rac: 1,
      grounded: 1,
      converged: true,
      finalDistance: 0,
    });
  });

  it('wandering: moving away from the gold scores DTC 0 although each update has support', async () => {
    const m = await computeTrajectoryMetrics(kg, SCENARIOS.wandering!, gold);
    expect(m.turns.map((t) => t.hypothesisDistance)).toEqual([1, 2.2, 5]);
    expect(m.turns.map((t) => t.converging)).toEqual([null, false, false]);
    expect(m.turns.map((t) => t.orders.map((o) => o.grounded))).toEqual([[true], [false], []]);
    expect([m.dtc, m.rac, m.groundedOrdering, m.converged, m.finalDistance]).toEqual([0, 1, 0.5, false, 5]);
  });

  it('lucky guess: the right final answer, reached without support and after diverging', async () => {
    const m = await computeTrajectoryMetrics(kg, SCENARIOS.luckyGuess!, gold);
    expect(m.turns.map((t) => t.hypothesisDistance)).toEqual([4.8, 5.1, 0]);
    expect(m.turns.map((t) => t.rac)).toEqual([0.5, 0, 0]);
    expect(m.turns[2]!.updates).toEqual([{ diagnosis: T.bacterialPneumonia, node: T.bacterialPneumonia, supported: false }]);
    expect([m.dtc, m.rac, m.groundedOrdering, m.converged]).toEqual([0.5, 0.25, 1, true]);
  });

  it('unsupported jump: a hypothesis that the new evidence does not touch', async () => {
    const m = await computeTrajectoryMetrics(kg, SCENARIOS.unsupportedJump!, gold);
    expect(m.turns[1]!.updates).toEqual([{ diagnosis: T.mi, node: T.mi, supported: false }]);
    expect([m.dtc, m.rac, m.converged, m.finalDistance]).toEqual([0, 0.5, false, 6]);
  });

  it('ungrounded order: tests that cannot reveal anything the hypotheses are known for', async () => {
    const m = await computeTrajectoryMetrics(kg, SCENARIOS.ungroundedOrder!, gold);
    expect(m.turns[0]!.orders).toEqual([
      { test: 'urinalysis', grounded: false },
      { test: 'chest x-ray', grounded: true },
      { test: 'a test nobody knows', grounded: false },
    ]);
    expect([m.groundedOrdering, m.rac, m.dtc, m.turns[0]!.hypothesisDistance]).toEqual([0.3333, 0.5, 1, 1]);
  });
});

describe('what an order can reveal', () => {
  it('maps tests to organ-system finding roots', () => {
    expect(revealRoots('CT of the chest with contrast')).toEqual(
      expect.arrayContaining(['HP:0002086', 'HP:0001626', 'HP:0002664']),
    );
    expect(revealRoots('urinalysis')).toEqual(['HP:0000119', 'HP:0001939']);
    expect(revealRoots('echocardiogram')).toEqual(['HP:0001626']);
    expect(revealRoots('a psychic reading')).toEqual([]);
  });
});

describe('linking a text trajectory', () => {
  it('links evidence to findings (denials to nothing), hypotheses and final diagnoses to diseases, orders to finding roots', async () => {
    const linked = await linkTrajectory(new EntityLinker(kg), [
      {
        evidence: ['fever', 'no cough'],
        differential: [
          { diagnosis: 'UTI', likelihood: 0.5 },
          { diagnosis: 'pneumonia', likelihood: 0.5 },
        ],
        orders: ['chest x-ray'],
      },
      {
        evidence: ['crackles in the right lower lobe'],
        differential: [
          { diagnosis: 'bacterial pneumonia', likelihood: 0.7 },
          { diagnosis: 'pneumonia', likelihood: 0.3 },
          { diagnosis: 'space flu', likelihood: 0 },
        ],
        orders: [],
        final: 'Bacterial pneumonia',
      },
    ]);
    expect(linked).toEqual([
      {
        newFindings: [T.fever],
        differential: [
          { diagnosis: 'UTI', likelihood: 0.5, node: T.uti },
          { diagnosis: 'pneumonia', likelihood: 0.5, node: T.pneumonia },
        ],
        orders: [{ test: 'chest x-ray', revealRoots: revealRoots('chest x-ray') }],
      },
      {
        newFindings: [T.crackles],
        differential: [
          { diagnosis: 'bacterial pneumonia', likelihood: 0.7, node: T.bacterialPneumonia },
          { diagnosis: 'pneumonia', likelihood: 0.3, node: T.pneumonia },
          { diagnosis: 'space flu', likelihood: 0, node: null },
        ],
        orders: [],
        final: { diagnosis: 'Bacterial pneumonia', node: T.bacterialPneumonia },
      },
    ]);
    expect(revealRoots('chest x-ray').length).toBeGreaterThan(0);
  });
});
