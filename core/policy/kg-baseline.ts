import type { DiseaseMatch, KgAccess } from '../kg/access';
import type { EntityLinker } from '../linking/linker';
import { clinicalStatements } from '../linking/statements';
import { revealRoots } from '../metrics/test-reveals';
import { seededRandom } from '../random';
import { roundTo } from '../round';
import type { PolicyContext } from './context';
import type { DoctorTurn } from './turn';

/**
 * The offline KG baseline doctor: deterministic, no API key, honestly a baseline. At each turn it
 * 1. links the findings stated in the initial presentation and in every result so far (denials and
 *    unlinked statements count for nothing);
 * 2. ranks diseases by a smoothed cosine similarity of their KG findings to the observed ones,
 *    |matched| / √((|disease findings| + 5) · |observed|) (see KgAccess.diseasesMatching): the smoothing
 *    keeps a disease with one or two recorded findings from winning on a single common one (on the
 *    bundled cases it doubles how often a gold-equivalent disease is in the top five) — the top five are
 *    the differential, likelihoods proportional to the score;
 * 3. commits to the top disease when it dominates the runner-up (score ratio above a threshold) after at
 *    least one round of tests, or on the last turn;
 * 4. otherwise orders the two tests from BASELINE_TESTS that best split the top hypotheses: a test scores
 *    p·(1−p), where p is the likelihood share of the hypotheses with findings under what it can reveal.
 * Its k candidates differ only by seeded choices (commit threshold, which tests, rarely the runner-up
 * as the diagnosis), so candidate 0 is the plain greedy doctor.
 */

/** Common orders the baseline chooses from; each reveals the organ systems test-reveals.ts assigns it. */
export const BASELINE_TESTS = [
  'complete blood count',
  'comprehensive metabolic panel',
  'liver function tests',
  'renal function tests',
  'urinalysis',
  'C-reactive protein and ESR',
  'blood cultures',
  'chest X-ray',
  'CT of the head',
  'MRI of the brain',
  'CT of the chest',
  'CT of the abdomen and pelvis',
  'abdominal ultrasound',
  'echocardiogram',
  'electrocardiogram',
  'thyroid function tests',
  'antinuclear antibodies',
  'lumbar puncture with CSF analysis',
  'EEG',
  'electromyography and nerve conduction studies',
  'pulmonary function tests',
  'ophthalmologic examination',
  'audiometry',
  'genetic testing',
  'creatine kinase',
  'skin biopsy',
  'troponin',
  'MRI of the spine',
  'bone marrow biopsy',
  'endoscopy',
] as const;

const TESTS = BASELINE_TESTS.map((name) => ({ name, roots: revealRoots(name) }));
const ALL_ROOTS = [...new Set(TESTS.flatMap((t) => t.roots))].sort();

export interface BaselineSettings {
  differentialSize: number;
  testsPerTurn: number;
  /** Commit when top score / runner-up score reaches this (candidate 0; others vary it). */
  dominance: number;
}

export const DEFAULT_BASELINE: BaselineSettings = { differentialSize: 5, testsPerTurn: 2, dominance: 1.5 };

interface Ranked {
  disease: DiseaseMatch;
  score: number;
}

export class KgBaselinePolicy {
  constructor(
    private readonly kg: KgAccess,
    private readonly linker: EntityLinker,
    private readonly settings: BaselineSettings = DEFAULT_BASELINE,
  ) {}

  /** k candidate turns for the node the context describes. */
  async propose(context: PolicyContext, k: number): Promise<DoctorTurn[]> {
    const turnIndex = context.past.length;
    const lastTurn = turnIndex + 1 >= context.maxTurns;
    const findings = await this.observedFindings(context);
    const ranked = rank(await this.kg.diseasesMatching(findings), findings.length).slice(0, this.settings.differentialSize);
    const differential = toDifferential(ranked);
    const findingNames = (await this.kg.nodes(findings.slice(0, 8))).map((n) => n.name);
    const ordered = new Set(context.past.flatMap((s) => (s.turn.action.type === 'order_tests' ? s.turn.action.tests : [])));
    const testScores = await this.scoreTests(ranked, differential, ordered);
    const candidates: DoctorTurn[] = [];
    for (let i = 0; i < k; i++) {
      const random = seededRandom(`${context.seed}|${context.path}|${i}`);
      const threshold = i === 0 ? this.settings.dominance : 1.2 + random() * 0.8;
      const top = ranked[0];
      const runnerUp = ranked[1];
      const dominance = top && runnerUp ? top.score / runnerUp.score : top ? Infinity : 0;
      const commit = lastTurn || testScores.length === 0 || (turnIndex >= 1 && dominance >= threshold);
      const reasoning = [
        findingNames.length > 0
          ? `Findings so far: ${findingNames.join('; ')}.`
          : 'No finding could be matched to the knowledge graph yet.',
        ranked.length > 0
          ? `Best knowledge-graph matches: ${ranked
              .slice(0, 3)
              .map((r) => `${r.disease.name} (${r.disease.matched.length} of ${findings.length} findings)`)
              .join(', ')}.`
          : '',
      ];
      if (commit) {
        const pickRunnerUp = i > 0 && runnerUp !== undefined && random() < 0.15;
        const diagnosis = (pickRunnerUp ? runnerUp : top)?.disease.name ?? differential[0]?.diagnosis ?? 'undetermined';
        reasoning.push(
          lastTurn
            ? `This is the last turn: committing to ${diagnosis}.`
            : testScores.length === 0
              ? `No test left to order can tell the hypotheses apart: committing to ${diagnosis}.`
              : `${diagnosis} dominates the differential.`,
        );
        candidates.push({
          reasoning: reasoning.filter(Boolean).join(' '),
          differential,
          action: { type: 'final_diagnosis', diagnosis },
        });
        continue;
      }
      const tests = pickTests(testScores, this.settings.testsPerTurn, i === 0 ? undefined : random);
      reasoning.push(`To tell the leading hypotheses apart, order ${tests.join(' and ')}.`);
      candidates.push({
        reasoning: reasoning.filter(Boolean).join(' '),
        differential,
        action: {
          type: 'order_tests',
          tests,
          rationale: `These tests can reveal findings that some of the leading hypotheses have and others lack.`,
        },
      });
    }
    return candidates;
  }

  private async observedFindings(context: PolicyContext): Promise<string[]> {
    const statements = clinicalStatements(context.o1);
    for (const step of context.past) {
      for (const result of step.results) for (const item of result.items) statements.push(...clinicalStatements(item.result));
    }
    const findings = new Set<string>();
    for (const statement of statements) {
      const top = (await this.linker.link(statement, 'finding')).matches[0];
      if (top) findings.add(top.id);
    }
    return [...findings].sort();
  }

  private async scoreTests(ranked: Ranked[], differential: DoctorTurn['differential'], ordered: Set<string>) {
    const rootsOf = await this.kg.findingRootsOf(
      ranked.map((r) => r.disease.id),
      ALL_ROOTS,
    );
    return TESTS.filter((t) => !ordered.has(t.name))
      .map((test) => {
        let p = 0;
        ranked.forEach((r, i) => {
          const roots = new Set(rootsOf[r.disease.id] ?? []);
          if (test.roots.some((root) => roots.has(root))) p += differential[i]?.likelihood ?? 0;
        });
        return { name: test.name, p, score: p * (1 - p) + 0.05 * p };
      })
      .filter((t) => t.p > 0)
      .sort((a, b) => b.score - a.score);
  }
}

/** Pseudo-findings added to every disease's count in the similarity (see the class comment). */
const SMOOTHING = 5;

function rank(matches: DiseaseMatch[], observed: number): Ranked[] {
  return matches
    .map((disease) => ({ disease, score: disease.matched.length / Math.sqrt((disease.findingCount + SMOOTHING) * observed) }))
    .sort(
      (a, b) =>
        b.score - a.score || b.disease.matched.length - a.disease.matched.length || a.disease.id.localeCompare(b.disease.id),
    );
}

function toDifferential(ranked: Ranked[]): DoctorTurn['differential'] {
  if (ranked.length === 0) return [{ diagnosis: 'undetermined condition', likelihood: 1 }];
  const total = ranked.reduce((sum, r) => sum + r.score, 0);
  return ranked.map((r) => ({ diagnosis: r.disease.name, likelihood: roundTo(r.score / total, 2) }));
}

/** The best tests, or (candidates after the first) a seeded draw from the best five weighted by score. */
function pickTests(scored: { name: string; score: number }[], n: number, random?: () => number): string[] {
  if (!random) return scored.slice(0, n).map((t) => t.name);
  const pool = scored.slice(0, 5);
  const chosen: string[] = [];
  while (chosen.length < n && pool.length > 0) {
    const total = pool.reduce((sum, t) => sum + t.score, 0);
    let r = random() * total;
    let index = pool.findIndex((t) => (r -= t.score) < 0);
    if (index < 0) index = pool.length - 1;
    chosen.push((pool.splice(index, 1)[0] as { name: string }).name);
  }
  return chosen;
}
