import OpenAI from 'openai';
import type { Config } from '../config';
import { UserError } from '../core/errors';
import { isLoopback } from '../services/address';
import { createOpenAiClient } from './llm';
import { modelParameters } from './llm-request';

/**
 * The checks before a build or an evaluation that talks to an LLM starts, so a wrong setting fails in
 * seconds with the setting named instead of as a failed branch per case minutes later: a key where the
 * endpoint is a hosted API, an endpoint that answers, and the model among those it serves. Refusals are
 * UserErrors with exit code 2. `--no-preflight` skips them.
 */

const PREFLIGHT_TIMEOUT_MS = 15_000;

/** A base URL on this machine or a private network: a local server (vLLM, Ollama, llama.cpp) that needs no key. */
export function isLocalEndpoint(baseUrl: string): boolean {
  const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '');
  return (
    isLoopback(host) ||
    host.endsWith('.local') ||
    host.endsWith('.internal') ||
    /^10\./.test(host) ||
    /^192\.168\./.test(host) ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(host) ||
    /^(fc|fd)[0-9a-f]{2}:/i.test(host) ||
    !host.includes('.')
  );
}

export async function preflightLlm(config: Config, models: string[], client: OpenAI = createOpenAiClient(config)): Promise<void> {
  const { baseUrl } = config.llm;
  if (!config.llm.apiKey && !isLocalEndpoint(baseUrl)) {
    throw new UserError(
      `no API key for the LLM endpoint ${baseUrl}: set MEDACTION_LLM_API_KEY (or OPENAI_API_KEY), ` +
        'or point MEDACTION_LLM_BASE_URL at a local server (`npx medaction llm up`)',
      2,
    );
  }
  const served = await servedModels(config, client);
  if (served === undefined) {
    // No model list (some servers have no /models): one 1-token request shows the endpoint and model work.
    for (const model of models) await oneTokenRequest(config, client, model);
    return;
  }
  for (const model of models) {
    if (!served.includes(model)) {
      const listed = served.slice(0, 10).join(', ') + (served.length > 10 ? ', …' : '');
      throw new UserError(
        `the LLM endpoint ${baseUrl} does not serve model "${model}" (it serves: ${listed || 'none'}): ` +
          'set MEDACTION_LLM_MODEL or --model (--judge-model for the judge)',
        2,
      );
    }
  }
}

/** The models the endpoint lists, or undefined when it has no model list. */
async function servedModels(config: Config, client: OpenAI): Promise<string[] | undefined> {
  try {
    const page = await client.models.list({ timeout: PREFLIGHT_TIMEOUT_MS, maxRetries: 1 });
    return page.data.map((m) => m.id);
  } catch (error) {
    if (error instanceof OpenAI.NotFoundError || (error instanceof OpenAI.APIError && error.status === 405)) return undefined;
    throw refusal(config, error);
  }
}

async function oneTokenRequest(config: Config, client: OpenAI, model: string): Promise<void> {
  const parameters = modelParameters(model, config.llm);
  try {
    await client.chat.completions.create(
      {
        model,
        messages: [{ role: 'user', content: 'Reply with OK.' }],
        [parameters.maxTokensParameter]: 1,
      } as unknown as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming,
      { timeout: PREFLIGHT_TIMEOUT_MS, maxRetries: 1 },
    );
  } catch (error) {
    if (error instanceof OpenAI.NotFoundError) {
      throw new UserError(
        `the LLM endpoint ${config.llm.baseUrl} does not serve model "${model}": set MEDACTION_LLM_MODEL or --model`,
        2,
      );
    }
    throw refusal(config, error);
  }
}

/** What a failed check means, naming the setting to fix. */
function refusal(config: Config, error: unknown): UserError {
  const { baseUrl } = config.llm;
  if (error instanceof OpenAI.AuthenticationError || error instanceof OpenAI.PermissionDeniedError) {
    return new UserError(
      `the LLM endpoint ${baseUrl} refused the API key (HTTP ${error.status}): check MEDACTION_LLM_API_KEY`,
      2,
    );
  }
  if (error instanceof OpenAI.APIConnectionError) {
    const timedOut = error instanceof OpenAI.APIConnectionTimeoutError;
    return new UserError(
      `the LLM endpoint ${baseUrl} ${timedOut ? `did not answer within ${PREFLIGHT_TIMEOUT_MS / 1000} s` : 'cannot be reached'}: ` +
        'check MEDACTION_LLM_BASE_URL (and that the server is running), or skip this check with --no-preflight',
      2,
    );
  }
  const status = error instanceof OpenAI.APIError ? ` (HTTP ${error.status})` : '';
  return new UserError(
    `the LLM endpoint ${baseUrl} failed its check${status}: ${(error as Error).message}; skip it with --no-preflight`,
    2,
  );
}
