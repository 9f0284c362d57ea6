import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ScoredTrajectory } from '../../core/dataset/score-trajectory';
import { BUNDLED_CASES_FILE } from '../../stores/bundled-cases';
import { runCli } from '../support/cli';

jest.setTimeout(300_000);

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'metric-trajectories.jsonl');
const fixtureLine = (id: string) =>
  fs
    .readFileSync(FIXTURE, 'utf8')
    .split('\n')
    .find((l) => l.includes(`"id":"${id}"`)) as string;

describe('medaction score on the documented turn format', () => {
  it('scores each line in this environment, reports and skips bad lines, and prints the summary', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'medaction-score-'));
    const good = fixtureLine('agentclinic-3/good/1');
    const closure = fixtureLine('agentclinic-3/premature_closure');
    // Results given by the line are used instead of the oracle's: the serum lipase is not in the report.
    const given = JSON.stringify({
      case_id: 'agentclinic-3',
      turns: [
        {
          differential: [
            { diagnosis: 'Hirschsprung disease', likelihood: 0.6 },
            { diagnosis: 'acute pancreatitis', likelihood: 0.4 },
          ],
          action: { type: 'order_tests', tests: ['serum lipase', 'audiometry'] },
          results: ['Lipase 40 U/L (normal).', 'UNAVAILABLE'],
        },
        {
          differential: [
            { diagnosis: 'Hirschsprung disease', likelihood: 0.9 },
            { diagnosis: 'acute pancreatitis', likelihood: 0.1 },
          ],
          action: { type: 'final_diagnosis', diagnosis: 'Hirschsprung disease' },
        },
      ],
    });
    const lines = [
      good,
      '{not json',
      closure,
      JSON.stringify({ case_id: 'no-such-case', turns: JSON.parse(good).turns }),
      '',
      given,
    ];
    const input = path.join(work, 'in.jsonl');
    fs.writeFileSync(input, lines.join('\n') + '\n');
    const out = path.join(work, 'scored.jsonl');
    const result = await runCli(['score', '--cases', BUNDLED_CASES_FILE, '--trajectories', input, '--out', out, '--json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`${input}:2: skipped: not JSON`);
    expect(result.stderr).toContain(`${input}:4: skipped: case 'no-such-case' is not in`);
    const summary = JSON.parse(result.stdout.trim());
    expect(summary).toMatchObject({ n: 3, kept: 2, prefixes: 0, skipped: [{ line: 2 }, { line: 4 }] });
    expect(summary.rejected_by_reason).toMatchObject({ premature_closure: 1, incorrect_diagnosis: 0 });
    for (const key of ['mean_dtc', 'mean_rac', 'mean_grounded']) expect(typeof summary[key]).toBe('number');

    const scored = fs
      .readFileSync(out, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as ScoredTrajectory & { line: number });
    expect(scored.map((s) => [s.line, s.case_id, s.verdict, s.correct])).toEqual([
      [1, 'agentclinic-3', 'kept', true],
      [3, 'agentclinic-3', 'premature_closure', true],
      [6, 'agentclinic-3', 'kept', true],
    ]);
    // The oracle answered the fixture's orders from the case's report; the given results were used as given.
    expect(scored[0]!.turns.flatMap((t) => t.orders.map((o) => o.answered))).toEqual([true, true]);
    expect(scored[2]!.turns[0]!.orders.map((o) => [o.test, o.answered])).toEqual([
      ['serum lipase', true],
      ['audiometry', false],
    ]);
    expect(scored[2]!.answered).toBe(0.5);
    expect(scored[1]!.dtc).toBeNull();
    // The mean over the scored lines, abstentions left out.
    const dtcs = scored.map((s) => s.dtc).filter((d): d is number => d !== null);
    expect(summary.mean_dtc).toBeCloseTo(dtcs.reduce((a, b) => a + b, 0) / dtcs.length, 4);
  });

  it('names the input it cannot read', async () => {
    const result = await runCli(['score', '--cases', BUNDLED_CASES_FILE, '--trajectories', '/nonexistent/x.jsonl', '--json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot read --trajectories /nonexistent/x.jsonl');
  });
});
