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
  const summary = (m: Awaited<ReturnType<typeof computeTrajectoryMetrics>>) => ({
    dtc: m.dtc,
    rac: m.rac,
    rac0: m.rac0,
    grounded: m.groundedOrdering,
    answered: m.answered,
    converged: m.converged,
  });

  it('converging: h falls at every step, every shift of belief has support, the order tells the hypotheses apart', async () => {
    const m = await computeTrajectoryMetrics(kg, SCENARIOS.converging!, gold);
    // h_0 = 0.5·δ(UTI)=5 + 0.5·δ(pneumonia)=1 = 3; h_1 = 0.3·1.
    expect(m.turns.map((t) => t.hypothesisDistance)).toEqual([3, 0.3]);
    expect(m.turns.map((t) => t.goldRank)).toEqual([null, 1]);
    // Crackles support bacterial pneumonia's entry (through its OMIM equivalent); the falls went to it.
    expect(m.turns[1]!.updates.map((u) => [u.node, u.kind, u.supported])).toEqual([
      [T.bacterialPneumonia, 'refine', true],
      [T.uti, 'drop', true],
      [T.pneumonia, 'fall', true],
    ]);
    // The chest X-ray would show pneumonia's cough, not UTI's findings: one bit.
    expect(m.turns[0]!.orders).toEqual([{ test: 'chest x-ray', grounded: true, information: 1, answered: true }]);
    expect(summary(m)).toEqual({ dtc: 1, rac: 1, rac0: 1, grounded: 1, answered: 1, converged: true });
  });

  it('wandering: moving away from the gold scores DTC 0', async () => {
    const m = await computeTrajectoryMetrics(kg, SCENARIOS.wandering!, gold);
    expect(m.turns.map((t) => t.hypothesisDistance)).toEqual([1, 2.2, 5]);
    expect(m.turns.map((t) => t.converging)).toEqual([null, false, false]);
    // Urinalysis with bronchitis and pneumonia in mind: neither has a urinary finding.
    expect(m.turns.map((t) => t.orders.map((o) => o.grounded))).toEqual([[true], [false], []]);
    expect(summary(m)).toMatchObject({ dtc: 0, grounded: 0.5, converged: false });
  });

  it('lucky guess: a stalled differential far from the gold, then a jump to it on no evidence', async () => {
    const m = await computeTrajectoryMetrics(kg, SCENARIOS.luckyGuess!, gold);
    // 0.9·5 + 0.1·3 = 4.8 twice (stalled, not converging), then 0.
    expect(m.turns.map((t) => t.hypothesisDistance)).toEqual([4.8, 4.8, 0]);
    expect(m.turns.map((t) => t.converging)).toEqual([null, false, true]);
    // Fever backs the leading UTI: nothing decisive was ignored at turn 1 (nothing judged); the blood culture
    // came back UNAVAILABLE, so the jump at turn 2 rests on nothing.
    expect(m.turns.map((t) => [t.rac, t.ignoredEvidence])).toEqual([
      [0.5, false],
      [null, false],
      [0, false],
    ]);
    // Turn 0 (reported apart): dysuria supports UTI, not bronchitis. A blood culture reveals nothing the
    // lexicon can name here (grounding abstains on it) and came back UNAVAILABLE.
    expect(summary(m)).toEqual({ dtc: 0.5, rac: 0, rac0: 0.5, grounded: 1, answered: 0.5, converged: true });
  });

  it('unsupported jump: a new hypothesis the new evidence does not touch (the KG abstains on the fall it cannot relate)', async () => {
    const m = await computeTrajectoryMetrics(kg, SCENARIOS.unsupportedJump!, gold);
    expect(m.turns[1]!.updates.map((u) => [u.node, u.kind, u.supported])).toEqual([
      [T.mi, 'entry', false],
      [T.pneumonia, 'fall', null],
    ]);
    expect([m.dtc, m.rac, m.converged, m.finalDistance]).toEqual([0, 0, false, 6]);
  });

  it("reasoning by exclusion: a negative result refutes UTI, so its fall and pneumonia's rise are supported", async () => {
    const m = await computeTrajectoryMetrics(kg, SCENARIOS.exclusion!, gold);
    expect(m.turns[1]!.updates.map((u) => [u.node, u.kind, u.supported])).toEqual([
      [T.pneumonia, 'rise', true],
      [T.uti, 'fall', true],
    ]);
    expect(summary(m)).toEqual({ dtc: 1, rac: 1, rac0: 1, grounded: 1, answered: 1, converged: true });
  });

  it('ignoring a decisive result: the differential holds still while a negative result refutes one of its hypotheses', async () => {
    const m = await computeTrajectoryMetrics(kg, SCENARIOS.ignoredResult!, gold);
    expect(m.turns[1]).toMatchObject({ updates: [], ignoredEvidence: true, rac: 0, converging: false });
    expect(summary(m)).toMatchObject({ rac: 0, dtc: 0 });
  });

  it('ungrounded order: tests that cannot show anything of the hypotheses the KG knows', async () => {
    const m = await computeTrajectoryMetrics(kg, SCENARIOS.ungroundedOrder!, gold);
    // The unlinked hypothesis carries no weight in the KG's view; pneumonia leads alone.
    expect(m.turns[0]!.orders.map((o) => [o.test, o.grounded, o.information])).toEqual([
      ['urinalysis', false, 0],
      ['chest x-ray', true, 0],
      // Nobody can say what it would reveal: abstains.
      ['a test nobody knows', null, 0],
    ]);
    expect([m.groundedOrdering, m.dtc, m.turns[0]!.hypothesisDistance]).toEqual([0.5, null, 1]);
  });

  it('abstains where the KG knows nothing: no gold node (DTC null), no annotated hypothesis (RAC and grounding null)', async () => {
    const m = await computeTrajectoryMetrics(kg, SCENARIOS.unknownToTheKg!, null);
    expect(summary(m)).toEqual({ dtc: null, rac: null, rac0: null, grounded: null, answered: 1, converged: false });
    expect(m.turns.map((t) => t.hypothesisDistance)).toEqual([null, null]);
  });
});

describe('what an order can reveal', () => {
  it('maps tests to finding roots: organ systems for imaging, analytes for the common labs', () => {
    expect(revealRoots('CT of the chest with contrast')).toEqual(
      expect.arrayContaining(['HP:0002086', 'HP:0001626', 'HP:0002664']),
    );
    // Labs reveal analytes, not the whole of metabolism: a urinalysis shows urinary findings, a CBC blood counts.
    expect(revealRoots('urinalysis')).toEqual(['HP:0000093', 'HP:0000119', 'HP:0000790', 'HP:0012211']);
    expect(revealRoots('CBC')).toEqual(['HP:0001877', 'HP:0001903', 'HP:0011873', 'HP:0011893']);
    expect(revealRoots('CBC')).not.toContain('HP:0001871');
    expect(revealRoots('echocardiogram')).toEqual(['HP:0001626']);
    expect(revealRoots('a psychic reading')).toEqual([]);
  });
});

describe('linking a text trajectory', () => {
  it('links evidence to findings (a denial to the finding it denies), hypotheses and final diagnoses to diseases, orders to finding roots', async () => {
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
        negativeFindings: [T.cough],
        evidenceCount: 2,
        differential: [
          { diagnosis: 'UTI', likelihood: 0.5, node: T.uti },
          { diagnosis: 'pneumonia', likelihood: 0.5, node: T.pneumonia },
        ],
        orders: [{ test: 'chest x-ray', revealRoots: revealRoots('chest x-ray'), answered: true }],
      },
      {
        newFindings: [T.crackles],
        negativeFindings: [],
        evidenceCount: 1,
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
