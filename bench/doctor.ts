import type { Case } from '../core/cases/model';
import { seededRandom } from '../core/random';
import { recordIndexIn } from './corpus';

/**
 * The doctor the benchmark LLM server plays: valid turns for any benchmark case, chosen by the case (its
 * record line in o1), the turn number and the request's seed, so the same request always gets the same
 * reply and the k candidates at a node (k seeds) differ. It orders tests from the case's real menu
 * (so the oracle answers them), keeps the gold in a differential that sharpens turn by turn, and commits
 * with the shares of `DoctorShape` — mostly to the gold, sometimes to a distractor (rejected paths).
 */
export interface DoctorShape {
  maxTurns: number;
  /** Chance that a candidate at turn t (0-based) is a final diagnosis; the last allowed turn always is. */
  finalShare: readonly number[];
  /** Chance that a final diagnosis names the gold. */
  correctShare: number;
}

/** k = 4, 3 turns: about 11 kept trajectories per case, like the reference build (32,681 / 2,896). */
export const BENCH_SHAPE: DoctorShape = { maxTurns: 3, finalShare: [0, 0.5], correctShare: 0.95 };
export const BENCH_BRANCHING = 4;

export interface ChatBody {
  messages: { role: string; content: string }[];
  seed?: number;
}

export function benchDoctor(corpus: readonly Case[], shape: DoctorShape): (body: ChatBody) => string {
  const golds = corpus.map((c) => c.gold.short);
  return (body) => {
    const o1 = body.messages[1]?.content ?? '';
    const index = recordIndexIn(o1);
    const testCase = index === undefined ? undefined : corpus[index];
    if (index === undefined || !testCase)
      throw new Error('not a benchmark case (no known record line in the first user message)');
    const past = body.messages.filter((m) => m.role === 'assistant').map((m) => JSON.parse(m.content) as PastTurn);
    const turn = past.length;
    const random = seededRandom(`bench-doctor|${index}|${turn}|${body.seed ?? 0}`);
    const gold = testCase.gold.short;
    const distractors = [pick(golds, random, gold), pick(golds, random, gold)];
    const ordered = new Set(past.flatMap((p) => p.action.tests ?? []));
    const open = testCase.menu.filter((m) => !ordered.has(m.name));
    const mustCommit = turn + 1 >= shape.maxTurns || open.length === 0;
    const goldWeight = Math.min(0.9, 0.45 + 0.15 * turn);
    if (mustCommit || random() < (shape.finalShare[turn] ?? 1)) {
      const correct = random() < shape.correctShare;
      // Doctors word the same diagnosis differently (distinct final actions, so distinct branches).
      const wordings = goldWordings(testCase);
      const diagnosis = correct ? (wordings[Math.floor(random() * wordings.length)] as string) : (distractors[0] as string);
      const differential = correct
        ? ranked(
            [gold, goldWeight],
            [distractors[0] as string, (1 - goldWeight) * 0.6],
            [distractors[1] as string, (1 - goldWeight) * 0.4],
          )
        : ranked([diagnosis, 0.6], [gold, 0.3], [distractors[1] as string, 0.1]);
      return JSON.stringify({
        reasoning: `Taken together, the presentation and results fit ${diagnosis} best.`,
        differential,
        action: { type: 'final_diagnosis', diagnosis },
      });
    }
    const count = Math.min(open.length, 1 + Math.floor(random() * 3));
    const tests: string[] = [];
    while (tests.length < count) {
      const name = (open[Math.floor(random() * open.length)] as Case['menu'][number]).name;
      if (!tests.includes(name)) tests.push(name);
    }
    return JSON.stringify({
      reasoning: `The leading hypothesis is ${gold}; ${tests.join(', ')} should separate it from ${distractors[0]}.`,
      differential: ranked(
        [gold, goldWeight],
        [distractors[0] as string, (1 - goldWeight) * 0.6],
        [distractors[1] as string, (1 - goldWeight) * 0.4],
      ),
      action: { type: 'order_tests', tests, rationale: 'to confirm or exclude the leading hypothesis' },
    });
  };
}

/** The gold as a doctor may word it: the case's short and long forms, and the short form without its brackets. */
export function goldWordings(testCase: Case): string[] {
  const bare = testCase.gold.short.replace(/\s*\([^)]*\)/g, '').replace(/[.\s]+$/, '');
  const forms = [testCase.gold.short, testCase.gold.long.split('\n')[0] as string, bare].map((f) => f.trim()).filter(Boolean);
  return [
    ...new Map(
      forms.map((f) => [
        f
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, ' ')
          .trim(),
        f,
      ]),
    ).values(),
  ];
}

interface PastTurn {
  action: { type: string; tests?: string[] };
}

function pick(names: readonly string[], random: () => number, not: string): string {
  for (let tries = 0; tries < 20; tries++) {
    const name = names[Math.floor(random() * names.length)] as string;
    if (name.toLowerCase() !== not.toLowerCase()) return name;
  }
  return 'viral infection';
}

function ranked(...entries: [string, number][]): { diagnosis: string; likelihood: number }[] {
  const seen = new Set<string>();
  return entries
    .filter(([name]) => !seen.has(name.toLowerCase()) && seen.add(name.toLowerCase()))
    .sort((a, b) => b[1] - a[1])
    .map(([diagnosis, likelihood]) => ({ diagnosis, likelihood: Math.round(likelihood * 100) / 100 }));
}
