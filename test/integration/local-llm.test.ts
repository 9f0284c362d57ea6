import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { createNeo4jDriver } from '../../clients/neo4j';
import type { RejectedRecord, TrajectoryRecord } from '../../core/dataset/records';
import type { TreeNode } from '../../core/tree/node';
import { llmServerLayout, llmServerSettings } from '../../services/llm-server';
import { loadKg } from '../../stores/neo4j-kg/loader';
import { runCli } from '../support/cli';
import { LOCAL_LLM_UNAVAILABLE_FILE, testConfig } from '../support/test-env';
import { tinyKg } from '../support/tiny-kg';

jest.setTimeout(900_000);

/**
 * Builds and an evaluation against a real LLM server: llama.cpp's OpenAI-compatible Python server with
 * SmolLM2-135M-Instruct, installed and started by `medaction llm up` in global setup. Tiny and no doctor,
 * but a real tokenizer, sampling, chat template and grammar-constrained JSON.
 */
const unavailable = fs.existsSync(LOCAL_LLM_UNAVAILABLE_FILE) ? fs.readFileSync(LOCAL_LLM_UNAVAILABLE_FILE, 'utf8') : undefined;
if (unavailable) process.stderr.write(`local-llm tests skipped: the LLM server could not be set up here: ${unavailable}\n`);

const config = testConfig();
const env = { ...llmServerSettings(config), MEDACTION_MIN_GROUNDED: '0' };
// Two bundled cases, k = 2, two turns: about a dozen requests of a few seconds each.
const shape = ['--policy', 'openai', '--limit', '2', '--branching', '2', '--max-turns', '2', '--node-budget', '6', '--seed', '3'];
let work: string;
let driver: Driver;

/** Chat-completion requests the server has answered so far (its access log). */
const served = () =>
  fs
    .readFileSync(llmServerLayout(config).logFile, 'utf8')
    .split('\n')
    .filter((l) => l.includes('POST /v1/chat/completions')).length;

const readJsonl = <T>(file: string): T[] =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);

/** Every node the build wrote, and the candidates that failed, from its work store. */
function expansions(out: string): { nodes: TreeNode[]; failures: number } {
  const nodes: TreeNode[] = [];
  let failures = 0;
  for (const caseDir of fs.readdirSync(path.join(out, 'work', 'cases'))) {
    const dir = path.join(out, 'work', 'cases', caseDir, 'expansions');
    for (const f of fs.readdirSync(dir)) {
      const e = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { nodes: TreeNode[]; failures: unknown[] };
      nodes.push(...e.nodes);
      failures += e.failures.length;
    }
  }
  return { nodes, failures };
}

(unavailable ? describe.skip : describe)('builds against a real llama.cpp server with SmolLM2-135M-Instruct', () => {
  beforeAll(async () => {
    driver = createNeo4jDriver(config);
    await loadKg(driver, config.neo4j.database, tinyKg(), { replace: true });
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'medaction-local-llm-'));
  });
  afterAll(async () => {
    await driver?.close();
  });

  it('answers `medaction llm status` with its model', async () => {
    const status = await runCli(['llm', 'status', '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ up: true, models: [config.localLlm.modelName] });
  });

  it('builds 2 bundled cases: valid turns for most nodes, token usage from the server, nothing asked twice, the same bytes from the store', async () => {
    const out = path.join(work, 'a');
    const before = served();
    const first = await runCli(['build', ...shape, '--out', out, '--build-id', 'local-llm', '--json'], env, 800_000);
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout.trim().split('\n').pop() as string);
    expect(summary.cases).toBe(2);
    const asked = served() - before;
    expect(asked).toBeGreaterThan(0);
    expect(summary.llm_calls).toBe(asked);
    expect(summary.tokens).toBeGreaterThan(0);

    const { nodes, failures } = expansions(out);
    const share = nodes.length / (nodes.length + failures);
    process.stderr.write(
      `local-llm: ${nodes.length} nodes, ${failures} failed candidates (${(100 * share).toFixed(0)} % valid), ${asked} requests\n`,
    );
    expect(share).toBeGreaterThan(0.5);
    for (const n of nodes) {
      expect(n.usage.prompt).toBeGreaterThan(0);
      expect(n.usage.completion).toBeGreaterThan(0);
    }
    const records = [
      ...readJsonl<TrajectoryRecord>(path.join(out, 'trajectories.jsonl')),
      ...readJsonl<RejectedRecord>(path.join(out, 'rejected.jsonl')),
    ];
    expect(records.length).toBeGreaterThan(0);

    // The same command again: every reply is in the store, nothing is asked of the server.
    const again = served();
    expect((await runCli(['build', ...shape, '--out', out, '--build-id', 'local-llm', '--json'], env, 300_000)).code).toBe(0);
    expect(served()).toBe(again);

    // llama.cpp's Python server is not always deterministic across builds with the same seed (it reuses
    // the cached prefix of the previous prompt, which can change the sampled tokens): a build resumed
    // from the first one's response store is identical, and asks nothing.
    const second = path.join(work, 'b');
    fs.mkdirSync(path.join(second, 'work'), { recursive: true });
    fs.cpSync(path.join(out, 'work', 'llm'), path.join(second, 'work', 'llm'), { recursive: true });
    const beforeSecond = served();
    expect((await runCli(['build', ...shape, '--out', second, '--build-id', 'local-llm', '--json'], env, 800_000)).code).toBe(0);
    expect(served()).toBe(beforeSecond);
    for (const file of ['trajectories.jsonl', 'rejected.jsonl']) {
      expect(fs.readFileSync(path.join(second, file), 'utf8')).toBe(fs.readFileSync(path.join(out, file), 'utf8'));
    }
  });

  it('evaluates 2 bundled cases with the openai policy', async () => {
    const out = path.join(work, 'eval');
    const result = await runCli(
      ['eval', '--policy', 'openai', '--limit', '2', '--max-turns', '2', '--out', out, '--json'],
      env,
      600_000,
    );
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split('\n').pop() as string);
    expect(summary.cases).toBe(2);
    const episodes = readJsonl<{ status: string; tokens: { total: number } }>(path.join(out, 'eval.jsonl'));
    expect(episodes).toHaveLength(2);
    for (const e of episodes) expect(e.tokens.total).toBeGreaterThan(0);
  });
});
