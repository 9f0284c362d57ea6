import type { EpisodeRecord } from '../../core/eval/episode';
import { selectHardCases } from '../../core/eval/hardset';

/** Curating a hard case set from evaluations: most policies wrong first, ties broken, body systems balanced. */
const episode = (case_id: string, correct: boolean, fields: Partial<EpisodeRecord> = {}): EpisodeRecord =>
  ({ case_id, correct, status: 'final', dtc: 0.5, turns_used: 3, test_recall: 0.5, body_system: [], ...fields }) as EpisodeRecord;

describe('selectHardCases', () => {
  const order = ['a', 'b', 'c', 'd', 'e', 'f'];
  const heart = { body_system: ['Heart and Blood Vessels'] };
  const lungs = { body_system: ['Lungs and Breathing'] };
  const baseline = [
    episode('a', false, heart),
    episode('b', false, { ...heart, dtc: 0.2 }),
    episode('c', false, heart),
    episode('d', false, lungs),
    episode('e', true, lungs),
    episode('f', false, { status: 'failed' }),
  ];
  const llm = [
    episode('a', false, heart),
    episode('b', false, heart),
    episode('c', false, { ...heart, turns_used: 5 }),
    episode('d', false, lungs),
    episode('e', false, lungs),
    episode('f', true),
  ];
  const evals = [
    { label: 'kg-baseline', records: baseline },
    { label: 'openai:m', records: llm },
  ];

  it('ranks by failures, then lower DTC, more turns, lower test recall, case-file order', () => {
    const all = selectHardCases(evals, 10, order);
    expect(all.selected.map((c) => [c.case_id, c.failures])).toEqual([
      ['b', 2],
      ['c', 2],
      ['a', 2],
      ['d', 2],
      ['e', 1],
    ]);
    // f: the baseline's episode failed on an error, so no verdict from it.
    expect(all).toMatchObject({ candidates: 5, left_out: 1 });
  });

  it('deals the tier that does not fit round-robin across body systems', () => {
    const three = selectHardCases(evals, 3, order);
    // The four cases every policy fails: three heart, one lungs. Three seats: two heart, the lungs one.
    expect(three.selected.map((c) => c.case_id)).toEqual(['b', 'd', 'c']);
    expect(three.body_systems).toEqual({ 'Heart and Blood Vessels': 2, 'Lungs and Breathing': 1 });
  });

  it("gives each policy's accuracy on the selected cases and on all it judged", () => {
    const hard = selectHardCases(evals, 4, order);
    expect(hard.policies).toEqual([
      { policy: 'kg-baseline', accuracy_selected: 0, accuracy_all: 0.2, cases_all: 5 },
      { policy: 'openai:m', accuracy_selected: 0, accuracy_all: 0.1667, cases_all: 6 },
    ]);
  });

  it('works with one policy: the cases it fails', () => {
    const one = selectHardCases([evals[1]!], 10, order);
    expect(one.selected.filter((c) => c.failures === 1).map((c) => c.case_id)).toEqual(['c', 'a', 'b', 'd', 'e']);
    expect(one.selected.at(-1)).toMatchObject({ case_id: 'f', failures: 0 });
  });
});
