/**
 * Where settings come from: one environment variable per setting (listed here, and in the README),
 * and an optional JSON config file with the same nested shape as the schema.
 */

export interface EnvBinding {
  /** Dotted path into the config object, e.g. "temporal.address". */
  path: string;
  /** Environment variables read for it, first non-empty wins. */
  vars: string[];
  /** A secret's value is never echoed in error messages. */
  secret?: boolean;
}

export const ENV_BINDINGS: EnvBinding[] = [
  { path: 'temporal.address', vars: ['MEDACTION_TEMPORAL_ADDRESS'] },
  { path: 'temporal.namespace', vars: ['MEDACTION_TEMPORAL_NAMESPACE'] },
  { path: 'temporal.uiUrl', vars: ['MEDACTION_TEMPORAL_UI_URL'] },
  { path: 'temporal.tls', vars: ['MEDACTION_TEMPORAL_TLS'] },
  { path: 'temporal.apiKey', vars: ['MEDACTION_TEMPORAL_API_KEY'], secret: true },
  { path: 'temporal.payloadKey', vars: ['MEDACTION_PAYLOAD_KEY'], secret: true },
  { path: 'temporal.tlsCertPath', vars: ['MEDACTION_TEMPORAL_TLS_CERT'] },
  { path: 'temporal.tlsKeyPath', vars: ['MEDACTION_TEMPORAL_TLS_KEY'] },
  { path: 'temporal.taskQueues.workflows', vars: ['MEDACTION_TASK_QUEUE'] },
  { path: 'temporal.taskQueues.llm', vars: ['MEDACTION_LLM_TASK_QUEUE'] },
  { path: 'temporal.taskQueues.kg', vars: ['MEDACTION_KG_TASK_QUEUE'] },
  { path: 'neo4j.uri', vars: ['MEDACTION_NEO4J_URI'] },
  { path: 'neo4j.user', vars: ['MEDACTION_NEO4J_USER'] },
  { path: 'neo4j.password', vars: ['MEDACTION_NEO4J_PASSWORD'], secret: true },
  { path: 'neo4j.database', vars: ['MEDACTION_NEO4J_DATABASE'] },
  { path: 'llm.baseUrl', vars: ['MEDACTION_LLM_BASE_URL', 'OPENAI_BASE_URL'] },
  { path: 'llm.apiKey', vars: ['MEDACTION_LLM_API_KEY', 'OPENAI_API_KEY'], secret: true },
  { path: 'llm.model', vars: ['MEDACTION_LLM_MODEL'] },
  { path: 'llm.requestTimeoutMs', vars: ['MEDACTION_LLM_TIMEOUT_MS'] },
  { path: 'llm.maxConcurrency', vars: ['MEDACTION_LLM_CONCURRENCY'] },
  { path: 'llm.maxRequestsPerSecond', vars: ['MEDACTION_LLM_RATE_PER_SECOND'] },
  { path: 'llm.responseFormat', vars: ['MEDACTION_LLM_RESPONSE_FORMAT'] },
  { path: 'llm.maxTokensParameter', vars: ['MEDACTION_LLM_MAX_TOKENS_PARAMETER'] },
  { path: 'llm.sendTemperature', vars: ['MEDACTION_LLM_SEND_TEMPERATURE'] },
  { path: 'llm.reasoningEffort', vars: ['MEDACTION_LLM_REASONING_EFFORT'] },
  { path: 'llm.extraBody', vars: ['MEDACTION_LLM_EXTRA_BODY'] },
  { path: 'llm.temperature', vars: ['MEDACTION_LLM_TEMPERATURE'] },
  { path: 'llm.maxTokens', vars: ['MEDACTION_LLM_MAX_TOKENS'] },
  { path: 'llm.maxAttempts', vars: ['MEDACTION_LLM_MAX_ATTEMPTS'] },
  { path: 'llm.pricePerMillionPromptTokens', vars: ['MEDACTION_LLM_PRICE_PROMPT'] },
  { path: 'llm.pricePerMillionCompletionTokens', vars: ['MEDACTION_LLM_PRICE_COMPLETION'] },
  { path: 'build.policy', vars: ['MEDACTION_POLICY'] },
  { path: 'build.branching', vars: ['MEDACTION_BRANCHING'] },
  { path: 'build.maxTurns', vars: ['MEDACTION_MAX_TURNS'] },
  { path: 'build.concurrency', vars: ['MEDACTION_CONCURRENCY'] },
  { path: 'build.casesPerRun', vars: ['MEDACTION_CASES_PER_RUN'] },
  { path: 'build.inlineNodes', vars: ['MEDACTION_INLINE_NODES'] },
  { path: 'build.seed', vars: ['MEDACTION_SEED'] },
  { path: 'build.nodeBudget', vars: ['MEDACTION_NODE_BUDGET'] },
  { path: 'build.pruneDivergent', vars: ['MEDACTION_PRUNE_DIVERGENT'] },
  { path: 'build.allowCatchAll', vars: ['MEDACTION_ALLOW_CATCH_ALL'] },
  { path: 'build.judge', vars: ['MEDACTION_JUDGE'] },
  { path: 'build.filter.minDtc', vars: ['MEDACTION_MIN_DTC'] },
  { path: 'build.filter.minRac', vars: ['MEDACTION_MIN_RAC'] },
  { path: 'build.filter.minGroundedOrdering', vars: ['MEDACTION_MIN_GROUNDED'] },
  { path: 'build.filter.minAnswered', vars: ['MEDACTION_MIN_ANSWERED'] },
  { path: 'build.filter.minPrefixTurns', vars: ['MEDACTION_MIN_PREFIX_TURNS'] },
  { path: 'services.toolsDir', vars: ['MEDACTION_TOOLS_DIR'] },
  { path: 'services.stateDir', vars: ['MEDACTION_STATE_DIR'] },
  { path: 'services.neo4jHeap', vars: ['MEDACTION_NEO4J_HEAP'] },
  { path: 'services.neo4jPageCache', vars: ['MEDACTION_NEO4J_PAGECACHE'] },
  { path: 'services.startTimeoutSeconds', vars: ['MEDACTION_START_TIMEOUT_S'] },
  { path: 'services.temporal', vars: ['MEDACTION_TEMPORAL_SERVER'] },
  { path: 'services.postgresPort', vars: ['MEDACTION_POSTGRES_PORT'] },
  { path: 'services.postgresPassword', vars: ['MEDACTION_POSTGRES_PASSWORD'], secret: true },
  { path: 'localLlm.port', vars: ['MEDACTION_LOCAL_LLM_PORT'] },
  { path: 'localLlm.modelFile', vars: ['MEDACTION_LOCAL_LLM_MODEL_FILE'] },
  { path: 'localLlm.modelName', vars: ['MEDACTION_LOCAL_LLM_MODEL_NAME'] },
  { path: 'localLlm.contextTokens', vars: ['MEDACTION_LOCAL_LLM_CONTEXT'] },
  { path: 'localLlm.threads', vars: ['MEDACTION_LOCAL_LLM_THREADS'] },
  { path: 'localLlm.python', vars: ['MEDACTION_PYTHON'] },
];

/** The variable naming the optional JSON config file (the CLI's --config takes precedence). */
export const CONFIG_FILE_VAR = 'MEDACTION_CONFIG';

export type RawConfig = Record<string, unknown>;

export interface ValueOrigin {
  /** e.g. "env MEDACTION_NEO4J_URI" or "config.json". */
  source: string;
  secret: boolean;
  value: unknown;
}

/** Sets obj[a][b][c] = value for path "a.b.c", creating objects on the way. */
export function setPath(obj: RawConfig, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node: RawConfig = obj;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as RawConfig;
  }
  node[keys[keys.length - 1] as string] = value;
}

/** Leaves of a nested object as [dotted path, value] pairs. */
export function flatten(obj: unknown, prefix = ''): Array<[string, unknown]> {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return [[prefix, obj]];
  const out: Array<[string, unknown]> = [];
  for (const [key, value] of Object.entries(obj)) {
    const dotted = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) out.push(...flatten(value, dotted));
    else out.push([dotted, value]);
  }
  return out;
}

/** Reads the environment into a raw (unvalidated) nested object; empty variables count as unset. */
export function readEnv(env: NodeJS.ProcessEnv, raw: RawConfig, origins: Map<string, ValueOrigin>): void {
  for (const binding of ENV_BINDINGS) {
    const name = binding.vars.find((v) => (env[v] ?? '').trim() !== '');
    if (name === undefined) continue;
    const value = env[name] as string;
    setPath(raw, binding.path, value);
    origins.set(binding.path, { source: `env ${name}`, secret: binding.secret ?? false, value });
  }
}

export function isSecretPath(dotted: string): boolean {
  return ENV_BINDINGS.some((b) => b.path === dotted && b.secret === true);
}
