import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_INLINE_NODES } from '../core/run/run-settings';
import { PROJECT_ROOT } from './project-root';
import { Secret } from './secret';

/**
 * Every MedAction setting, in one schema. Values come from (lowest to highest precedence) the defaults
 * below, an optional JSON config file, and environment variables (see ./sources.ts for their names).
 * Defaults describe the local set-up that `medaction services up` starts, so nothing is required to
 * run on one machine; pointing at a Temporal cluster / Temporal Cloud or a remote Neo4j is a matter of
 * setting the addresses and credentials.
 */

const secret = z
  .string({ error: 'expected a non-empty string' })
  .min(1, { error: 'expected a non-empty string' })
  .transform((value) => new Secret(value));

const nonEmpty = (what: string) =>
  z
    .string({ error: `expected ${what}` })
    .trim()
    .min(1, { error: `expected ${what}` });

/** host:port, where host may be a name, an IPv4 address or a bracketed IPv6 address. */
const hostPort = z
  .string({ error: 'expected host:port, e.g. 127.0.0.1:7233' })
  .trim()
  .refine(
    (value) => {
      const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(value);
      return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 65535;
    },
    { error: 'expected host:port with a numeric port 1-65535, e.g. 127.0.0.1:7233' },
  );

const urlWithScheme = (schemes: string[], example: string) =>
  z
    .string({ error: `expected a URL like ${example}` })
    .trim()
    .refine(
      (value) => {
        try {
          const url = new URL(value);
          const portOk = url.port === '' || (Number(url.port) >= 1 && Number(url.port) <= 65535);
          return schemes.includes(url.protocol.replace(/:$/, '')) && url.hostname !== '' && portOk;
        } catch {
          return false;
        }
      },
      { error: `expected a URL with scheme ${schemes.join('|')}, e.g. ${example}` },
    );

/** The structured-output formats an endpoint can be asked for, most constrained first. */
export const RESPONSE_FORMATS = ['strict', 'json_schema', 'json_object'] as const;

/** A JSON object, given as one (config file) or as its JSON text (environment variable). */
const jsonObject = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  },
  z.record(z.string(), z.unknown(), { error: 'expected a JSON object, e.g. {"top_k": 20}' }),
);

const positiveInt = (what: string) =>
  z.coerce
    .number({ error: `expected ${what}` })
    .int({ error: `expected ${what}` })
    .positive({ error: `expected ${what}` });

const positiveNumber = (what: string) => z.coerce.number({ error: `expected ${what}` }).positive({ error: `expected ${what}` });

/** A share in [0, 1]. */
const share = z.coerce
  .number({ error: 'expected a number in [0, 1]' })
  .min(0, { error: 'expected a number in [0, 1]' })
  .max(1, { error: 'expected a number in [0, 1]' });

/** Environment variables are strings; accept the usual spellings of true/false. */
const flag = z.union([z.boolean(), z.stringbool({ error: 'expected true or false' })], {
  error: 'expected true or false',
});

/** A JVM memory size such as 512m or 2g. */
const memorySize = z
  .string({ error: 'expected a memory size like 512m or 2g' })
  .trim()
  .regex(/^\d+[kmgKMG]$/, { error: 'expected a memory size like 512m or 2g' });

const folder = z
  .string({ error: 'expected a folder path' })
  .trim()
  .min(1, { error: 'expected a folder path' })
  .transform((value) => path.resolve(PROJECT_ROOT, value));

export const POLICIES = ['kg-baseline', 'openai'] as const;

export const configSchema = z.object({
  temporal: z
    .object({
      /** gRPC frontend, e.g. 127.0.0.1:7233 or <namespace>.<account>.tmprl.cloud:7233. */
      address: hostPort.default('127.0.0.1:7233'),
      namespace: nonEmpty('a namespace name').default('default'),
      /** Where people look at workflows; the CLI prints links into it. */
      uiUrl: urlWithScheme(['http', 'https'], 'http://127.0.0.1:8233').default('http://127.0.0.1:8233'),
      /** TLS to the frontend; implied by an API key (Temporal Cloud). */
      tls: flag.default(false),
      apiKey: secret.optional(),
      /**
       * Base64 of a 32-byte AES-256-GCM key: payloads (inputs, results, memos) are encrypted before they
       * reach the server (clients/payload-codec.ts). Every client and worker of a build needs the same key.
       */
      payloadKey: secret
        .refine((s) => Buffer.from(s.reveal(), 'base64').length === 32, {
          error: 'expected base64 of 32 bytes, e.g. from `openssl rand -base64 32`',
        })
        .optional(),
      /** mTLS client certificate and key files (Temporal Cloud with certificates, or a private cluster). */
      tlsCertPath: nonEmpty('a file path').optional(),
      tlsKeyPath: nonEmpty('a file path').optional(),
      taskQueues: z
        .object({
          workflows: nonEmpty('a task queue name').default('medaction'),
          llm: nonEmpty('a task queue name').default('medaction-llm'),
          kg: nonEmpty('a task queue name').default('medaction-kg'),
        })
        .prefault({}),
    })
    .prefault({}),
  neo4j: z
    .object({
      uri: urlWithScheme(['bolt', 'bolt+s', 'bolt+ssc', 'neo4j', 'neo4j+s', 'neo4j+ssc'], 'bolt://127.0.0.1:7687').default(
        'bolt://127.0.0.1:7687',
      ),
      user: nonEmpty('a user name').default('neo4j'),
      /** The local server's password is set from this value the first time it starts. */
      password: secret.prefault('medaction-local'),
      database: nonEmpty('a database name').default('neo4j'),
    })
    .prefault({}),
  llm: z
    .object({
      /** Any OpenAI-compatible endpoint: OpenAI, vLLM, SGLang, Ollama, DeepSeek, ... */
      baseUrl: urlWithScheme(['http', 'https'], 'https://api.openai.com/v1').default('https://api.openai.com/v1'),
      apiKey: secret.optional(),
      model: nonEmpty('a model name').default('gpt-4o-mini'),
      requestTimeoutMs: positiveInt('a timeout in milliseconds').default(120_000),
      /** LLM activities running at once on one worker. */
      maxConcurrency: positiveInt('a whole number of concurrent calls').default(8),
      /** Task-queue-wide rate limit enforced by the Temporal server. */
      maxRequestsPerSecond: positiveNumber('requests per second').default(5),
      /**
       * Where the structured-output ladder starts (clients/llm-request.ts): strict (json_schema with
       * strict: true), json_schema (the same schema as a hint), json_object (JSON mode, with the schema
       * for servers that take one). A step the endpoint refuses falls back to the next, once per endpoint.
       */
      responseFormat: z.enum(RESPONSE_FORMATS, { error: `expected one of ${RESPONSE_FORMATS.join(', ')}` }).default('strict'),
      /** The reply-length parameter: auto (max_completion_tokens for OpenAI reasoning models, else max_tokens). */
      maxTokensParameter: z
        .enum(['auto', 'max_tokens', 'max_completion_tokens'], { error: 'expected auto, max_tokens or max_completion_tokens' })
        .default('auto'),
      /** Send the temperature: auto (not to OpenAI reasoning models, which refuse it), always, never. */
      sendTemperature: z.enum(['auto', 'always', 'never'], { error: 'expected auto, always or never' }).default('auto'),
      /** reasoning_effort for reasoning models (unset: not sent). */
      reasoningEffort: z
        .enum(['minimal', 'low', 'medium', 'high'], { error: 'expected minimal, low, medium or high' })
        .optional(),
      /** Extra request-body fields as a JSON object (vLLM/SGLang options such as top_k), merged into every request. */
      extraBody: jsonObject.default({}),
      /** Sampling temperature of the candidate turns (each candidate has its own seed). */
      temperature: z.coerce.number({ error: 'expected a temperature' }).min(0).max(2).default(0.7),
      maxTokens: positiveInt('a number of tokens').default(2048),
      /** Attempts of an LLM activity (429, 5xx, timeouts, connection errors are retried with backoff). */
      maxAttempts: positiveInt('a number of attempts').default(8),
      /**
       * The endpoint's prices in USD per million prompt and completion tokens, for the LLM cost in the
       * reports (unset: the reports give tokens only).
       */
      pricePerMillionPromptTokens: z.coerce.number({ error: 'expected a price in USD' }).min(0).optional(),
      pricePerMillionCompletionTokens: z.coerce.number({ error: 'expected a price in USD' }).min(0).optional(),
    })
    .prefault({}),
  build: z
    .object({
      policy: z.enum(POLICIES, { error: `expected one of ${POLICIES.join(', ')}` }).default('kg-baseline'),
      branching: positiveInt('a branching factor (whole number >= 1)').default(3),
      maxTurns: positiveInt('a turn limit (whole number >= 1)').default(5),
      concurrency: positiveInt('a number of cases in flight (whole number >= 1)').default(4),
      /** Cases one run of the build workflow starts before continuing as new. */
      casesPerRun: positiveInt('a number of cases (whole number >= 1)').default(400),
      /** Tree nodes one case or branch workflow expands itself; larger subtrees go to child workflows. */
      inlineNodes: positiveInt('a number of tree nodes (whole number >= 1)').default(DEFAULT_INLINE_NODES),
      seed: z.coerce.number({ error: 'expected an integer seed' }).int({ error: 'expected an integer seed' }).default(0),
      /** Most turns (tree nodes) one case's tree may have; shared out between branches (core/tree/budget.ts). */
      nodeBudget: positiveInt('a node budget (whole number >= 1)').default(40),
      /** Stop expanding a branch whose differential moved away from the gold (saves LLM calls). */
      pruneDivergent: flag.default(false),
      /** The oracle answers catch-all orders ("labs", "imaging") with every item of their kind (off: UNAVAILABLE). */
      allowCatchAll: flag.default(false),
      /** Correctness of a final diagnosis: KG equivalence (offline) or an LLM judge through the llm settings. */
      judge: z.enum(['kg', 'llm'], { error: 'expected kg or llm' }).default('kg'),
      filter: z
        .object({
          minDtc: share.default(0.5),
          minRac: share.default(0.5),
          minGroundedOrdering: share.default(0.5),
          minAnswered: share.default(0.5),
          minPrefixTurns: positiveInt('a number of turns').default(2),
        })
        .prefault({}),
    })
    .prefault({}),
  services: z
    .object({
      /** Installed servers (Temporal CLI, Neo4j jars): shared by every state folder. */
      toolsDir: folder.prefault('.medaction/tools'),
      /** Server data, logs and pid files of the local services. */
      stateDir: folder.prefault('.medaction/services'),
      neo4jHeap: memorySize.default('1g'),
      neo4jPageCache: memorySize.default('512m'),
      startTimeoutSeconds: positiveInt('a number of seconds').default(180),
      /**
       * Which local Temporal `services up` runs: the CLI's dev server (SQLite, one process), or a cluster
       * as in production (the Temporal server on PostgreSQL with SQL visibility, and the UI server).
       */
      temporal: z.enum(['dev', 'cluster'], { error: 'expected dev or cluster' }).default('dev'),
      /** The cluster's own PostgreSQL: its port (never the system instance's 5432) and the password of its `temporal` user. */
      postgresPort: positiveInt('a port number').max(65535, { error: 'expected a port 1-65535' }).default(5433),
      postgresPassword: secret.prefault('medaction-temporal'),
    })
    .prefault({}),
  /** The local OpenAI-compatible LLM server that `medaction llm up` installs and starts (llama.cpp's Python server). */
  localLlm: z
    .object({
      port: positiveInt('a port number').max(65535, { error: 'expected a port 1-65535' }).default(8088),
      /** A GGUF model file to serve instead of the default (SmolLM2-135M-Instruct from its PyPI package). */
      modelFile: z.string().trim().min(1).optional(),
      /** The model name the server answers to (MEDACTION_LLM_MODEL of the builds that use it). */
      modelName: nonEmpty('a model name').default('smollm2-135m-instruct'),
      /** The context window in tokens. */
      contextTokens: positiveInt('a number of tokens').default(8192),
      threads: positiveInt('a number of threads').default(2),
      /** The Python that creates the server's virtual environment. */
      python: nonEmpty('a Python command').default('python3'),
    })
    .prefault({}),
});

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
