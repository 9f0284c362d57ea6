import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { UserError } from '../core/errors';
import { type Config, configSchema } from './schema';
import { CONFIG_FILE_VAR, ENV_BINDINGS, flatten, readEnv, type RawConfig, type ValueOrigin, isSecretPath } from './sources';

/** Exit code for configuration problems (distinct from runtime failures). */
export const CONFIG_EXIT_CODE = 2;

export class ConfigError extends UserError {
  constructor(
    readonly problems: string[],
    header = 'Invalid configuration',
  ) {
    super(
      `${header} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      CONFIG_EXIT_CODE,
    );
    this.name = 'ConfigError';
  }
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** A JSON config file; defaults to $MEDACTION_CONFIG when set. */
  configFile?: string;
}

/**
 * Reads defaults < config file < environment, validates everything at once, and either returns the
 * typed configuration or throws one ConfigError listing every bad field, where it came from, and what
 * it expects. Secret values are never echoed.
 */
export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env;
  const raw: RawConfig = {};
  const origins = new Map<string, ValueOrigin>();

  const file = options.configFile ?? (env[CONFIG_FILE_VAR]?.trim() || undefined);
  if (file !== undefined) readConfigFile(file, raw, origins);
  readEnv(env, raw, origins);

  const result = configSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(describeIssues(result.error, origins));
  return result.data;
}

function readConfigFile(file: string, raw: RawConfig, origins: Map<string, ValueOrigin>): void {
  const resolved = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(resolved, 'utf8');
  } catch (error) {
    throw new ConfigError([
      `config file ${resolved}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    ]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`config file ${resolved}: not valid JSON (${(error as Error).message})`]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError([
      `config file ${resolved}: expected a JSON object with sections temporal, neo4j, llm, build, services`,
    ]);
  }
  Object.assign(raw, parsed);
  const known = new Set(ENV_BINDINGS.map((b) => b.path));
  const unknown: string[] = [];
  for (const [dotted, value] of flatten(parsed)) {
    if (!known.has(dotted)) unknown.push(`${dotted} (in ${path.basename(resolved)}): unknown setting`);
    origins.set(dotted, { source: path.basename(resolved), secret: isSecretPath(dotted), value });
  }
  if (unknown.length > 0) throw new ConfigError(unknown);
}

function describeIssues(error: z.ZodError, origins: Map<string, ValueOrigin>): string[] {
  return error.issues.map((issue) => {
    const dotted = issue.path.map(String).join('.');
    const origin = origins.get(dotted);
    const where = origin ? ` (${origin.source}${origin.secret ? '' : ` = ${JSON.stringify(origin.value)}`})` : '';
    const message = issue.code === 'unrecognized_keys' ? `unknown setting(s) ${issue.keys.join(', ')}` : issue.message;
    return `${dotted || '(root)'}${where}: ${message}`;
  });
}
