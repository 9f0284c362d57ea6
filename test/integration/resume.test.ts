import crypto from 'node:crypto';
import fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';
import { AesGcmCodec } from '../../clients/payload-codec';
import { temporalConnectionOptions } from '../../clients/temporal';
import { encodeHistory } from '../support/replay';
import os from 'node:os';
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { createNeo4jDriver } from '../../clients/neo4j';
import type { BuildReport } from '../../core/dataset/report';
import { BuildStore } from '../../stores/build-store';
import { loadKg } from '../../stores/neo4j-kg/loader';
import { runCli } from '../support/cli';
import { testConfig } from '../support/test-env';
import { writeTinyCases } from '../support/tiny-cases';
import { tinyKg } from '../support/tiny-kg';

jest.setTimeout(600_000);

const config = testConfig();
const startedAt = new Date().toISOString();
const ENV = { MEDACTION_MIN_GROUNDED: '0' };
let driver: Driver;
let work: string;
let casesFile: string;
let out: string;

/** Modification times of every file in the build's work store: what a resume must not rewrite. */
function storeTimes(dir: string): Map<string, number> {
  const times = new Map<string, number>();
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else times.set(path.relative(dir, p), fs.statSync(p).mtimeMs);
    }
  };
  walk(path.join(dir, 'work'));
  return times;
}

beforeAll(async () => {
  driver = createNeo4jDriver(config);
  await loadKg(driver, config.neo4j.database, tinyKg(), { replace: true });
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'medaction-resume-'));
  casesFile = writeTinyCases(work);
  out = path.join(work, 'out');
  const first = await runCli(['build', '--cases', casesFile, '--out', out, '--build-id', 'test-resume', '--json'], ENV, 300_000);
  expect(first.code).toBe(0);
});

afterAll(async () => {
  await driver?.close();
});

describe('medaction resume', () => {
  it('re-runs nothing of a finished build, and only the unfinished case of a partly finished one', async () => {
    const before = storeTimes(out);
    const dataset = fs.readFileSync(path.join(out, 'trajectories.jsonl'));
    const again = await runCli(['resume', 'test-resume', '--json'], ENV, 300_000);
    expect(again.code).toBe(0);
    // Every case was finished: no node, expansion or outcome file was written again.
    const after = storeTimes(out);
    expect([...after.entries()].filter(([f, t]) => before.get(f) !== t)).toEqual([]);
    expect(fs.readFileSync(path.join(out, 'trajectories.jsonl')).equals(dataset)).toBe(true);

    // One case lost its outcome (as if the worker died while scoring it): only it is scored again, from its
    // stored expansions, and the dataset comes out the same.
    const store = new BuildStore(out);
    fs.rmSync(store.outcomeFile('tiny-uti'));
    const partly = await runCli(
      ['build', '--cases', casesFile, '--out', out, '--build-id', 'test-resume', '--json'],
      ENV,
      300_000,
    );
    expect(partly.code).toBe(0);
    const changed = [...storeTimes(out).entries()].filter(([f, t]) => after.get(f) !== t).map(([f]) => f);
    expect(changed).toEqual([path.join('work', 'cases', 'tiny-uti', 'outcome.json')]);
    expect(fs.readFileSync(path.join(out, 'trajectories.jsonl')).equals(dataset)).toBe(true);
  });

  it('refuses a changed configuration, naming the fields, unless --force, which the report records', async () => {
    const changed = await runCli(['build', '--cases', casesFile, '--out', out, '--build-id', 'test-resume', '--max-turns', '2'], {
      ...ENV,
      MEDACTION_MIN_RAC: '0.25',
    });
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain(
      'build test-resume was started with another configuration: maxTurns: 5 → 2; filter.minRac: 0.5 → 0.25',
    );
    expect(changed.stderr).toContain('--force');
    const resumed = await runCli(['resume', 'test-resume'], { ...ENV, MEDACTION_MIN_RAC: '0.25' });
    expect(resumed.code).toBe(1);
    expect(resumed.stderr).toContain('another configuration: filter.minRac: 0.5 → 0.25');

    const forced = await runCli(['resume', 'test-resume', '--force', '--json'], { ...ENV, MEDACTION_MIN_RAC: '0.25' }, 300_000);
    expect(forced.code).toBe(0);
    const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')) as BuildReport;
    expect(report.forced_changes).toEqual(['filter.minRac: 0.5 → 0.25']);
  });

  it('keeps only ciphertext in the histories when a payload key is set', async () => {
    const key = crypto.randomBytes(32).toString('base64');
    const encryptedOut = path.join(work, 'encrypted');
    const built = await runCli(
      ['build', '--cases', casesFile, '--out', encryptedOut, '--build-id', 'test-encrypted', '--json'],
      { ...ENV, MEDACTION_PAYLOAD_KEY: key },
      300_000,
    );
    expect(built.code).toBe(0);
    expect(built.stderr).not.toContain(key);
    // With the key, status decodes the build's result; the dataset is the unencrypted build's.
    const status = await runCli(['status', 'test-encrypted', '--json'], { MEDACTION_PAYLOAD_KEY: key });
    expect(JSON.parse(status.stdout)).toMatchObject({ status: 'COMPLETED', trajectories_kept: expect.any(Number) });
    expect(
      fs.readFileSync(path.join(encryptedOut, 'trajectories.jsonl'), 'utf8').replaceAll('test-encrypted', 'test-resume'),
    ).toBe(fs.readFileSync(path.join(out, 'trajectories.jsonl'), 'utf8'));
    // The histories as the server keeps them (the codec only decodes the memos that listing shows): the case
    // file's path, in every workflow input, is nowhere in the encrypted build's, while the plain build's show it.
    const client = new Client({
      connection: await Connection.connect(temporalConnectionOptions(config)),
      namespace: 'default',
      dataConverter: { payloadCodecs: [new AesGcmCodec(Buffer.from(key, 'base64'))] },
    });
    try {
      const raw = async (buildId: string) => {
        const texts: string[] = [];
        const query = `BuildId = "${buildId}" AND StartTime >= "${startedAt}"`;
        for await (const h of client.workflow.list({ query }).intoHistories())
          texts.push(encodeHistory(h.history as History).toString('latin1'));
        return texts;
      };
      const encrypted = await raw('test-encrypted');
      expect(encrypted.length).toBeGreaterThan(3);
      expect(encrypted.some((t) => t.includes(casesFile))).toBe(false);
      expect(encrypted.every((t) => t.includes('binary/encrypted'))).toBe(true);
      expect((await raw('test-resume')).some((t) => t.includes(casesFile))).toBe(true);
    } finally {
      await client.connection.close();
    }
  });

  it('refuses to attach a running build to another output folder', async () => {
    const buildId = `test-running-${Date.now()}`;
    // Started without a worker, the build stays running.
    const started = await runCli(
      ['build', '--cases', casesFile, '--out', path.join(work, 'running-a'), '--build-id', buildId, '--detach'],
      ENV,
    );
    expect(started.code).toBe(0);
    const client = new Client({ connection: await Connection.connect(temporalConnectionOptions(config)), namespace: 'default' });
    try {
      const other = await runCli(
        ['build', '--cases', casesFile, '--out', path.join(work, 'running-b'), '--build-id', buildId],
        ENV,
      );
      expect(other.code).toBe(1);
      expect(other.stderr).toContain(`build ${buildId} is running with output folder ${path.join(work, 'running-a')}`);
      const status = JSON.parse((await runCli(['status', buildId, '--json'], ENV)).stdout);
      expect(status).toMatchObject({ status: 'RUNNING', note: expect.stringContaining('no worker answered') });
    } finally {
      await client.workflow.getHandle(`build/${buildId}`).terminate('test over');
      await client.connection.close();
    }
  });

  it('names a build that does not exist', async () => {
    for (const command of ['resume', 'status']) {
      const result = await runCli([command, 'no-such-build']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('no build "no-such-build"');
    }
  });
});
