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
 * What a dataset build and an evaluation have in common: everything the case runner, the tree
 * exploration, the policy, the oracle and the store need, fixed when the run starts and carried in
 * workflow inputs. No secrets: API keys and passwords stay in the workers' own configuration.
 * A build adds its id and trajectory filter (core/dataset/build-settings.ts), an evaluation its id and
 * test-cost table (core/eval/eval-settings.ts).
 */
export interface RunSettings {
  /** The output folder (absolute): the run's files, and the work store under work/. */
  storeDir: string;
  /** The canonical case file (absolute) and the SHA-256 of its content when the run started. */
  casesFile: string;
  casesHash: string;
  /** Only the first N cases of the file (null: all). */
  limit: number | null;
  policy: 'kg-baseline' | 'openai';
  /** The LLM model (null for the offline policy). */
  model: string | null;
  temperature: number;
  /** Candidate turns per node (1 in an evaluation). */
  branching: number;
  maxTurns: number;
  nodeBudget: number;
  seed: number;
  /** Cases in flight at once. */
  concurrency: number;
  /** Cases one run of the workflow starts before it continues as new (keeps its history small). */
  casesPerRun: number;
  /**
   * Tree nodes one workflow expands itself before starting child workflows (orchestration only: not part
   * of the configuration hash). Absent in the build recorded before inline subtrees
   * (test/fixtures/histories/openai-build.json), which the replay test still runs.
   */
  inlineNodes?: number;
  pruneDivergent: boolean;
  /** The oracle answers catch-all orders (OracleOptions.allowCatchAll). */
  allowCatchAll: boolean;
  judge: 'kg' | 'llm';
  /** The LLM judge's model (null with the KG judge). */
  judgeModel: string | null;
  /** The judge's version: the offline judge's rule (JUDGE_VERSION) or the LLM judge's prompt (JUDGE_PROMPT_VERSION). */
  judgeVersion: string;
  /** The metric definitions' version and their grounding table's hash (docs/metrics.md). */
  metricsVersion: string;
  /** The oracle's rules and test lexicon, by content hash (data/oracle/test-lexicon.json). */
  oracleVersion: string;
  promptsVersion: string;
  taskQueues: { workflows: string; kg: string; llm: string };
  /** Per-request timeout of the LLM endpoint and attempts of an LLM activity (sets activity timeouts). */
  llmRequestTimeoutMs: number;
  llmMaxAttempts: number;
  /** USD per million prompt / completion tokens, for the reports' LLM cost (null: not priced). Not part of the configuration hash. */
  llmPrices: LlmPrices | null;
  /** Hash of the fields that decide the run's content (its configuration fields). */
  configHash: string;
  /** Configuration changes a resume was forced through (`--force`), as "field: old → new". */
  forced: string[];
}

/** The fields a run's content depends on, common to builds and evaluations. */
export function runConfigurationFields(s: Omit<RunSettings, 'configHash' | 'forced'>): Record<string, unknown> {
  return {
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
    // Another oracle answers orders differently: a resumed run would mix two oracles' answers.
    allowCatchAll: s.allowCatchAll,
    oracleVersion: s.oracleVersion,
    judge: s.judge,
    judgeModel: s.judgeModel,
    // A new judge or new metric definitions change the verdicts and what is kept.
    judgeVersion: s.judgeVersion,
    metricsVersion: s.metricsVersion,
    promptsVersion: s.promptsVersion,
  };
}
