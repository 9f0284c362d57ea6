import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Driver } from 'neo4j-driver';
import { createNeo4jDriver } from '../../clients/neo4j';
import { PROJECT_ROOT } from '../../config/project-root';
import type { Case } from '../../core/cases/model';
import type { TrajectoryRecord } from '../../core/dataset/records';
import { TRAINER_FORMATS } from '../../core/export/trainer-formats';
import { ensureDatasetsPython } from '../../services/datasets-venv';
import { bundledCases } from '../../stores/bundled-cases';
import { loadKg } from '../../stores/neo4j-kg/loader';
import { answerKeyDoctor, answerKeyKnows } from '../support/answer-key-doctor';
import { bundledKgForTests } from '../support/bundled-kg';
import { runCli } from '../support/cli';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../support/scripted-llm-server';
import { testConfig } from '../support/test-env';

jest.setTimeout(900_000);

/**
 * From a build of bundled cases to the tools users train with: every export format, split by case,
 * loaded with Hugging Face `datasets` (installed from PyPI into the project's own venv) through the
 * dataset card's configs; and a hard case set curated from two evaluations that `medaction eval` runs.
 * The teacher is the answer-key doctor (test/support/answer-key-doctor.ts) on a local scripted server.
 */
const config = testConfig();
let driver: Driver;
let server: ScriptedLlmServer;
let python: string;
let work: string;
let casesFile: string;
let cases: Case[];

/** 12 MedR-Bench and 12 AgentClinic cases: two sources to stratify a split by. */
function subset(): Case[] {
  const all = bundledCases();
  return [
    ...all.filter((c) => c.source === 'medrbench').slice(0, 12),
    ...all.filter((c) => c.source === 'agentclinic').slice(0, 12),
  ];
}

const readJsonl = <T>(file: string): T[] =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);

const lastJson = <T>(stdout: string): T => JSON.parse(stdout.trim().split('\n').pop() as string) as T;

const llmEnv = () => ({
  MEDACTION_LLM_BASE_URL: server.url,
  MEDACTION_LLM_API_KEY: 'sk-test-export',
  MEDACTION_LLM_MODEL: 'scripted-doctor',
  MEDACTION_LLM_TIMEOUT_MS: '5000',
  MEDACTION_LLM_RATE_PER_SECOND: '100',
});

/** What `datasets.load_dataset(dir)` finds (rows and columns per split), and the row counts it reads on the card. */
async function loadWithDatasets(
  dir: string,
): Promise<{ splits: Record<string, { rows: number; columns: string[]; first: unknown }>; stated: Record<string, number> }> {
  const { stdout } = await promisify(execFile)(python, [path.join(PROJECT_ROOT, 'scripts', 'load-export.py'), dir], {
    env: { ...process.env, HF_HOME: path.join(work, 'hf-home') },
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').pop() as string);
}

beforeAll(async () => {
  driver = createNeo4jDriver(config);
  await loadKg(driver, config.neo4j.database, await bundledKgForTests(), { replace: true });
  cases = subset();
  server = await startScriptedLlmServer(answerKeyDoctor(cases));
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'medaction-trainer-export-'));
  casesFile = path.join(work, 'cases.jsonl');
  fs.writeFileSync(casesFile, cases.map((c) => `${JSON.stringify(c)}\n`).join(''));
  python = await ensureDatasetsPython(config);
});

afterAll(async () => {
  await server?.close();
  await driver?.close();
});

describe('trainer-ready exports of a build of bundled cases', () => {
  const build = () => path.join(work, 'build');
  const exportTo = (out: string, flags: string[]) =>
    runCli(['export', 'test-export', '--store', build(), '--out', out, ...flags, '--json']);

  it('builds the cases with the openai policy and keeps trajectories', async () => {
    const result = await runCli(
      [
        'build',
        '--cases',
        casesFile,
        '--out',
        build(),
        '--build-id',
        'test-export',
        '--policy',
        'openai',
        '--branching',
        '2',
        '--max-turns',
        '3',
        '--json',
      ],
      llmEnv(),
      600_000,
    );
    expect(result.code).toBe(0);
    const summary = lastJson<{ trajectories_kept: number; cases: number }>(result.stdout);
    expect(summary.cases).toBe(24);
    expect(summary.trajectories_kept).toBeGreaterThan(10);
    // The build's own folder has a card too.
    expect(fs.readFileSync(path.join(build(), 'README.md'), 'utf8')).toContain('# MedAction trajectories: build test-export');
  });

  it.each(TRAINER_FORMATS)(
    "exports %s split by case, and load_dataset loads train and validation with the card's row counts",
    async (format) => {
      const out = path.join(work, `export-${format}`);
      const result = await exportTo(out, ['--format', format, '--split', 'train=0.75,validation=0.25', '--split-seed', '3']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const summary = lastJson<{
        files: { split: string; path: string; rows: number; trajectories: number }[];
        exported: number;
      }>(result.stdout);
      expect(summary.files.map((f) => [f.split, f.path])).toEqual([
        ['train', 'train.jsonl'],
        ['validation', 'validation.jsonl'],
      ]);
      const { splits: loaded, stated } = await loadWithDatasets(out);
      expect(Object.keys(loaded).sort()).toEqual(['train', 'validation']);
      for (const f of summary.files) {
        expect(f.rows).toBeGreaterThan(0);
        // The card's counts, as datasets reads them, are what it loads and what was written.
        expect(loaded[f.split]!.rows).toBe(stated[f.split]);
        expect(loaded[f.split]!.rows).toBe(f.rows);
        expect(readJsonl(path.join(out, f.path))).toHaveLength(f.rows);
      }
      const columns = loaded.train!.columns;
      if (format === 'openai') expect(columns).toEqual(['messages']);
      if (format === 'sharegpt') {
        expect(columns).toEqual(['conversations']);
        const info = JSON.parse(fs.readFileSync(path.join(out, 'dataset_info.json'), 'utf8'));
        expect(Object.values(info).map((e) => (e as { file_name: string }).file_name)).toEqual([
          'train.jsonl',
          'validation.jsonl',
        ]);
      }
      if (format === 'trl') {
        expect(columns).toEqual(expect.arrayContaining(['prompt', 'completion', 'trajectory_id', 'turn']));
        // One row per assistant turn: more rows than trajectories.
        expect(summary.files[0]!.rows).toBeGreaterThan(summary.files[0]!.trajectories);
      }
      if (format === 'messages') {
        // Split by case: no case in two splits, every source in both.
        const split = (f: string) => readJsonl<TrajectoryRecord>(path.join(out, f));
        const trainCases = new Set(split('train.jsonl').map((t) => t.case_id));
        const validationCases = new Set(split('validation.jsonl').map((t) => t.case_id));
        expect([...trainCases].filter((c) => validationCases.has(c))).toEqual([]);
        const sourceOf = new Map(cases.map((c) => [c.id, c.source]));
        expect(new Set([...validationCases].map((c) => sourceOf.get(c)))).toEqual(new Set(['medrbench', 'agentclinic']));
      }
    },
  );

  it('filters again, deduplicates and counts, without rebuilding', async () => {
    const out = path.join(work, 'export-filtered');
    const all = readJsonl<TrajectoryRecord>(path.join(build(), 'trajectories.jsonl'));
    const result = await exportTo(out, ['--kinds', 'complete', '--min-dtc', '0.5', '--dedup']);
    expect(result.code).toBe(0);
    const summary = lastJson<{ exported: number; filtered: number; duplicates: number }>(result.stdout);
    const wanted = all.filter((t) => t.kind === 'complete' && (t.dtc === null || t.dtc >= 0.5));
    expect(summary.filtered).toBe(all.length - wanted.length);
    expect(summary.exported + summary.duplicates).toBe(wanted.length);
    expect(readJsonl(path.join(out, 'trajectories.jsonl'))).toHaveLength(summary.exported);
    const { splits: loaded, stated } = await loadWithDatasets(out);
    expect(loaded.train!.rows).toBe(summary.exported);
    expect(stated.train).toBe(summary.exported);
    const card = fs.readFileSync(path.join(out, 'README.md'), 'utf8');
    expect(card).toMatch(/license:\n- cc-by-sa-4.0\n- mit\n/);
    expect(card).toContain(`| duplicates dropped (identical assistant turns) | ${summary.duplicates} |`);
  });
});

describe('medaction hardset', () => {
  const evalDir = (policy: string) => path.join(work, `eval-${policy}`);
  /** A hard set of two cases from evaluations that should not be compared. */
  const hardsetOf = (dirs: string[]) =>
    runCli(['hardset', '--evals', dirs.join(','), '--size', '2', '--out', path.join(work, 'bad.jsonl')]);

  it('curates the cases two policies fail most into a case file medaction eval runs as it is', async () => {
    for (const policy of ['kg-baseline', 'openai']) {
      const result = await runCli(
        ['eval', '--cases', casesFile, '--out', evalDir(policy), '--policy', policy, '--json'],
        llmEnv(),
        600_000,
      );
      expect(result.code).toBe(0);
    }
    const hard = path.join(work, 'hard.jsonl');
    const result = await runCli([
      'hardset',
      '--evals',
      `${evalDir('kg-baseline')},${evalDir('openai')}`,
      '--size',
      '6',
      '--out',
      hard,
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = lastJson<{ cases: number; policies: { policy: string; accuracy_selected: number; accuracy_all: number }[] }>(
      result.stdout,
    );
    expect(summary.cases).toBe(6);
    const chosen = readJsonl<Case>(hard);
    expect(chosen).toHaveLength(6);
    // The answer key fails a third of the cases, the baseline nearly all: the hard set is the ones both fail.
    for (const c of chosen) expect(answerKeyKnows(c.id)).toBe(false);
    const openai = summary.policies.find((p) => p.policy === 'openai:scripted-doctor')!;
    expect(openai.accuracy_selected).toBe(0);
    expect(openai.accuracy_all).toBeGreaterThan(0.4);
    expect(fs.existsSync(path.join(work, 'hardset.json'))).toBe(true);

    const rerun = await runCli([
      'eval',
      '--cases',
      hard,
      '--out',
      path.join(work, 'eval-hard'),
      '--policy',
      'kg-baseline',
      '--json',
    ]);
    expect(rerun.code).toBe(0);
    expect(lastJson<{ cases: number }>(rerun.stdout).cases).toBe(6);
  });

  it('refuses evaluations of different case files, naming them', async () => {
    const otherCases = path.join(work, 'other.jsonl');
    fs.writeFileSync(
      otherCases,
      cases
        .slice(0, 3)
        .map((c) => `${JSON.stringify(c)}\n`)
        .join(''),
    );
    const other = path.join(work, 'eval-other');
    expect((await runCli(['eval', '--cases', otherCases, '--out', other, '--policy', 'kg-baseline'])).code).toBe(0);
    const result = await hardsetOf([evalDir('kg-baseline'), other]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cases.jsonl');
    expect(result.stderr).toContain('other.jsonl');
  });

  it('refuses evaluations judged differently, naming them', async () => {
    // The openai evaluation as if an LLM judge had decided it.
    const relabelled = path.join(work, 'eval-llm-judged');
    fs.cpSync(evalDir('openai'), relabelled, { recursive: true });
    const summaryFile = path.join(relabelled, 'eval.json');
    fs.writeFileSync(summaryFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(summaryFile, 'utf8')), judge: 'llm:judge-x' }));
    const result = await hardsetOf([evalDir('kg-baseline'), relabelled]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('judged differently');
    expect(result.stderr).toContain(`${relabelled}: judge llm:judge-x`);
  });
});
