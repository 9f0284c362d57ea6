import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { Client, Connection } from '@temporalio/client';
import { createNeo4jDriver } from '../../clients/neo4j';
import { temporalConnectionOptions } from '../../clients/temporal';
import type { History } from '@temporalio/common/lib/proto-utils';
import { encodeHistory, replayAll, writeHistoryFixtures, type RecordedHistory } from '../support/replay';
import type { RejectedRecord, TrajectoryRecord } from '../../core/dataset/records';
import type { BuildReport } from '../../core/dataset/report';
import { loadKg } from '../../stores/neo4j-kg/loader';
import { runCli } from '../support/cli';
import { SCRIPT_BRANCHING, SCRIPT_MAX_TURNS, scriptedDoctor } from '../support/scripted-doctor';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../support/scripted-llm-server';
import { testConfig } from '../support/test-env';
import { writeTinyCases } from '../support/tiny-cases';
import { tinyKg } from '../support/tiny-kg';

jest.setTimeout(600_000);

const config = testConfig();
const API_KEY = 'sk-test-do-not-leak-4242';
let driver: Driver;
let server: ScriptedLlmServer;
let doctor: ReturnType<typeof scriptedDoctor>;
let work: string;
let casesFile: string;

const readJsonl = <T>(file: string): T[] =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);

function buildEnv(): Record<string, string> {
  return {
    MEDACTION_POLICY: 'openai',
    MEDACTION_LLM_BASE_URL: server.url,
    MEDACTION_LLM_API_KEY: API_KEY,
    MEDACTION_LLM_MODEL: 'scripted-doctor',
    MEDACTION_LLM_TIMEOUT_MS: '1500',
    MEDACTION_LLM_RATE_PER_SECOND: '50',
    MEDACTION_BRANCHING: String(SCRIPT_BRANCHING),
    MEDACTION_MAX_TURNS: String(SCRIPT_MAX_TURNS),
    // The tiny KG has no organ-system roots, so no order can be grounded in it.
    MEDACTION_MIN_GROUNDED: '0',
  };
}

const startedAt = new Date().toISOString();

beforeAll(async () => {
  driver = createNeo4jDriver(config);
  await loadKg(driver, config.neo4j.database, tinyKg(), { replace: true });
  doctor = scriptedDoctor(0);
  server = await startScriptedLlmServer(doctor.script);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'medaction-build-openai-'));
  casesFile = writeTinyCases(work);
});

afterAll(async () => {
  await server?.close();
  await driver?.close();
});

describe('a build with the openai policy against a scripted OpenAI-compatible server', () => {
  const out1 = () => path.join(work, 'out1');

  it('keeps and rejects exactly the scripted paths, retrying 429, 500 and a timeout, repairing malformed JSON, failing an invalid branch', async () => {
    const result = await runCli(
      ['build', '--cases', casesFile, '--out', out1(), '--build-id', 'test-openai', '--json'],
      buildEnv(),
      300_000,
    );
    expect(result.stderr).not.toContain(API_KEY);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split('\n').pop() as string);
    expect(summary).toMatchObject({
      build_id: 'test-openai',
      cases: 3,
      cases_failed: 0,
      trajectories_kept: 4,
      prefixes_kept: 1,
      rejected: 7,
    });
    expect(summary.tokens).toBeGreaterThan(0);

    // Every scripted fault happened once, and the build went on past it.
    expect([...doctor.faults].sort()).toEqual(['tiny-uti|0|0:500', 'tiny-uti|0|1:hang', 'tiny-uti||0:429']);
    expect(server.requests.every((r) => r.authorization === `Bearer ${API_KEY}`)).toBe(true);

    const kept = readJsonl<TrajectoryRecord>(path.join(out1(), 'trajectories.jsonl'));
    expect(kept.map((t) => [t.case_id, t.branch_path, t.kind, t.correct])).toEqual([
      ['tiny-pneumonia', '0.0', 'complete', true],
      ['tiny-uti', '0.0', 'complete', true],
      ['tiny-uti', '1.1', 'complete', true],
      ['tiny-mi', '1.1', 'prefix', null],
    ]);
    expect(kept.map((t) => t.id)).toContain('test-openai/tiny-mi/p/1.1');
    for (const t of kept) {
      expect(t.messages[0]?.role).toBe('system');
      expect(t.messages[1]).toMatchObject({ role: 'user' });
      expect(t.messages[1]?.content).toContain('Initial presentation:');
      expect(t.messages[t.messages.length - 1]?.role).toBe('assistant');
      expect(t.tokens.total).toBeGreaterThan(0);
      expect(t.turns.length).toBe(t.messages.filter((m) => m.role === 'assistant').length);
    }
    // The uti branch 1.1 went through a repaired reply: its first turn is the repaired one.
    const uti11 = kept.find((t) => t.case_id === 'tiny-uti' && t.branch_path === '1.1') as TrajectoryRecord;
    expect(JSON.parse(uti11.messages[2]?.content as string).action).toEqual({
      type: 'order_tests',
      tests: ['urine culture'],
      rationale: 'to confirm the leading hypothesis',
    });
    expect(uti11.messages[3]?.content).toContain('Escherichia coli over 100,000 CFU/mL.');

    const rejected = readJsonl<RejectedRecord>(path.join(out1(), 'rejected.jsonl'));
    expect(rejected.map((r) => [r.case_id, r.branch_path, r.reason, r.prefix_kept])).toEqual([
      ['tiny-pneumonia', '0.1.0', 'incorrect_diagnosis', null],
      ['tiny-pneumonia', '1', 'incorrect_diagnosis', null],
      ['tiny-uti', '0.1', 'incorrect_diagnosis', null],
      ['tiny-uti', '1.0', 'branch_failed', null],
      // Right, but on the presentation alone: no order was answered.
      ['tiny-mi', '0', 'premature_closure', null],
      ['tiny-mi', '1.0', 'incorrect_diagnosis', null],
      ['tiny-mi', '1.1.0', 'incorrect_diagnosis', 'test-openai/tiny-mi/p/1.1'],
    ]);
    const failed = rejected.find((r) => r.reason === 'branch_failed') as RejectedRecord;
    expect(failed.error).toMatch(/invalid reply after a repair request: differential: expected a non-empty differential/);
    // The reply that failed it is on the record (from the store: the histories carry no model text).
    expect(JSON.parse(failed.invalid_reply as string)).toMatchObject({ differential: [] });
    expect(rejected.filter((r) => r !== failed).every((r) => r.invalid_reply === null)).toBe(true);
    // The 429, the 500 and the timeout: three calls without an answer, each retried, counted among the calls.
    expect(summary).toMatchObject({ failed_calls: 3, timeouts: 1, retries: 3, failed_branches: 1 });
    expect(summary.llm_calls).toBe(server.requests.filter((r) => r.body.model === 'scripted-doctor').length);

    const report = JSON.parse(fs.readFileSync(path.join(out1(), 'report.json'), 'utf8')) as BuildReport;
    expect(report.failed_branches).toEqual([{ case_id: 'tiny-uti', branch_path: '1.0', error: failed.error }]);
    expect(report.rejected_by_reason).toMatchObject({ incorrect_diagnosis: 5, branch_failed: 1, premature_closure: 1 });
    expect(report.tokens_detail.total).toBe(summary.tokens);
    for (const file of ['trajectories.jsonl', 'rejected.jsonl', 'report.json', 'build.json']) {
      expect(fs.readFileSync(path.join(out1(), file), 'utf8')).not.toContain(API_KEY);
    }
  });

  it("gives the build's own scores back through `medaction score` on its exported trajectories and rejections", async () => {
    for (const file of ['trajectories.jsonl', 'rejected.jsonl']) {
      const exported = readJsonl<TrajectoryRecord | RejectedRecord>(path.join(out1(), file));
      const scoredFile = path.join(work, `scored-${file}`);
      const result = await runCli(
        [
          'score',
          '--cases',
          casesFile,
          '--trajectories',
          path.join(out1(), file),
          '--kg',
          'neo4j',
          '--out',
          scoredFile,
          '--json',
        ],
        buildEnv(),
      );
      expect(result.code).toBe(0);
      const scored = readJsonl<Record<string, unknown>>(scoredFile);
      const scores = (r: Record<string, unknown>) => [r.case_id, r.dtc, r.rac, r.rac0, r.grounded_ordering, r.answered];
      expect(scored.map(scores)).toEqual(exported.map((r) => scores(r as unknown as Record<string, unknown>)));
      if (file === 'trajectories.jsonl') {
        // Per-turn records too, and each complete trajectory is kept again (a prefix ends without a diagnosis).
        expect(scored.map((s) => s.turns)).toEqual(exported.map((r) => (r as TrajectoryRecord).turns));
        expect(scored.map((s) => s.verdict)).toEqual(
          exported.map((r) =>
            (r as TrajectoryRecord).kind === 'complete' ? 'kept' : expect.stringMatching(/^(prefix|no_final_diagnosis)$/),
          ),
        );
      }
    }
  });

  it('replays every workflow history of that build against the current workflow code', async () => {
    const client = new Client({
      connection: await Connection.connect(temporalConnectionOptions(config)),
      namespace: config.temporal.namespace,
    });
    try {
      const histories: RecordedHistory[] = [];
      // This run's build only: the test server keeps the histories of earlier runs, made by earlier code.
      const query = `BuildId = "test-openai" AND StartTime >= "${startedAt}"`;
      for await (const h of client.workflow.list({ query }).intoHistories()) {
        histories.push({ workflowId: h.workflowId, history: h.history as History });
      }
      // The build and three cases: trees this small are explored inside their case workflows.
      expect(histories.map((h) => h.workflowId).sort()).toEqual(
        ['build/test-openai', ...['tiny-mi', 'tiny-pneumonia', 'tiny-uti'].map((c) => `test-openai/case/${c}`)].sort(),
      );
      const text = histories.map((h) => encodeHistory(h.history).toString('utf8')).join('\n');
      // No secret in any history (the API key stays in the worker's configuration), though the inputs are there.
      expect(text).toContain('tiny-uti');
      expect(text).not.toContain(API_KEY);
      const failures = await replayAll(histories);
      expect(failures).toEqual([]);
      if (process.env.MEDACTION_RECORD_HISTORIES === '1') {
        // Refreshes the fixtures the unit replay test reads (after an intended, patched workflow change).
        writeHistoryFixtures(histories);
      }
    } finally {
      await client.connection.close();
    }
  });

  it('produces byte-identical trajectories.jsonl when built again with the same seed, even with the tree split over child workflows', async () => {
    const requestsBefore = server.requests.length;
    const out2 = path.join(work, 'out2');
    const started = new Date().toISOString();
    // One node per workflow: every subtree below the root goes to a branch workflow of its own.
    const result = await runCli(
      ['build', '--cases', casesFile, '--out', out2, '--build-id', 'test-openai', '--json'],
      { ...buildEnv(), MEDACTION_INLINE_NODES: '1' },
      300_000,
    );
    expect(result.code).toBe(0);
    const client = new Client({
      connection: await Connection.connect(temporalConnectionOptions(config)),
      namespace: config.temporal.namespace,
    });
    try {
      const histories: RecordedHistory[] = [];
      for await (const h of client.workflow
        .list({ query: `BuildId = "test-openai" AND StartTime >= "${started}"` })
        .intoHistories()) {
        histories.push({ workflowId: h.workflowId, history: h.history as History });
      }
      expect(histories.filter((h) => h.workflowId.includes('/b/')).length).toBeGreaterThanOrEqual(3);
      expect(await replayAll(histories)).toEqual([]);
    } finally {
      await client.connection.close();
    }
    // A fresh output folder has an empty response store: every call was made again, and gave the same turns.
    expect(server.requests.length).toBeGreaterThan(requestsBefore);
    const first = fs.readFileSync(path.join(out1(), 'trajectories.jsonl'));
    const second = fs.readFileSync(path.join(out2, 'trajectories.jsonl'));
    expect(second.length).toBeGreaterThan(0);
    expect(second.equals(first)).toBe(true);
  });
});

describe('an LLM endpoint that is down for a while', () => {
  it('is waited for (connection errors are retried with backoff), and the build comes out the same', async () => {
    const out = path.join(work, 'endpoint-down');
    await server.goDown(8000);
    const started = Date.now();
    // The preflight would refuse an endpoint that is down at the start; this is an outage during a build.
    const result = await runCli(
      ['build', '--cases', casesFile, '--out', out, '--build-id', 'test-openai', '--no-preflight', '--json'],
      buildEnv(),
      300_000,
    );
    expect(result.code).toBe(0);
    // Nothing could have been answered in the first 8 s.
    expect(Date.now() - started).toBeGreaterThan(8000);
    const first = fs.readFileSync(path.join(work, 'out1', 'trajectories.jsonl'));
    expect(fs.readFileSync(path.join(out, 'trajectories.jsonl')).equals(first)).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')).failed_branches).toHaveLength(1);
  });
});

describe('a reasoning model behind a hosted-style API', () => {
  it("is asked with its family's parameters, and its reasoning traces reach the export (omitted on request)", async () => {
    // The hosted API's answers to max_tokens or a temperature, then the scripted doctor with a trace per reply.
    const reasoner = scriptedDoctor(0);
    const hosted = await startScriptedLlmServer((body) => {
      if (body.max_tokens !== undefined) {
        return {
          kind: 'status',
          status: 400,
          message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
        };
      }
      if (body.temperature !== undefined) {
        return { kind: 'status', status: 400, message: "Unsupported value: 'temperature' does not support 0.7 with this model." };
      }
      const reply = reasoner.script(body);
      return reply.kind === 'content' ? { ...reply, delayMs: 0, reasoning: `thinking about seed ${body.seed}` } : reply;
    });
    try {
      const out = path.join(work, 'reasoning');
      const env = { ...buildEnv(), MEDACTION_LLM_BASE_URL: hosted.url, MEDACTION_LLM_MODEL: 'o4-mini' };
      const result = await runCli(
        ['build', '--cases', casesFile, '--out', out, '--build-id', 'test-reasoning', '--limit', '1', '--json'],
        env,
        300_000,
      );
      expect(result.code).toBe(0);
      expect(hosted.requests.filter((r) => r.status === 400)).toEqual([]);
      expect(hosted.requests[0]!.body).toMatchObject({ max_completion_tokens: 2048 });
      const kept = readJsonl<TrajectoryRecord>(path.join(out, 'trajectories.jsonl'));
      expect(kept.length).toBeGreaterThan(0);
      for (const t of kept) {
        for (const m of t.messages.filter((m) => m.role === 'assistant'))
          expect(m.reasoning_content).toMatch(/^thinking about seed \d+$/);
      }
      const omitted = path.join(work, 'reasoning-omitted');
      const exported = await runCli(['export', 'test-reasoning', '--store', out, '--out', omitted, '--reasoning', 'omit'], env);
      expect(exported.code).toBe(0);
      const plain = readJsonl<TrajectoryRecord>(path.join(omitted, 'trajectories.jsonl'));
      expect(plain.map((t) => t.id)).toEqual(kept.map((t) => t.id));
      expect(plain.some((t) => t.messages.some((m) => 'reasoning_content' in m))).toBe(false);
    } finally {
      await hosted.close();
    }
  });
});

describe('a model that never gives a valid turn', () => {
  it('fails every branch, keeps each invalid reply, and the build exits 1 saying nothing came of it', async () => {
    const babbling = await startScriptedLlmServer(() => ({ kind: 'content', content: 'I think it is pneumonia.' }));
    try {
      const out = path.join(work, 'babbling');
      const env = { ...buildEnv(), MEDACTION_LLM_BASE_URL: babbling.url };
      const result = await runCli(
        ['build', '--cases', casesFile, '--out', out, '--build-id', 'test-babbling', '--limit', '1', '--json'],
        env,
        120_000,
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('nothing came of build test-babbling: every path ended on a failed branch');
      const summary = JSON.parse(result.stdout.trim().split('\n').pop() as string);
      expect(summary).toMatchObject({ trajectories_kept: 0, failed_branches: SCRIPT_BRANCHING, rejected: SCRIPT_BRANCHING });
      // k candidates, each asked once and repaired once.
      expect(summary.llm_calls).toBe(2 * SCRIPT_BRANCHING);
      const rejected = readJsonl<RejectedRecord>(path.join(out, 'rejected.jsonl'));
      expect(rejected.every((r) => r.reason === 'branch_failed' && r.invalid_reply === 'I think it is pneumonia.')).toBe(true);
      expect(rejected.every((r) => r.dtc === null && r.rac === null && r.grounded_ordering === null)).toBe(true);
    } finally {
      await babbling.close();
    }
  });
});

describe('an LLM endpoint that keeps failing', () => {
  it('shows in `medaction status` and the progress line: the retrying activity, its attempt and last error', async () => {
    const overloaded = await startScriptedLlmServer(() => ({ kind: 'status', status: 503, message: 'the model is overloaded' }));
    const buildId = `test-overloaded-${Date.now()}`;
    const env = { ...buildEnv(), MEDACTION_LLM_BASE_URL: overloaded.url };
    const client = new Client({ connection: await Connection.connect(temporalConnectionOptions(config)), namespace: 'default' });
    // The build runs its own worker and waits on the endpoint; it is stopped once status has shown the retries.
    const running = runCli(
      ['build', '--cases', casesFile, '--out', path.join(work, 'overloaded'), '--build-id', buildId, '--limit', '1'],
      env,
      120_000,
    );
    try {
      let status: { status: string; retrying: { activity: string; attempt: number; last_error: string }[] } | undefined;
      for (let i = 0; i < 60 && !status?.retrying.some((r) => r.attempt >= 3); i++) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const answer = await runCli(['status', buildId, '--json'], env);
        if (answer.code === 0) status = JSON.parse(answer.stdout);
      }
      expect(status).toMatchObject({ status: 'RUNNING' });
      expect(status!.retrying[0]).toMatchObject({
        activity: 'proposeTurnsOpenai',
        last_error: expect.stringContaining('overloaded'),
      });
      expect(status!.retrying[0]!.attempt).toBeGreaterThanOrEqual(3);
      // The build's progress line looks every 15 s.
      await new Promise((resolve) => setTimeout(resolve, 16_000));
    } finally {
      await client.workflow.getHandle(`build/${buildId}`).terminate('test over');
      await client.connection.close();
      const build = await running;
      await overloaded.close();
      expect(build.stderr).toMatch(/activit(y|ies) retrying; proposeTurnsOpenai at attempt \d+: .*overloaded/);
    }
  });
});

describe('early pruning', () => {
  it('stops a branch whose differential moves away from the gold, without asking the LLM for its next turn', async () => {
    const out = path.join(work, 'pruned');
    const asked = () =>
      server.requests.filter((r) => r.body.messages.some((m) => m.content.includes('"tests":["troponin"]'))).length;
    const before = asked();
    const start = server.requests.length;
    const result = await runCli(
      ['build', '--cases', casesFile, '--out', out, '--build-id', 'test-pruned', '--json'],
      { ...buildEnv(), MEDACTION_PRUNE_DIVERGENT: 'true' },
      300_000,
    );
    expect(result.code).toBe(0);
    const rejected = readJsonl<RejectedRecord>(path.join(out, 'rejected.jsonl'));
    expect(rejected.filter((r) => r.case_id === 'tiny-pneumonia').map((r) => [r.branch_path, r.reason])).toEqual([
      ['0.1', 'no_final_diagnosis'],
      ['1', 'incorrect_diagnosis'],
    ]);
    // Node 0.1 of the pneumonia case was never expanded; the chest-pain case's troponin branch (1.1) converges and was.
    const pneumoniaAfterTroponin = server.requests
      .slice(start)
      .filter(
        (r) =>
          r.body.messages[1]?.content.includes('wet cough') &&
          r.body.messages.some((m) => m.content.includes('"tests":["troponin"]')),
      );
    expect(pneumoniaAfterTroponin).toHaveLength(0);
    expect(asked()).toBeGreaterThan(before);
    const kept = readJsonl<TrajectoryRecord>(path.join(out, 'trajectories.jsonl'));
    expect(kept.map((t) => [t.case_id, t.branch_path, t.kind])).toContainEqual(['tiny-mi', '1.1', 'prefix']);
  });
});

describe('the LLM judge', () => {
  it('judges final diagnoses through the same endpoint when the build asks for it, and the records say so', async () => {
    const out = path.join(work, 'judged');
    const result = await runCli(
      ['build', '--cases', casesFile, '--out', out, '--build-id', 'test-judge', '--json'],
      { ...buildEnv(), MEDACTION_JUDGE: 'llm' },
      300_000,
    );
    expect(result.code).toBe(0);
    const judged = server.requests.filter((r) => r.body.messages[0]?.content.startsWith('You are a medical expert grading'));
    // One request per distinct (prediction, reference) pair: two per case; a repeated pair comes from the store.
    expect(judged).toHaveLength(6);
    const kept = readJsonl<TrajectoryRecord>(path.join(out, 'trajectories.jsonl'));
    const byKg = readJsonl<TrajectoryRecord>(path.join(work, 'out1', 'trajectories.jsonl'));
    expect(kept.map((t) => [t.case_id, t.branch_path, t.kind])).toEqual(byKg.map((t) => [t.case_id, t.branch_path, t.kind]));
    expect(new Set(kept.map((t) => t.judge))).toEqual(new Set(['llm:scripted-doctor']));
  });
});

describe('a build with the offline kg-baseline policy', () => {
  it('produces byte-identical, non-empty trajectories.jsonl in two builds of the same configuration and seed', async () => {
    const outs = [path.join(work, 'base1'), path.join(work, 'base2')];
    const runs: number[] = [];
    for (const [i, out] of outs.entries()) {
      const result = await runCli(
        ['build', '--cases', casesFile, '--out', out, '--build-id', 'test-baseline', '--policy', 'kg-baseline', '--json'],
        // The second build continues as new after every case: the result must not depend on it.
        // The baseline's orders are mostly not in the tiny reports: the answered filter is off for this check.
        { MEDACTION_MIN_GROUNDED: '0', MEDACTION_MIN_ANSWERED: '0', MEDACTION_CASES_PER_RUN: i === 0 ? '400' : '1' },
        300_000,
      );
      expect(result.code).toBe(0);
      const summary = JSON.parse(result.stdout.trim());
      expect(summary.llm_calls).toBe(0);
      runs.push(summary.workflow_runs);
    }
    expect(runs).toEqual([1, 3]);
    const [a, b] = outs.map((o) => fs.readFileSync(path.join(o, 'trajectories.jsonl')));
    expect((a as Buffer).length).toBeGreaterThan(0);
    expect((b as Buffer).equals(a as Buffer)).toBe(true);
  });
});
