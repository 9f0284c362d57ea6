import { JUDGE_PROMPT_VERSION } from '../core/dataset/judge-prompt';
import { JUDGE_VERSION } from '../core/judge/compositional-judge';
import { METRICS_TABLES_VERSION, ORACLE_VERSION } from './data-tables';
import path from 'node:path';
import { BuildStore, type BuildManifest } from '../stores/build-store';
import stableStringify from 'fast-json-stable-stringify';
import type { Config } from '../config';
import { configurationFields, type BuildSettings } from '../core/dataset/build-settings';
import { UserError } from '../core/errors';
import { TEST_COSTS_VERSION } from '../core/eval/test-costs';
import { PROMPTS_VERSION } from '../core/policy/prompts';
import { readCaseFile } from '../stores/case-store';
import { sha256 } from '../stores/case-cache';
import { readTextFile } from '../stores/files';

export interface BuildFlags {
  cases: string;
  out?: string;
  buildId?: string;
  policy?: string;
  model?: string;
  branching?: number;
  maxTurns?: number;
  nodeBudget?: number;
  concurrency?: number;
  limit?: number;
  seed?: number;
  /** The correctness judge (default: config build.judge) and the LLM judge's model (default: config llm.model). */
  judge?: 'kg' | 'llm';
  judgeModel?: string;
}

/** Build ids become workflow ids and folder names: keep them plain. */
const BUILD_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

/**
 * The settings of a build from the configuration and the command line (flags win). The case file is
 * read and checked here, so a malformed file is refused before anything starts. Without --build-id the
 * id is derived from the case file's name and a hash of the configuration and output folder: running
 * the same command again continues the same build.
 */
export function resolveBuildSettings(config: Config, flags: BuildFlags, mode: 'build' | 'eval' = 'build'): BuildSettings {
  const casesFile = path.resolve(flags.cases);
  const content = readTextFile(casesFile, 'case file');
  const cases = readCaseFile(casesFile);
  if (cases.length === 0) throw new UserError(`case file ${casesFile} holds no case`);
  if (flags.limit !== undefined && flags.limit < 1) throw new UserError('--limit must be a positive integer', 2);
  const policy = (flags.policy ?? config.build.policy) as BuildSettings['policy'];
  if (policy !== 'kg-baseline' && policy !== 'openai') {
    throw new UserError(`unknown policy "${flags.policy}": expected kg-baseline or openai`, 2);
  }
  const judge = flags.judge ?? config.build.judge;
  if (judge !== 'kg' && judge !== 'llm') throw new UserError(`unknown judge "${String(judge)}": expected kg or llm`, 2);
  const maxTurns = flags.maxTurns ?? config.build.maxTurns;
  const base: Omit<BuildSettings, 'configHash' | 'buildId' | 'storeDir' | 'forced'> = {
    casesFile,
    casesHash: sha256(content),
    limit: flags.limit ?? null,
    policy,
    model: policy === 'openai' ? (flags.model ?? config.llm.model) : null,
    temperature: config.llm.temperature,
    branching: flags.branching ?? config.build.branching,
    maxTurns,
    nodeBudget: flags.nodeBudget ?? config.build.nodeBudget,
    seed: flags.seed ?? config.build.seed,
    concurrency: flags.concurrency ?? config.build.concurrency,
    casesPerRun: config.build.casesPerRun,
    inlineNodes: config.build.inlineNodes,
    pruneDivergent: config.build.pruneDivergent,
    ...(config.build.allowCatchAll ? { allowCatchAll: true } : {}),
    judge,
    judgeModel: judge === 'llm' ? (flags.judgeModel ?? flags.model ?? config.llm.model) : null,
    judgeVersion: judge === 'llm' ? JUDGE_PROMPT_VERSION : JUDGE_VERSION,
    metricsVersion: METRICS_TABLES_VERSION,
    oracleVersion: ORACLE_VERSION,
    filter: config.build.filter,
    promptsVersion: PROMPTS_VERSION,
    taskQueues: config.temporal.taskQueues,
    llmRequestTimeoutMs: config.llm.requestTimeoutMs,
    llmMaxAttempts: config.llm.maxAttempts,
    llmPrices:
      config.llm.pricePerMillionPromptTokens === undefined && config.llm.pricePerMillionCompletionTokens === undefined
        ? null
        : {
            promptPerMillion: config.llm.pricePerMillionPromptTokens ?? 0,
            completionPerMillion: config.llm.pricePerMillionCompletionTokens ?? 0,
          },
  };
  if (mode === 'eval') {
    // One greedy episode per case: a single candidate (k = 1) at temperature 0, a line of maxTurns
    // nodes, nothing pruned (a wrong answer is scored, not dropped).
    Object.assign(base, {
      mode,
      testCostsVersion: TEST_COSTS_VERSION,
      branching: 1,
      temperature: 0,
      nodeBudget: maxTurns,
      pruneDivergent: false,
    });
  }
  const configHash = sha256(stableStringify(configurationFields({ ...base, buildId: '', storeDir: '' })));
  const stem = path
    .basename(casesFile)
    .replace(/\.jsonl?$/i, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-');
  const buildId =
    flags.buildId ??
    `${mode === 'eval' ? 'eval-' : ''}${stem}-${sha256(`${configHash}|${flags.out ? path.resolve(flags.out) : ''}`).slice(0, 10)}`;
  if (!BUILD_ID.test(buildId)) {
    throw new UserError(`build id "${buildId}" must be 1-80 letters, digits, dots, dashes or underscores`, 2);
  }
  const storeDir = path.resolve(flags.out ?? path.join('output', buildId));
  return { ...base, buildId, storeDir, configHash, forced: [] };
}

/** The build's manifest in its output folder, if it has one. */
export function readManifest(storeDir: string): BuildManifest | undefined {
  return new BuildStore(storeDir).readManifest();
}

/** The configuration fields that differ between two builds' settings, as "field: old → new". */
export function configurationDifferences(before: BuildSettings, after: BuildSettings): string[] {
  const a = configurationFields(before);
  const b = configurationFields(after);
  const show = (v: unknown) => {
    const text = typeof v === 'string' && /^[0-9a-f]{64}$/.test(v) ? `${v.slice(0, 12)}…` : stableStringify(v);
    return text.length > 80 ? `${text.slice(0, 80)}…` : text;
  };
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  // A settings group (the filter) is compared field by field, so the message names what changed.
  return Object.keys(b).flatMap((k) => {
    const [x, y] = [a[k], b[k]];
    if (stableStringify(x) === stableStringify(y)) return [];
    if (!isRecord(x) || !isRecord(y)) return [`${k}: ${show(x)} → ${show(y)}`];
    return [...new Set([...Object.keys(x), ...Object.keys(y)])]
      .sort()
      .filter((f) => stableStringify(x[f]) !== stableStringify(y[f]))
      .map((f) => `${k}.${f}: ${show(x[f])} → ${show(y[f])}`);
  });
}

/** The flags that reproduce a recorded build's settings (for `medaction resume`). */
export function flagsOf(settings: BuildSettings): BuildFlags {
  return {
    cases: settings.casesFile,
    out: settings.storeDir,
    buildId: settings.buildId,
    policy: settings.policy,
    ...(settings.model ? { model: settings.model } : {}),
    branching: settings.branching,
    maxTurns: settings.maxTurns,
    nodeBudget: settings.nodeBudget,
    concurrency: settings.concurrency,
    ...(settings.limit !== null ? { limit: settings.limit } : {}),
    seed: settings.seed,
    judge: settings.judge,
    ...(settings.judgeModel ? { judgeModel: settings.judgeModel } : {}),
  };
}
