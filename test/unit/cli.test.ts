import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../config/project-root';
import { medaction } from '../support/in-process-cli';

describe('medaction CLI', () => {
  it('has --help for every command', async () => {
    for (const args of [
      ['--help'],
      ['services', '--help'],
      ['services', 'status', '--help'],
      ['worker', '--help'],
      ['smoke', '--help'],
      ['kg', 'load', '--help'],
      ['kg', 'link', '--help'],
      ['build', '--help'],
      ['status', '--help'],
      ['export', '--help'],
      ['resume', '--help'],
      ['codec-server', '--help'],
      ['judge', '--help'],
    ]) {
      const { code, stdout } = await medaction(args);
      expect(code).toBe(0);
      expect(stdout).toContain('Usage: medaction');
    }
  });

  it('stops on bad configuration with one message listing every bad field, and no stack trace', async () => {
    const { code, stdout, stderr } = await medaction(['services', 'status', '--json'], {
      MEDACTION_TEMPORAL_ADDRESS: '127.0.0.1:notaport',
      MEDACTION_NEO4J_URI: 'mysql://db',
      MEDACTION_NEO4J_PASSWORD: 'hunter2-secret',
    });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^medaction: Invalid configuration \(2 problems\):/);
    expect(stderr).toContain('MEDACTION_TEMPORAL_ADDRESS = "127.0.0.1:notaport"');
    expect(stderr).toContain('MEDACTION_NEO4J_URI = "mysql://db"');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).not.toContain('hunter2-secret');
  });

  it('refuses bad kg options before touching Neo4j', async () => {
    for (const [args, message] of [
      [['kg', 'load', '--batch-size', '0'], '--batch-size must be a positive integer'],
      [['kg', 'link', 'fever', '--threshold', '2'], '--threshold must be a number between 0 and 1'],
      [['kg', 'link', 'fever', '--max', 'lots'], '--max must be a positive integer'],
    ] as const) {
      const { code, stderr } = await medaction([...args]);
      expect([args, code]).toEqual([args, 2]);
      expect(stderr).toContain(message);
    }
  });

  it('refuses bad build options and a malformed case file before starting anything', async () => {
    const fs = require('node:fs') as typeof import('node:fs');
    const os = require('node:os') as typeof import('node:os');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'build-'));
    for (const [args, env, message] of [
      [['build', '--branching', '0'], {}, '--branching must be a positive integer, got "0"'],
      [['build', '--seed', '1.5'], {}, '--seed must be an integer, got "1.5"'],
      [['build', '--build-id', 'no spaces!'], {}, 'build id "no spaces!" must be 1-80 letters'],
      [['build'], { MEDACTION_POLICY: 'gpt' }, 'build.policy'],
      [['build'], { MEDACTION_MIN_DTC: '2' }, 'build.filter.minDtc'],
    ] as const) {
      const { code, stderr } = await medaction([...args], env);
      expect([args, code]).toEqual([args, 2]);
      expect(stderr).toContain(message);
    }
    const policy = await medaction(['build', '--policy', 'gpt']);
    expect(policy.code).not.toBe(0);
    expect(policy.stderr).toContain('Allowed choices are kg-baseline, openai');
    const bad = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(
      bad,
      `${fs.readFileSync(path.join(PROJECT_ROOT, 'data', 'cases', 'bundled.jsonl'), 'utf8').split('\n')[0]}\n{"id": "x"}\n`,
    );
    // A file where the output folder should be: refused before anything starts (root could write anywhere else).
    const notAFolder = await medaction(['build', '--out', path.join(bad, 'out')]);
    expect(notAFolder.code).toBe(1);
    expect(notAFolder.stderr).toMatch(/output folder .*bad\.jsonl\/out is not writable \(ENOTDIR\)/);
    const first = JSON.parse(
      fs.readFileSync(path.join(PROJECT_ROOT, 'data', 'cases', 'bundled.jsonl'), 'utf8').split('\n')[0] as string,
    );
    const emptyMenu = path.join(dir, 'empty-menu.jsonl');
    fs.writeFileSync(emptyMenu, `${JSON.stringify({ ...first, id: 'no-tests', menu: [] })}\n`);
    const noMenu = await medaction(['build', '--cases', emptyMenu]);
    expect(noMenu.code).toBe(1);
    expect(noMenu.stderr).toMatch(
      /^medaction: bad case file: record .*empty-menu\.jsonl line 1 \(case no-tests\): menu is empty: a case needs at least one test result/,
    );
    const malformed = await medaction(['build', '--cases', bad]);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toMatch(/^medaction: bad case file: record .*bad\.jsonl line 2 \(case x\): schema_version/);
  });

  it('rejects unknown worker queue kinds', async () => {
    const { code, stderr } = await medaction(['worker', '--queues', 'workflows,gpu']);
    expect(code).not.toBe(0);
    expect(stderr).toContain('unknown kind(s) gpu');
  });
});

describe('medaction cases and env', () => {
  const fs = require('node:fs') as typeof import('node:fs');
  const os = require('node:os') as typeof import('node:os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cases-'));
  const input = path.join(PROJECT_ROOT, 'data', 'cases', 'medrbench-dev-30.json');
  const out = path.join(dir, 'medrbench.jsonl');

  it('imports a case file, printing {imported, skipped, menuItems}, without modifying the input', async () => {
    const before = fs.readFileSync(input);
    const { code, stdout } = await medaction(['cases', 'import', input, '--format', 'medrbench', '--out', out, '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ imported: 31, skipped: [] });
    expect(report.menuItems).toBeGreaterThan(31);
    expect(fs.readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(31);
    expect(fs.readFileSync(input).equals(before)).toBe(true);
  });

  it('answers orders with {status, items} and shows a case', async () => {
    const ask = async (order: string) =>
      JSON.parse((await medaction(['env', 'ask', '--cases', out, '--case', 'PMC11625232', order, '--json'])).stdout);
    expect(await ask('CRP')).toEqual({
      case: 'PMC11625232',
      order: 'CRP',
      status: 'result',
      items: [
        {
          id: expect.any(String),
          name: 'CRP',
          category: 'lab',
          result: 'Elevated CRP (306.9 mg/L)',
          excerpt: false,
          matched_by: 'lexicon',
        },
      ],
      matched_by: ['lexicon'],
    });
    expect(await ask('troponin')).toMatchObject({ status: 'unavailable', items: [], unavailable_because: 'no_match' });
    expect(await ask('blood work')).toMatchObject({ status: 'unavailable', items: [], unavailable_because: 'catch_all_refused' });
    const shown = await medaction(['cases', 'show', 'PMC11625232', '--cases', out]);
    expect(shown.stdout).toContain('Gold diagnosis: Orbital cellulitis');
    expect(shown.stdout).toContain('[lab] CRP');
  });

  it('names an unknown case, a malformed case file and an unreadable input clearly', async () => {
    const unknown = await medaction(['env', 'ask', '--cases', out, '--case', 'PMC0', 'CBC']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^medaction: no case "PMC0" in .* \(31 cases, e\.g\. PMC11364916/);
    const bad = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(bad, '{"id": "x"}\n');
    expect((await medaction(['cases', 'show', 'x', '--cases', bad])).stderr).toMatch(
      /^medaction: bad case file: record .*bad\.jsonl line 1 \(case x\): schema_version/,
    );
    const missing = await medaction(['cases', 'import', path.join(dir, 'nope.json'), '--format', 'medrbench', '--out', out]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*nope\.json \(ENOENT\)/);
    const before = fs.readFileSync(input);
    const overwrite = await medaction(['cases', 'import', input, '--format', 'medrbench', '--out', input]);
    expect(overwrite.code).toBe(1);
    expect(overwrite.stderr).toMatch(/--out must not be the input file/);
    expect(fs.readFileSync(input).equals(before)).toBe(true);
    const wrongFormat = await medaction([
      'cases',
      'import',
      input,
      '--format',
      'agentclinic',
      '--out',
      path.join(dir, 'x.jsonl'),
    ]);
    expect(wrongFormat.code).toBe(1);
    expect(wrongFormat.stderr).toMatch(
      /no case imported .* as agentclinic; first problem: agentclinic-1: line 1 is not valid JSON/,
    );
  });

  it('judges a pairs file: verdicts with evidence, agreement figures, bad lines reported by number and skipped', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'medaction-judge-'));
    const pairs = path.join(dir, 'pairs.jsonl');
    writeFileSync(
      pairs,
      [
        '{"answer":"Kikuchi-Fujimoto disease","gold":"Kikuchi disease","correct":true,"id":"a"}',
        '{"answer":"Sarcoidosis","gold":"Lobular capillary hemangioma (LCH)","correct":false,"id":"b"}',
        '{"answer":"The final diagnosis is **pulmonary tuberculosis**","gold":"Tuberculosis","correct":true,"id":"c"}',
        '{"answer":"Lymphoma","gold":"Diffuse large B-cell lymphoma","correct":true,"id":"d"}',
        '{"answer": 12, "gold": "x"}',
        'oops',
      ].join('\n'),
    );
    const out = path.join(dir, 'verdicts.jsonl');
    const { code, stdout, stderr } = await medaction(['judge', '--pairs', pairs, '--out', out, '--json']);
    expect(code).toBe(0);
    expect(stderr).toContain('pairs.jsonl:5: skipped: answer: expected a string');
    expect(stderr).toContain('pairs.jsonl:6: skipped: not JSON');
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({
      n: 4,
      labelled: 4,
      tp: 2,
      tn: 1,
      fn: 1,
      fp: 0,
      accepted_correct: 0.6667,
      rejected_wrong: 1,
      judge: 'kg',
    });
    expect(summary.kappa).toBe(0.5);
    expect(summary.skipped.map((s: { line: number }) => s.line)).toEqual([5, 6]);
    const verdicts = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(verdicts.map((v) => [v.id, v.verdict])).toEqual([
      ['a', true],
      ['b', false],
      ['c', true],
      ['d', false],
    ]);
    expect(verdicts[0]).toMatchObject({
      answer: 'Kikuchi-Fujimoto disease',
      gold: 'Kikuchi disease',
      correct: true,
      method: expect.any(String),
    });
    expect(verdicts[0].evidence.gold).toEqual(['Kikuchi disease']);
  }, 60_000);
});
