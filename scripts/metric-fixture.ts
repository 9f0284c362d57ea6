/**
 * Writes labelled trajectories for validating the metrics (docs/metrics.md, "Validation"): for each usable
 * case, sound work-ups that end on the gold and trajectories with one named defect, in `medaction score`'s
 * turn format, with the case's real test menu behind every order (the oracle answers them when scored).
 *
 *   npx tsx scripts/metric-fixture.ts [--cases <cases.jsonl|medrbench.json>] [--format canonical|medrbench]
 *                                    [--split dev|held-out] [--max-cases N] [--out test/fixtures/metric-trajectories.jsonl]
 *
 * The committed fixture is made from the bundled (development) cases; the held-out half of the extra
 * MedR-Bench cases (`--cases <the 857 extra MedR-Bench cases, medrbench-dev-857.json> --format medrbench --split
 * held-out`) gives the unseen figures of docs/metrics.md.
 *
 * How a trajectory is built, per case (gold G, two alternatives A1, A2 the presentation also suggests):
 * - the informative tests are menu items whose real results the KG relates to G and not to A1 (what a
 *   clinician orders to tell G from A1); the off-target tests look at an organ system none of the three
 *   hypotheses involves;
 * - good: the differential moves towards G after each informative result (two variants: G first or
 *   second at the start), and ends on G;
 * - lucky guess: moves towards A1 for three turns, G drops out, then a final G;
 * - stalled: the same differential, far from G, for three turns, then a final G;
 * - unsupported jump: a disease the results say nothing about takes the lead, then G;
 * - ungrounded order: a good work-up that also orders an off-target test each turn;
 * - shotgun: eight tests at once, most of them off-target or not in the report, then a final G;
 * - premature closure: a final G on the presentation alone;
 * - ignoring a decisive result: the differential stays put after a result that singles out G (made only
 *   when the menu has one), and after the next ones, then G.
 * The alternatives, tests and wording come from the case and the KG; what makes a trajectory good or bad
 * is its construction, fixed before any metric looks at it.
 */
import { writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Case } from '../core/cases/model';
import { importCases } from '../core/cases/import';
import { buildKg } from '../core/kg/build';
import { MemoryKg } from '../core/kg/memory-kg';
import { EntityLinker } from '../core/linking/linker';
import { clinicalStatements } from '../core/linking/statements';
import { linkGold } from '../core/dataset/score-case';
import { TestMenuOracle } from '../core/oracle/oracle';
import { revealRoots } from '../core/metrics/test-reveals';
import { bundledCases } from '../stores/bundled-cases';
import { splitOf } from './data-split';
import { bundledKgSourceDir, readKgSources } from '../stores/kg-sources';

const { values: args } = parseArgs({
  options: {
    cases: { type: 'string' },
    format: { type: 'string', default: 'canonical' },
    split: { type: 'string' },
    'max-cases': { type: 'string', default: '20' },
    out: { type: 'string', default: 'test/fixtures/metric-trajectories.jsonl' },
  },
});

/** Tests of organ systems far from most presentations; a case uses those none of its hypotheses involves. */
const OFF_TARGET_POOL = [
  'audiometry',
  'EEG',
  'urodynamic studies',
  'sweat chloride test',
  'polysomnography',
  'mammography',
  'nerve conduction studies',
  'pulmonary function tests',
  'ophthalmologic examination',
  'serum ammonia',
  'echocardiogram',
  'urinalysis',
];

interface Hypothesis {
  name: string;
  node: string;
}

type Label =
  | 'good'
  | 'lucky_guess'
  | 'stalled_differential'
  | 'unsupported_jump'
  | 'ungrounded_order'
  | 'shotgun_ordering'
  | 'premature_closure'
  | 'ignoring_decisive_result';

interface FixtureTurn {
  reasoning: string;
  differential: { diagnosis: string; likelihood: number }[];
  action: { type: 'order_tests'; tests: string[]; rationale: string } | { type: 'final_diagnosis'; diagnosis: string };
}

interface FixtureLine {
  id: string;
  case_id: string;
  label: Label;
  gold: string;
  turns: FixtureTurn[];
}

async function main(): Promise<void> {
  const cases = readCases();
  const kg = new MemoryKg(buildKg(await readKgSources(bundledKgSourceDir())));
  const linker = new EntityLinker(kg);
  const names = async (ids: string[]) => new Map((await kg.nodes(ids)).map((n) => [n.id, n.name]));
  const findingsOf = async (text: string) => {
    const found = new Set<string>();
    for (const statement of clinicalStatements(text)) {
      const top = (await linker.link(statement, 'finding')).matches[0];
      if (top) found.add(top.id);
    }
    return [...found];
  };

  const lines: FixtureLine[] = [];
  let used = 0;
  const skips: Record<string, number> = {};
  const skip = (why: string) => {
    skips[why] = (skips[why] ?? 0) + 1;
  };
  for (const testCase of cases) {
    if (used >= Number(args['max-cases'])) break;
    const goldNode = await linkGold(linker, testCase);
    if (!goldNode || (await kg.annotatedDiseases([goldNode])).length === 0) {
      skip('gold not linked or not annotated');
      continue;
    }
    const gold: Hypothesis = { name: testCase.gold.short.replace(/\.$/, ''), node: goldNode };

    // Alternatives: annotated diseases sharing the most presentation findings, not near the gold.
    const o1Findings = await findingsOf(testCase.o1.text);
    const matches = (await kg.diseasesMatching(o1Findings))
      .filter((m) => m.id.startsWith('DOID:') && m.id !== goldNode)
      .sort((a, b) => b.matched.length - a.matched.length || a.findingCount - b.findingCount || a.id.localeCompare(b.id));
    const alternatives: Hypothesis[] = [];
    for (const m of matches) {
      if (alternatives.length === 3) break;
      const [d] = await kg.diseaseDistances([[m.id, goldNode]], 6);
      if ((d as number) < 2 || alternatives.some((a) => a.node === m.id)) continue;
      alternatives.push({ name: m.name, node: m.id });
    }
    if (alternatives.length < 3) {
      skip('fewer than 3 alternatives');
      continue;
    }
    const [a1, a2, outsider] = alternatives as [Hypothesis, Hypothesis, Hypothesis];

    // Informative tests: menu items answered by their own name whose results support G but not A1.
    const oracle = new TestMenuOracle(testCase);
    // The first one also fails to support A1 (it tells the two apart).
    const discriminating: string[] = [];
    const confirming: string[] = [];
    // Further tests are any other menu items (their results may say nothing the KG can read, as in life).
    const further: string[] = [];
    for (const item of testCase.menu) {
      const parts = item.name.split(' › ');
      const order = parts.length > 1 ? `${parts[0]} ${parts[parts.length - 1]}` : (parts[0] as string);
      const answer = oracle.ask(order);
      if (answer.status !== 'result' || [...discriminating, ...confirming, ...further].includes(order)) continue;
      if (/pending|not (?:done|performed|available)/i.test(item.result)) continue;
      const findings = await findingsOf(answer.items.map((i) => i.result).join('. '));
      const supported: Set<string> = new Set<string>(
        findings.length > 0 ? await kg.supportedDiseases([goldNode, a1.node], findings) : [],
      );
      if (!supported.has(goldNode)) further.push(order);
      else (supported.has(a1.node) ? confirming : discriminating).push(order);
    }
    const informative = [...discriminating, ...confirming, ...further].slice(0, 3);
    if (discriminating.length + confirming.length < 1 || informative.length < 2) {
      skip('no result the KG relates to the gold');
      continue;
    }
    // The unsupported jump goes to a disease the first result says nothing about.
    const firstFindings = await findingsOf(
      oracle
        .ask(informative[0] as string)
        .items.map((i) => i.result)
        .join('. '),
    );
    if ((await kg.supportedDiseases([outsider.node], firstFindings)).length > 0) {
      skip('outsider supported');
      continue;
    }

    // Off-target tests: none of G, A1, A2 has a finding under anything they can reveal.
    const offTarget: string[] = [];
    for (const test of OFF_TARGET_POOL) {
      const roots = revealRoots(test);
      const rootsOf = await kg.findingRootsOf([goldNode, a1.node, a2.node], roots);
      if (Object.values(rootsOf).every((r) => r.length === 0)) offTarget.push(test);
    }
    if (offTarget.length < 2) {
      skip('fewer than 2 off-target tests');
      continue;
    }
    used++;
    const nodeNames = await names([a1.node, a2.node, outsider.node]);
    const label = (h: Hypothesis) => nodeNames.get(h.node) ?? h.name;
    const [t1, t2] = informative as [string, string];
    const t3 = informative[2] ?? t2;
    const [u1, u2] = offTarget as [string, string];
    const ddx = (...entries: [Hypothesis, number][]) =>
      entries.map(([h, p]) => ({ diagnosis: h === gold ? h.name : label(h), likelihood: p }));
    const order = (
      tests: string[],
      differential: FixtureTurn['differential'],
      reasoning: string,
      rationale: string,
    ): FixtureTurn => ({
      reasoning,
      differential,
      action: { type: 'order_tests', tests, rationale },
    });
    const final = (differential: FixtureTurn['differential'], reasoning: string): FixtureTurn => ({
      reasoning,
      differential,
      action: { type: 'final_diagnosis', diagnosis: gold.name },
    });
    const g = gold.name;
    const add = (kind: Label, variant: string, turns: FixtureTurn[]) =>
      lines.push({ id: `${testCase.id}/${kind}${variant}`, case_id: testCase.id, label: kind, gold: g, turns });

    add('good', '/1', [
      order(
        [t1],
        ddx([a1, 0.4], [gold, 0.35], [a2, 0.25]),
        `The presentation fits ${label(a1)} or ${g}; ${label(a2)} is less likely.`,
        `${t1} separates ${g} from ${label(a1)}.`,
      ),
      order([t2], ddx([gold, 0.6], [a1, 0.25], [a2, 0.15]), `The ${t1} result points to ${g}.`, `${t2} to confirm.`),
      final(ddx([gold, 0.85], [a1, 0.1], [a2, 0.05]), `${t2} confirms ${g}.`),
    ]);
    add('good', '/2', [
      order(
        [t2],
        ddx([gold, 0.45], [a1, 0.35], [a2, 0.2]),
        `${g} is my leading diagnosis; ${label(a1)} must be excluded.`,
        `${t2} should show it.`,
      ),
      order([t1], ddx([gold, 0.7], [a1, 0.2], [a2, 0.1]), `${t2} supports ${g}.`, `${t1} for more certainty.`),
      order([t3], ddx([gold, 0.85], [a1, 0.1], [a2, 0.05]), `${t1} supports ${g} further.`, `${t3} completes the work-up.`),
      final(ddx([gold, 0.9], [a1, 0.07], [a2, 0.03]), `Everything fits ${g}.`),
    ]);
    add('lucky_guess', '', [
      order([t1], ddx([a1, 0.45], [gold, 0.3], [a2, 0.25]), `${label(a1)} fits best.`, `${t1} to look for it.`),
      order([t2], ddx([a1, 0.6], [a2, 0.25], [gold, 0.15]), `I read ${t1} as in keeping with ${label(a1)}.`, `${t2}.`),
      order([u1], ddx([a1, 0.75], [a2, 0.25]), `${label(a1)} is now very likely; ${g} is out.`, `${u1} for complications.`),
      final(ddx([gold, 0.5], [a1, 0.5]), `On reflection, ${g}.`),
    ]);
    add('stalled_differential', '', [
      order([t1], ddx([a1, 0.5], [a2, 0.3], [gold, 0.2]), `${label(a1)} first, then ${label(a2)}.`, `${t1}.`),
      order([t2], ddx([a1, 0.5], [a2, 0.3], [gold, 0.2]), `No change.`, `${t2}.`),
      order([t3], ddx([a1, 0.5], [a2, 0.3], [gold, 0.2]), `Still no change.`, `${t3}.`),
      final(ddx([gold, 0.5], [a1, 0.3], [a2, 0.2]), `I will settle on ${g}.`),
    ]);
    add('unsupported_jump', '', [
      order([t1], ddx([gold, 0.4], [a1, 0.35], [a2, 0.25]), `${g} or ${label(a1)}.`, `${t1}.`),
      order([t2], ddx([outsider, 0.7], [gold, 0.2], [a1, 0.1]), `This must be ${label(outsider)}.`, `${t2}.`),
      order([t3], ddx([outsider, 0.6], [gold, 0.3], [a1, 0.1]), `Still ${label(outsider)}.`, `${t3}.`),
      final(ddx([gold, 0.7], [outsider, 0.2], [a1, 0.1]), `${g} after all.`),
    ]);
    add('ungrounded_order', '', [
      order([t1, u1], ddx([a1, 0.4], [gold, 0.35], [a2, 0.25]), `${label(a1)} or ${g}.`, `${t1}, and ${u1} as a routine.`),
      order([t2, u2], ddx([gold, 0.6], [a1, 0.25], [a2, 0.15]), `${t1} points to ${g}.`, `${t2}, and ${u2} as well.`),
      final(ddx([gold, 0.85], [a1, 0.1], [a2, 0.05]), `${g}.`),
    ]);
    add('shotgun_ordering', '', [
      order(
        [t1, ...offTarget.slice(0, 4), 'serum ceruloplasmin', 'bone marrow biopsy', 'whole-body PET-CT'].slice(0, 8),
        ddx([a1, 0.4], [gold, 0.35], [a2, 0.25]),
        `Broad differential: let us test everything.`,
        `Cover all bases.`,
      ),
      final(ddx([gold, 0.6], [a1, 0.25], [a2, 0.15]), `${g} fits the results.`),
    ]);
    add('premature_closure', '', [final(ddx([gold, 0.5], [a1, 0.3], [a2, 0.2]), `This looks like ${g}.`)]);
    // Only a result that singles out G (supports it, not the leading A1) is decisive.
    if (discriminating.length > 0)
      add('ignoring_decisive_result', '', [
        order([t1], ddx([a1, 0.5], [gold, 0.3], [a2, 0.2]), `${label(a1)} leads.`, `${t1}.`),
        order([t2], ddx([a1, 0.5], [gold, 0.3], [a2, 0.2]), `${label(a1)} still leads.`, `${t2}.`),
        order([t3], ddx([a1, 0.5], [gold, 0.3], [a2, 0.2]), `Unchanged.`, `${t3}.`),
        final(ddx([gold, 0.5], [a1, 0.3], [a2, 0.2]), `${g}.`),
      ]);
  }
  writeFileSync(args.out as string, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  process.stderr.write(
    `${lines.length} trajectories from ${used} cases written to ${args.out}; cases skipped: ${JSON.stringify(skips)}\n`,
  );
}

function readCases(): Case[] {
  if (!args.cases) return bundledCases();
  const text = readFileSync(args.cases, 'utf8');
  if (args.format === 'canonical')
    return text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Case);
  const cases = importCases(text, args.format as 'medrbench', args.cases).cases;
  return args.split ? cases.filter((c) => splitOf(c.id) === args.split) : cases;
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
