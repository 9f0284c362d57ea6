import path from 'node:path';
import stableStringify from 'fast-json-stable-stringify';
import type { Config } from '../config';
import { buildConfigurationFields, type BuildSettings } from '../core/dataset/build-settings';
import { UserError } from '../core/errors';
import { evalConfigurationFields, type EvalSettings } from '../core/eval/eval-settings';
import { TEST_COSTS_VERSION } from '../core/eval/test-costs';
import { JUDGE_VERSION } from '../core/judge/compositional-judge';
import { configurationFieldsOf, isEvalSettings, type AnyRunSettings } from '../core/run/run-kind';
import type { RunSettings } from '../core/run/run-settings';
import { BuildStore, type RunManifest } from '../stores/build-store';
import { sha256 } from '../stores/case-cache';
import { readCaseFile } from '../stores/case-store';
import { readTextFile } from '../stores/files';
import {
  JUDGE_PROMPT_AND_SCHEMA_VERSION,
  METRICS_TABLES_VERSION,
  ORACLE_VERSION,
  PROMPTS_AND_SCHEMA_VERSION,
} from './data-tables';

/** The command-line flags a build or an evaluation shares. */
export interface RunFlags {
  cases: string;
  out?: string;
  policy?: string;
  model?: string;
  maxTurns?: number;
  concurrency?: number;
  limit?: number;
  seed?: number;
  /** The correctness judge (default: config build.judge) and the LLM judge's model (default: config llm.model). */
  judge?: 'kg' | 'llm';
  judgeModel?: string;
}

export interface BuildFlags extends RunFlags {
  buildId?: string;
  branching?: number;
  nodeBudget?: number;
}

export interface EvalFlags extends RunFlags {
  evalId?: string;
}

/** Build and evaluation ids become workflow ids and folder names: keep them plain. */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

type Unnamed<S> = Omit<S, 'configHash' | 'forced' | 'storeDir'>;

/**
 * The settings of a dataset build from the configuration and the command line (flags win). The case
 * file is read and checked here, so a malformed file is refused before anything starts. Without
 * --build-id the id is derived from the case file's name and a hash of the configuration and output
 * folder: running the same command again continues the same build.
 */
export function resolveBuildSettings(config: Config, flags: BuildFlags): BuildSettings {
  const common = resolveRunSettings(config, flags);
  const base: Unnamed<Omit<BuildSettings, 'buildId'>> = {
    ...common,
    branching: flags.branching ?? config.build.branching,
    nodeBudget: flags.nodeBudget ?? config.build.nodeBudget,
    filter: config.build.filter,
  };
  const configHash = sha256(stableStringify(buildConfigurationFields({ ...base, buildId: '', storeDir: '' })));
  const buildId = flags.buildId ?? derivedId('', flags, configHash);
  return { ...base, buildId: checkedId(buildId, 'build'), storeDir: storeDirFor(flags, buildId), configHash, forced: [] };
}

/**
 * The settings of an evaluation: the build's settings with one greedy episode per case — a single
 * candidate (k = 1) at temperature 0, a line of maxTurns nodes, nothing pruned (a wrong answer is
 * scored, not dropped). Ids are derived as for a build, with an "eval-" prefix.
 */
export function resolveEvalSettings(config: Config, flags: EvalFlags): EvalSettings {
  const common = resolveRunSettings(config, flags);
  const base: Unnamed<Omit<EvalSettings, 'evalId'>> = {
    ...common,
    mode: 'eval',
    testCostsVersion: TEST_COSTS_VERSION,
    branching: 1,
    temperature: 0,
    nodeBudget: common.maxTurns,
    pruneDivergent: false,
  };
  const configHash = sha256(stableStringify(evalConfigurationFields({ ...base, evalId: '', storeDir: '' })));
  const evalId = flags.evalId ?? derivedId('eval-', flags, configHash);
  return { ...base, evalId: checkedId(evalId, 'evaluation'), storeDir: storeDirFor(flags, evalId), configHash, forced: [] };
}

/** The settings every run shares, from the configuration and the shared flags. */
function resolveRunSettings(config: Config, flags: RunFlags): Unnamed<RunSettings> {
  const casesFile = path.resolve(flags.cases);
  const content = readTextFile(casesFile, 'case file');
  const cases = readCaseFile(casesFile);
  if (cases.length === 0) throw new UserError(`case file ${casesFile} holds no case`);
  if (flags.limit !== undefined && flags.limit < 1) throw new UserError('--limit must be a positive integer', 2);
  const policy = (flags.policy ?? config.build.policy) as RunSettings['policy'];
  if (policy !== 'kg-baseline' && policy !== 'openai') {
    throw new UserError(`unknown policy "${flags.policy}": expected kg-baseline or openai`, 2);
  }
  const judge = flags.judge ?? config.build.judge;
  if (judge !== 'kg' && judge !== 'llm') throw new UserError(`unknown judge "${String(judge)}": expected kg or llm`, 2);
  const { pricePerMillionPromptTokens: prompt, pricePerMillionCompletionTokens: completion } = config.llm;
  return {
    casesFile,
    casesHash: sha256(content),
    limit: flags.limit ?? null,
    policy,
    model: policy === 'openai' ? (flags.model ?? config.llm.model) : null,
    temperature: config.llm.temperature,
    branching: config.build.branching,
    maxTurns: flags.maxTurns ?? config.build.maxTurns,
    nodeBudget: config.build.nodeBudget,
    seed: flags.seed ?? config.build.seed,
    concurrency: flags.concurrency ?? config.build.concurrency,
    casesPerRun: config.build.casesPerRun,
    inlineNodes: config.build.inlineNodes,
    pruneDivergent: config.build.pruneDivergent,
    allowCatchAll: config.build.allowCatchAll,
    judge,
    judgeModel: judge === 'llm' ? (flags.judgeModel ?? flags.model ?? config.llm.model) : null,
    judgeVersion: judge === 'llm' ? JUDGE_PROMPT_AND_SCHEMA_VERSION : JUDGE_VERSION,
    metricsVersion: METRICS_TABLES_VERSION,
    oracleVersion: ORACLE_VERSION,
    promptsVersion: PROMPTS_AND_SCHEMA_VERSION,
    taskQueues: config.temporal.taskQueues,
    llmRequestTimeoutMs: config.llm.requestTimeoutMs,
    llmMaxAttempts: config.llm.maxAttempts,
    llmPrices:
      prompt === undefined && completion === undefined
        ? null
        : { promptPerMillion: prompt ?? 0, completionPerMillion: completion ?? 0 },
  };
}

/** An id from the case file's name and a hash of the configuration and the output folder. */
function derivedId(prefix: string, flags: RunFlags, configHash: string): string {
  const stem = path
    .basename(flags.cases)
    .replace(/\.jsonl?$/i, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-');
  return `${prefix}${stem}-${sha256(`${configHash}|${flags.out ? path.resolve(flags.out) : ''}`).slice(0, 10)}`;
}

function checkedId(id: string, noun: 'build' | 'evaluation'): string {
  if (!RUN_ID.test(id)) throw new UserError(`${noun} id "${id}" must be 1-80 letters, digits, dots, dashes or underscores`, 2);
  return id;
}

function storeDirFor(flags: RunFlags, id: string): string {
  return path.resolve(flags.out ?? path.join('output', id));
}

/** The build's or evaluation's manifest in its output folder, if it has one. */
export function readManifest(storeDir: string): RunManifest | undefined {
  return new BuildStore(storeDir).readManifest();
}

/**
 * A build's manifest in its output folder, if it has one; an evaluation's folder is an error (an
 * evaluation is continued by running its `medaction eval` command again).
 */
export function readBuildManifest(storeDir: string): { settings: BuildSettings; caseIds: string[] } | undefined {
  const manifest = readManifest(storeDir);
  if (!manifest) return undefined;
  const { settings, caseIds } = manifest;
  if (isEvalSettings(settings)) {
    throw new UserError(
      `${storeDir} holds evaluation ${settings.evalId}, not a build: continue it by running its \`medaction eval\` command again`,
    );
  }
  return { settings, caseIds };
}

/** The configuration fields that differ between two runs' settings, as "field: old → new". */
export function configurationDifferences(before: AnyRunSettings, after: AnyRunSettings): string[] {
  const a = configurationFieldsOf(before);
  const b = configurationFieldsOf(after);
  const show = (v: unknown) => {
    const text = typeof v === 'string' && /^[0-9a-f]{64}$/.test(v) ? `${v.slice(0, 12)}…` : stableStringify(v);
    return text === undefined ? 'absent' : text.length > 80 ? `${text.slice(0, 80)}…` : text;
  };
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  // A settings group (the filter) is compared field by field, so the message names what changed.
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((k) => {
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
