import { CURRENT_FIXTURE, LEGACY_FIXTURE, readHistoryFixtures, replayAll } from '../support/replay';

jest.setTimeout(120_000);

/**
 * Replays the recorded histories of a finished build (test/fixtures/histories, written by the build
 * integration test with MEDACTION_RECORD_HISTORIES=1) against the current workflow code, without a
 * server. A workflow change that would break builds in flight fails here: guard it with `patched()`,
 * or, for a deliberate incompatible change, re-record the fixtures and say so.
 */
describe('workflow replay', () => {
  it('replays a build recorded before inline subtrees (build, case and branch workflows): builds in flight survive the upgrade', async () => {
    const histories = readHistoryFixtures(LEGACY_FIXTURE);
    const ids = histories.map((h) => h.workflowId);
    expect(ids).toContain('build/test-openai');
    expect(ids.filter((id) => /\/case\/[^/]+$/.test(id))).toHaveLength(3);
    expect(ids.some((id) => id.includes('/b/'))).toBe(true);
    expect(await replayAll(histories)).toEqual([]);
  });

  it('replays a build recorded by the current code (each small tree explored inside its case workflow)', async () => {
    const histories = readHistoryFixtures(CURRENT_FIXTURE);
    const ids = histories.map((h) => h.workflowId);
    expect(ids).toContain('build/test-openai');
    expect(ids.filter((id) => /\/case\/[^/]+$/.test(id))).toHaveLength(3);
    expect(await replayAll(histories)).toEqual([]);
  });
});
