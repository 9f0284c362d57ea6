import { newCase, type Case } from '../core/cases/model';
import { seededRandom } from '../core/random';

/** The size of the reference build: 2,896 cases (32,681 trajectories). */
export const REFERENCE_CASES = 2896;

/** The o1 section that names a benchmark case; the benchmark LLM server finds the case by it. */
export const RECORD_SECTION = 'Benchmark record';

/**
 * A benchmark corpus of n cases made from the bundled ones: case i is bundled case (i mod m) with a new
 * id and seeded variations — the patient's age moved by up to ±9 years, up to a quarter of the test menu
 * left out (never all of it) and the menu order shuffled — plus a record line that makes every o1, and so
 * every LLM request, its own. The same inputs always give the same corpus.
 */
export function benchmarkCorpus(base: readonly Case[], n: number, seed = 0): Case[] {
  if (base.length === 0) throw new Error('benchmark corpus: no base cases');
  return Array.from({ length: n }, (_, i) => {
    const source = base[i % base.length] as Case;
    const random = seededRandom(`bench-corpus|${seed}|${i}`);
    const shift = Math.floor(random() * 19) - 9;
    const menu = shuffled(source.menu, random);
    const drop = Math.min(menu.length - 1, Math.floor(random() * (menu.length / 4 + 1)));
    const kept = new Set(menu.slice(0, menu.length - drop).map((m) => m.id));
    const record = benchmarkRecordId(i);
    return newCase({
      id: `${record}-${source.id}`,
      source: source.source,
      o1: [...source.o1.sections.map((s) => ({ ...s, text: shiftAges(s.text, shift) })), { title: RECORD_SECTION, text: record }],
      // Report order (ids m1, m2, …) is kept; only which items remain varies.
      menu: source.menu.filter((m) => kept.has(m.id)),
      gold: source.gold,
      metadata: { ...source.metadata, benchmark_base_case: source.id },
    });
  });
}

export function benchmarkRecordId(index: number): string {
  return `bench-${String(index + 1).padStart(5, '0')}`;
}

/** The corpus index a benchmark o1 text names, or undefined. */
export function recordIndexIn(text: string): number | undefined {
  const match = new RegExp(`${RECORD_SECTION}: bench-(\\d{5})`).exec(text);
  return match ? Number(match[1]) - 1 : undefined;
}

/** "51-year-old" → "55-year-old" (never below 1): the same clinical picture, another patient. */
function shiftAges(text: string, shift: number): string {
  return text.replace(
    /\b(\d{1,3})([- ]year[- ]old)/g,
    (_, age: string, rest: string) => `${Math.max(1, Number(age) + shift)}${rest}`,
  );
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
