import OpenAI from 'openai';
import type { Config } from '../config';

/**
 * How a chat-completion request is shaped for the endpoint at hand: the structured-output format, and
 * the parameters model families differ on. Pure functions, plus what a refusal from the server means.
 */

/**
 * The structured-output ladder, most constrained first: json_schema with strict: true; the same schema
 * as a hint; JSON mode with the schema (llama.cpp's servers turn it into a grammar); plain JSON mode.
 */
export const FORMAT_STEPS = ['strict', 'json_schema', 'json_object_schema', 'json_object'] as const;
export type FormatStep = (typeof FORMAT_STEPS)[number];

/** Where the ladder starts for a configured `llm.responseFormat`. */
export function firstFormatStep(responseFormat: Config['llm']['responseFormat']): FormatStep {
  return responseFormat === 'json_object' ? 'json_object_schema' : responseFormat;
}

/** A reply's schemas (core/policy/strict-schema.ts): strict mode's, and the bounded one for grammar-based servers. */
export interface ReplySchemas {
  strict: Record<string, unknown>;
  bounded: Record<string, unknown>;
}

/**
 * The `response_format` of a request at a step of the ladder. Strict mode gets the strict schema; the
 * steps below go to servers that compile a schema into their own grammar (vLLM, SGLang, llama.cpp),
 * which enforce lengths and array sizes: they get the bounded schema.
 */
export function responseFormatFor(step: FormatStep, name: string, schemas: ReplySchemas): Record<string, unknown> {
  switch (step) {
    case 'strict':
      return { type: 'json_schema', json_schema: { name, schema: schemas.strict, strict: true } };
    case 'json_schema':
      return { type: 'json_schema', json_schema: { name, schema: schemas.bounded } };
    case 'json_object_schema':
      return { type: 'json_object', schema: schemas.bounded };
    case 'json_object':
      return { type: 'json_object' };
  }
}

/** The parameters model families differ on, settled for one model. */
export interface ModelParameters {
  maxTokensParameter: 'max_tokens' | 'max_completion_tokens';
  sendTemperature: boolean;
  reasoningEffort?: string;
  extraBody: Record<string, unknown>;
}

/** OpenAI's reasoning models (o1, o3, o4-mini, gpt-5…): max_completion_tokens, and no temperature but the default. */
export function isOpenAiReasoningModel(model: string): boolean {
  return /^(?:openai\/)?(?:o\d(?:$|[-.])|gpt-5)/i.test(model);
}

export function modelParameters(
  model: string,
  llm: Pick<Config['llm'], 'maxTokensParameter' | 'sendTemperature' | 'reasoningEffort' | 'extraBody'>,
): ModelParameters {
  const reasoning = isOpenAiReasoningModel(model);
  return {
    maxTokensParameter:
      llm.maxTokensParameter === 'auto' ? (reasoning ? 'max_completion_tokens' : 'max_tokens') : llm.maxTokensParameter,
    sendTemperature: llm.sendTemperature === 'auto' ? !reasoning : llm.sendTemperature === 'always',
    ...(llm.reasoningEffort ? { reasoningEffort: llm.reasoningEffort } : {}),
    extraBody: llm.extraBody,
  };
}

/** The request body (without `model`/`messages` order concerns: the JSON the endpoint receives). */
export function requestBody(input: {
  model: string;
  messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[];
  temperature: number;
  seed: number;
  maxTokens: number;
  parameters: ModelParameters;
  responseFormat: Record<string, unknown>;
}): Record<string, unknown> {
  const p = input.parameters;
  return {
    ...p.extraBody,
    model: input.model,
    messages: input.messages,
    ...(p.sendTemperature ? { temperature: input.temperature } : {}),
    seed: input.seed,
    [p.maxTokensParameter]: input.maxTokens,
    ...(p.reasoningEffort ? { reasoning_effort: p.reasoningEffort } : {}),
    response_format: input.responseFormat,
  };
}

function errorMessage(error: unknown): string | undefined {
  return error instanceof OpenAI.APIError && !(error instanceof OpenAI.APIConnectionError) ? error.message : undefined;
}

/**
 * The endpoint refused the response format: any HTTP status (400, 422, or a 500 such as llama.cpp's
 * server validation error), as long as the message names it.
 */
export function isFormatRefusal(error: unknown): boolean {
  const message = errorMessage(error);
  return message !== undefined && /response_format|json_schema|json_object|strict|schema/i.test(message);
}

/**
 * The endpoint refused a parameter the way OpenAI's reasoning models do: "Unsupported parameter:
 * 'max_tokens' … Use 'max_completion_tokens'", or "Unsupported value: 'temperature' does not support …".
 */
export function refusedParameter(error: unknown): 'max_tokens' | 'temperature' | undefined {
  const message = errorMessage(error);
  if (message === undefined || (error as InstanceType<typeof OpenAI.APIError>).status !== 400) return undefined;
  if (/max_tokens/.test(message) && /max_completion_tokens|not supported|unsupported/i.test(message)) return 'max_tokens';
  if (/temperature/.test(message) && /unsupported|not support|only the default/i.test(message)) return 'temperature';
  return undefined;
}
