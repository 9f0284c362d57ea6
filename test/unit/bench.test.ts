import { benchmarkCorpus, recordIndexIn, REFERENCE_CASES } from '../../bench/corpus';
import { benchDoctor, BENCH_BRANCHING, BENCH_SHAPE, goldWordings } from '../../bench/doctor';
import { caseSchema } from '../../core/cases/model';
import { candidateSeed } from '../../core/policy/llm-doctor';
import { conversation } from '../../core/policy/prompts';
import { parseTurn, type DoctorTurn } from '../../core/policy/turn';
import { TestMenuOracle } from '../../core/oracle/oracle';
import { bundledCases } from '../../stores/bundled-cases';

/** The benchmark's inputs: a deterministic corpus and a doctor whose every reply is a valid turn. */
describe('benchmark corpus', () => {
  const base = bundledCases();
  const corpus = benchmarkCorpus(base, REFERENCE_CASES);

  it('has 2,896 valid cases with unique ids and unique initial presentations (so no LLM request repeats)', () => {
    expect(corpus).toHaveLength(2896);
    for (const c of corpus.slice(0, 300)) expect(caseSchema.safeParse(c).success).toBe(true);
    expect(new Set(corpus.map((c) => c.id)).size).toBe(corpus.length);
    expect(new Set(corpus.map((c) => c.o1.text)).size).toBe(corpus.length);
  });

  it('is the same for the same seed and differs for another', () => {
    const again = benchmarkCorpus(base, 200);
    expect(JSON.stringify(again)).toBe(JSON.stringify(corpus.slice(0, 200)));
    const other = benchmarkCorpus(base, 200, 1);
    expect(other.map((c) => c.o1.text)).not.toEqual(again.map((c) => c.o1.text));
  });

  it('varies each copy of a bundled case: a menu subset in report order, never empty; the gold kept; the record findable', () => {
    for (let i = 0; i < 400; i++) {
      const c = corpus[i]!;
      const source = base[i % base.length]!;
      const ids = c.menu.map((m) => m.id);
      expect(ids.length).toBeGreaterThanOrEqual(1);
      expect(ids).toEqual(source.menu.map((m) => m.id).filter((id) => ids.includes(id)));
      expect(c.gold).toEqual(source.gold);
      expect(recordIndexIn(c.o1.text)).toBe(i);
    }
    const dropped = corpus.slice(0, 400).filter((c, i) => c.menu.length < base[i % base.length]!.menu.length).length;
    expect(dropped).toBeGreaterThan(50);
  });
});

describe('benchmark doctor', () => {
  const corpus = benchmarkCorpus(bundledCases(), 60);
  const doctor = benchDoctor(corpus, BENCH_SHAPE);

  /** Plays the doctor down one line of a case's tree (candidate 0 at every node). */
  function line(caseIndex: number, candidate: number): DoctorTurn[] {
    const c = corpus[caseIndex]!;
    const oracle = new TestMenuOracle(c);
    const past: { turn: DoctorTurn; results: ReturnType<typeof results> }[] = [];
    const results = (turn: DoctorTurn) =>
      turn.action.type === 'order_tests'
        ? turn.action.tests.map((test) => {
            const answer = oracle.ask(test);
            return { test, status: answer.status, items: answer.items };
          })
        : [];
    let path = '';
    for (;;) {
      const finalOnly = past.length + 1 >= BENCH_SHAPE.maxTurns;
      const reply = doctor({
        messages: conversation(c.o1.text, past, BENCH_SHAPE.maxTurns),
        seed: candidateSeed(0, path, candidate),
      });
      const parsed = parseTurn(reply, finalOnly);
      if (!('turn' in parsed)) throw new Error(parsed.problems);
      past.push({ turn: parsed.turn, results: results(parsed.turn) });
      if (parsed.turn.action.type === 'final_diagnosis') return past.map((p) => p.turn);
      path = path === '' ? String(candidate) : `${path}.${candidate}`;
    }
  }

  it('answers with schema-valid turns that order tests from the case menu (answered by the oracle) and end within the turn limit', () => {
    let answered = 0;
    let ordered = 0;
    for (let i = 0; i < corpus.length; i++) {
      for (let k = 0; k < BENCH_BRANCHING; k++) {
        const turns = line(i, k);
        expect(turns.length).toBeLessThanOrEqual(BENCH_SHAPE.maxTurns);
        expect(turns[0]!.action.type).toBe('order_tests');
        for (const t of turns.slice(0, -1)) {
          if (t.action.type !== 'order_tests') throw new Error('a middle turn must order tests');
          const menu = new Set(corpus[i]!.menu.map((m) => m.name));
          for (const test of t.action.tests) {
            ordered++;
            if (menu.has(test)) answered++;
          }
        }
      }
    }
    expect(answered).toBe(ordered);
    expect(ordered).toBeGreaterThan(100);
  });

  it('commits mostly to a wording of the gold, and replies the same to the same request', () => {
    let correct = 0;
    let finals = 0;
    for (let i = 0; i < corpus.length; i++) {
      for (let k = 0; k < BENCH_BRANCHING; k++) {
        const last = line(i, k).pop()!;
        if (last.action.type !== 'final_diagnosis') throw new Error('the last turn must be final');
        finals++;
        if (goldWordings(corpus[i]!).includes(last.action.diagnosis)) correct++;
        expect(line(i, k).pop()).toEqual(last);
      }
    }
    // Mostly right, sometimes a distractor: the build has rejected paths too.
    expect(correct / finals).toBeGreaterThan(0.85);
    expect(correct).toBeLessThan(finals);
  });

  it('refuses a request that names no benchmark case', () => {
    expect(() =>
      doctor({
        messages: [
          { role: 'system', content: 'x' },
          { role: 'user', content: 'a patient' },
        ],
      }),
    ).toThrow(/not a benchmark case/);
  });
});
