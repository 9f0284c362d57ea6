import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  configurationDifferences,
  readBuildManifest,
  resolveBuildSettings,
  resolveEvalSettings,
} from '../../cli/resolve-settings';
import { loadConfig } from '../../config';
import { isEvalSettings, runIdOf, runNoun } from '../../core/run/run-kind';
import { BuildStore } from '../../stores/build-store';
import { BUNDLED_CASES_FILE } from '../../stores/bundled-cases';

/** Builds and evaluations: settings of their own, resolved from the same configuration and flags. */
describe('build and evaluation settings', () => {
  const config = loadConfig({});
  const flags = { cases: BUNDLED_CASES_FILE, limit: 3, maxTurns: 4 };

  it('gives an evaluation one greedy episode per case, under an id of its own, and a build its tree and filter', () => {
    const build = resolveBuildSettings(config, flags);
    const evaluation = resolveEvalSettings(config, flags);
    expect(build).toMatchObject({
      maxTurns: 4,
      limit: 3,
      branching: config.build.branching,
      nodeBudget: config.build.nodeBudget,
    });
    expect(build.filter).toEqual(config.build.filter);
    expect(evaluation).toMatchObject({ mode: 'eval', branching: 1, temperature: 0, nodeBudget: 4, pruneDivergent: false });
    expect(evaluation).not.toHaveProperty('filter');
    expect(evaluation).not.toHaveProperty('buildId');
    expect(evaluation.evalId).toMatch(/^eval-bundled-[0-9a-f]{10}$/);
    expect(build.buildId).toMatch(/^bundled-[0-9a-f]{10}$/);
    expect([isEvalSettings(build), isEvalSettings(evaluation)]).toEqual([false, true]);
    expect([runIdOf(build), runIdOf(evaluation)]).toEqual([build.buildId, evaluation.evalId]);
    expect([runNoun(build), runNoun(evaluation)]).toEqual(['build', 'evaluation']);
    expect(evaluation.configHash).not.toBe(build.configHash);
  });

  it('derives the same id from the same command, another from another output folder', () => {
    const a = resolveEvalSettings(config, flags);
    expect(resolveEvalSettings(config, flags).evalId).toBe(a.evalId);
    expect(resolveEvalSettings(config, { ...flags, out: path.join(os.tmpdir(), 'elsewhere') }).evalId).not.toBe(a.evalId);
    expect(resolveEvalSettings(config, { ...flags, evalId: 'mine' }).evalId).toBe('mine');
    expect(() => resolveEvalSettings(config, { ...flags, evalId: 'no/slashes' })).toThrow(/^evaluation id "no\/slashes" must be/);
    expect(() => resolveBuildSettings(config, { ...flags, buildId: '-x' })).toThrow(/^build id "-x" must be/);
  });

  it('names every configuration field that differs, an absent one too (settings recorded by an older version)', () => {
    const build = resolveBuildSettings(config, flags);
    const { judgeVersion: _dropped, ...older } = build;
    expect(configurationDifferences(older as typeof build, build)).toEqual([`judgeVersion: absent → "${build.judgeVersion}"`]);
    const wide = resolveBuildSettings(config, { ...flags, branching: 3 });
    expect(configurationDifferences(wide, resolveEvalSettings(config, flags))).toEqual(
      expect.arrayContaining(['mode: absent → "eval"', 'branching: 3 → 1']),
    );
  });

  it("refuses to treat an evaluation's output folder as a build's", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medaction-run-settings-'));
    const evaluation = { ...resolveEvalSettings(config, flags), storeDir: dir };
    expect(readBuildManifest(dir)).toBeUndefined();
    new BuildStore(dir).writeManifest({ settings: evaluation, caseIds: ['a'] });
    expect(() => readBuildManifest(dir)).toThrow(`${dir} holds evaluation ${evaluation.evalId}, not a build`);
    const build = { ...resolveBuildSettings(config, flags), storeDir: dir };
    new BuildStore(dir).writeManifest({ settings: build, caseIds: ['a', 'b'] });
    expect(readBuildManifest(dir)).toEqual({ settings: build, caseIds: ['a', 'b'] });
  });
});
