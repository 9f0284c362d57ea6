import { parseSplit, splitCases } from '../../core/export/case-split';
import { selectTrajectories } from '../../core/export/select-trajectories';
import { dedupTrajectories, openAiRow, shareGptRow, trlRows } from '../../core/export/trainer-formats';
import type { TrajectoryRecord } from '../../core/dataset/records';
import { bundledCases } from '../../stores/bundled-cases';

/** Trainer formats and case-level splits (issue 20, part 1: the pure core). */
const record = {
  id: 'b/c1/t/0.1',
  messages: [
    { role: 'system' as const, content: 'sys' },
    { role: 'user' as const, content: 'o1' },
    { role: 'assistant' as const, content: 'turn 1', reasoning_content: 'thinking' },
    { role: 'user' as const, content: 'results' },
    { role: 'assistant' as const, content: 'turn 2' },
  ],
};

describe('trainer formats', () => {
  it('writes OpenAI chat rows with role and content only, and ShareGPT conversations', () => {
    expect(openAiRow(record).messages[2]).toEqual({ role: 'assistant', content: 'turn 1' });
    expect(shareGptRow(record).conversations.map((c) => c.from)).toEqual(['system', 'human', 'gpt', 'human', 'gpt']);
  });

  it('gives TRL one prompt-completion row per assistant turn, so every turn is learned', () => {
    const rows = trlRows(record);
    expect(rows.map((r) => [r.turn, r.prompt.length, r.completion[0]!.content])).toEqual([
      [0, 2, 'turn 1'],
      [1, 4, 'turn 2'],
    ]);
    expect(rows[0]!.completion[0]).toMatchObject({ reasoning_content: 'thinking' });
    expect(trlRows(record, 'omit')[0]!.completion[0]).not.toHaveProperty('reasoning_content');
    expect(rows[1]!.prompt[2]).not.toHaveProperty('reasoning_content');
    expect(rows.every((r) => r.trajectory_id === record.id)).toBe(true);
  });

  it('drops trajectories whose assistant turns repeat an earlier one, counting them', () => {
    const twin = {
      ...record,
      id: 'b/c1/t/0.2',
      messages: record.messages.map((m) => (m.role === 'user' ? { ...m, content: 'other' } : m)),
    };
    const other = {
      ...record,
      id: 'b/c2/t/0',
      messages: [...record.messages.slice(0, 4), { role: 'assistant' as const, content: 'turn 3' }],
    };
    expect(dedupTrajectories([record, twin, other])).toEqual({ kept: [record, other], dropped: 1 });
  });
});

describe('splits by case', () => {
  const cases = bundledCases().map((c) => ({ id: c.id, source: c.source }));
  const splits = parseSplit('train=0.9,validation=0.1');

  it('puts every case in exactly one split, each source in proportion, the same way for a seed', () => {
    const assigned = splitCases(cases, splits, 7);
    expect(assigned.size).toBe(cases.length);
    for (const source of new Set(cases.map((c) => c.source))) {
      const ids = cases.filter((c) => c.source === source).map((c) => c.id);
      const validation = ids.filter((id) => assigned.get(id) === 'validation').length;
      expect(Math.abs(validation - 0.1 * ids.length)).toBeLessThanOrEqual(1);
    }
    expect([...splitCases(cases, splits, 7)]).toEqual([...assigned]);
    expect([...splitCases(cases, splits, 8)]).not.toEqual([...assigned]);
  });

  it('refuses a split that is not name=share adding up to 1, naming it', () => {
    expect(() => parseSplit('train=0.9,validation=0.2')).toThrow('add up to 1.1');
    expect(() => parseSplit('train:0.9')).toThrow('"train:0.9" is not name=share');
    expect(() => parseSplit('train=0.5,train=0.5')).toThrow('appears twice');
    // Hugging Face split names are words: a hyphen would not load.
    expect(() => parseSplit('train=0.5,held-out=0.5')).toThrow('"held-out=0.5" is not name=share');
  });
});

describe('selecting trajectories for an export', () => {
  const t = (id: string, kind: 'complete' | 'prefix', dtc: number | null, rac: number | null, last = id) =>
    ({
      ...record,
      id,
      kind,
      dtc,
      rac,
      messages: [...record.messages.slice(0, 4), { role: 'assistant', content: last }],
    }) as TrajectoryRecord;
  const records = [
    t('a', 'complete', 1, 0.8),
    t('b', 'prefix', 0.5, 0.9),
    t('c', 'complete', null, 0.2),
    t('d', 'complete', 1, 0.8, 'a'),
  ];

  it('filters again by kind and thresholds (an abstaining metric passes) and drops duplicates, counting both', () => {
    expect(selectTrajectories(records, { kinds: ['complete'], minRac: 0.5, dedup: true })).toMatchObject({
      records: [records[0]],
      filtered: 2,
      duplicates: 1,
    });
    expect(
      selectTrajectories(records, { kinds: ['complete', 'prefix'], minDtc: 0.9, dedup: false }).records.map((r) => r.id),
    ).toEqual(['a', 'c', 'd']);
  });
});
