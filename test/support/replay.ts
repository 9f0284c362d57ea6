import fs from 'node:fs';
import path from 'node:path';
import type { History } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { PROJECT_ROOT } from '../../config/project-root';

/**
 * Recorded histories of finished builds (test/integration/build-openai.test.ts writes them on request):
 * `openai-build.json` was recorded before inline subtrees (a workflow per line of the tree) and stays, so
 * builds in flight from that code keep replaying; `openai-build-inline.json` by the current code.
 */
export const HISTORY_FIXTURES_DIR = path.join(PROJECT_ROOT, 'test', 'fixtures', 'histories');
export const LEGACY_FIXTURE = 'openai-build.json';
export const CURRENT_FIXTURE = 'openai-build-inline.json';

export interface RecordedHistory {
  workflowId: string;
  history: History;
}

/**
 * Replays histories against the current workflow code (bundled from ./workflows) and returns the
 * failures as "workflow id: error": a workflow change that is not deterministic for an existing history
 * (not guarded by `patched()`) shows up here.
 */
export async function replayAll(histories: RecordedHistory[]): Promise<string[]> {
  const failures: string[] = [];
  const results = Worker.runReplayHistories(
    { workflowsPath: require.resolve('../../workflows'), replayName: 'medaction-replay' },
    histories.map((h) => ({ workflowId: h.workflowId, history: h.history })),
  );
  for await (const result of results) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  return failures;
}

/** A history as protobuf bytes: what the server stores, payloads included as they are. */
export function encodeHistory(history: History): Buffer {
  return Buffer.from(temporal.api.history.v1.History.encode(history as temporal.api.history.v1.IHistory).finish());
}

export function writeHistoryFixtures(histories: RecordedHistory[], name = CURRENT_FIXTURE): void {
  fs.mkdirSync(HISTORY_FIXTURES_DIR, { recursive: true });
  const records = histories
    .map((h) => ({ workflowId: h.workflowId, history: encodeHistory(h.history).toString('base64') }))
    .sort((a, b) => a.workflowId.localeCompare(b.workflowId));
  fs.writeFileSync(path.join(HISTORY_FIXTURES_DIR, name), `${JSON.stringify(records, null, 1)}\n`);
}

export function readHistoryFixtures(name: string): RecordedHistory[] {
  const records = JSON.parse(fs.readFileSync(path.join(HISTORY_FIXTURES_DIR, name), 'utf8')) as {
    workflowId: string;
    history: string;
  }[];
  return records.map((r) => ({
    workflowId: r.workflowId,
    history: temporal.api.history.v1.History.decode(Buffer.from(r.history, 'base64')) as History,
  }));
}
