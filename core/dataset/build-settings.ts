import type { FilterSettings } from '../tree/selection';

/** The endpoint's prices in USD per million tokens. */
export interface LlmPrices {
  promptPerMillion: number;
  completionPerMillion: number;
}

/** The LLM cost in USD of some tokens (null: no prices configured). */
export function llmCost(tokens: { prompt: number; completion: number }, prices: LlmPrices | null | undefined): number | null {
  if (!prices) return null;
  return (
    Math.round(((tokens.prompt * prices.promptPerMillion + tokens.completion * prices.completionPerMillion) / 1e6) * 100) / 100
  );
}

/** Tree nodes one workflow expands itself by default (see workflows/explore.ts). */
export const DEFAULT_INLINE_NODES = 200;

/**
 * Everything a build's workflows and activities need to know, fixed when the build starts and carried
 * in workflow inputs. No secrets: API keys and passwords stay in the workers' own configuration.
 */
export interface BuildSettings {
  buildId: string;
  /**
   * A dataset build (absent in builds started before evaluations existed), or an evaluation: one greedy
   * episode per case (k = 1), scored into eval.jsonl instead of a dataset.
   */
  mode?: 'build' | 'eval';
  /** An evaluation's test-cost table version (core/eval/test-costs.ts): its records carry the costs. */
  testCostsVersion?: string;
  /** The output folder (absolute): dataset files, and the work store under work/. */
  storeDir: string;
  /** The canonical case file (absolute) and the SHA-256 of its content when the build started. */
  casesFile: string;
  casesHash: string;
  /** Only the first N cases of the file (null: all). */
  limit: number | null;
  policy: 'kg-baseline' | 'openai';
  /** The LLM model (null for the offline policy). */
  model: string | null;
  temperature: number;
  branching: number;
  maxTurns: number;
  nodeBudget: number;
  seed: number;
  /** Cases in flight at once. */
  concurrency: number;
  /** Cases one run of the build workflow starts before it continues as new (keeps its history small). */
  casesPerRun: number;
  /**
   * Tree nodes one workflow expands itself before starting child workflows (orchestration only: not part
   * of the configuration hash). Absent in builds started before it existed.
   */
  inlineNodes?: number;
  pruneDivergent: boolean;
  /** The oracle answers catch-all orders (OracleOptions.allowCatchAll); absent: it does not. */
  allowCatchAll?: boolean;
  judge: 'kg' | 'llm';
  /** The LLM judge's model (null with the KG judge). */
  judgeModel: string | null;
  /**
   * The judge's version: the offline judge's rule (JUDGE_VERSION) or the LLM judge's prompt
   * (JUDGE_PROMPT_VERSION). Absent in builds started before it existed.
   */
  judgeVersion?: string;
  /** The metric definitions' version and their grounding table's hash (docs/metrics.md). Absent in builds started before it existed. */
  metricsVersion?: string;
  /** The oracle's test lexicon, by content hash (data/oracle/test-lexicon.json). Absent in builds started before it existed. */
  oracleVersion?: string;
  filter: FilterSettings;
  promptsVersion: string;
  taskQueues: { workflows: string; kg: string; llm: string };
  /** Per-request timeout of the LLM endpoint and attempts of an LLM activity (sets activity timeouts). */
  llmRequestTimeoutMs: number;
  llmMaxAttempts: number;
  /** USD per million prompt / completion tokens, for the reports' LLM cost (absent: not priced). Not part of the configuration hash. */
  llmPrices?: LlmPrices | null;
  /** Hash of the fields that decide the dataset's content (see configurationFields). */
  configHash: string;
  /** Configuration changes a resume was forced through (`--force`), as "field: old → new". */
  forced: string[];
}

/** The settings that decide what a build produces; a resumed build must have the same ones. */
export function configurationFields(s: Omit<BuildSettings, 'configHash' | 'forced'>): Record<string, unknown> {
  return {
    // Only evaluations name their mode: builds keep the configuration hash they always had.
    ...(s.mode === 'eval' ? { mode: s.mode, testCostsVersion: s.testCostsVersion } : {}),
    casesHash: s.casesHash,
    limit: s.limit,
    policy: s.policy,
    model: s.model,
    temperature: s.temperature,
    branching: s.branching,
    maxTurns: s.maxTurns,
    nodeBudget: s.nodeBudget,
    seed: s.seed,
    pruneDivergent: s.pruneDivergent,
    ...(s.allowCatchAll ? { allowCatchAll: true } : {}),
    judge: s.judge,
    judgeModel: s.judgeModel,
    // A new judge changes the verdicts: a build resumed under another judge would mix them.
    ...(s.judgeVersion !== undefined ? { judgeVersion: s.judgeVersion } : {}),
    // New metric definitions change what is kept, like a new judge.
    ...(s.metricsVersion !== undefined ? { metricsVersion: s.metricsVersion } : {}),
    // Another lexicon answers orders differently: a resumed build would mix two oracles' answers.
    ...(s.oracleVersion !== undefined ? { oracleVersion: s.oracleVersion } : {}),
    filter: s.filter,
    promptsVersion: s.promptsVersion,
  };
}
