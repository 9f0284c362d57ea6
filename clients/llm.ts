import OpenAI from 'openai';
import { z } from 'zod';
import type { Config } from '../config';
import type { Completion, CompletionRequest } from '../core/policy/llm-doctor';
import { judgementSchema } from '../core/dataset/judge-prompt';
import type { ChatMessage } from '../core/policy/prompts';
import { turnSchemaFor } from '../core/policy/turn';
import type { TokenUsage } from '../core/tree/node';
import { ResponseStore } from '../stores/response-store';

/** A stored completion: the reply and its token usage (the request is its key). */
export interface StoredCompletion {
  content: string;
  usage: TokenUsage;
  model: string;
}

/** The OpenAI client for any OpenAI-compatible endpoint. Its own retries are off: Temporal retries. */
export function createOpenAiClient(config: Config): OpenAI {
  return new OpenAI({
    baseURL: config.llm.baseUrl,
    // Local servers (vLLM, Ollama) take any key; the client insists on one.
    apiKey: config.llm.apiKey?.reveal() ?? 'no-key-configured',
    maxRetries: 0,
    timeout: config.llm.requestTimeoutMs,
  });
}

const JSON_SCHEMAS = {
  turn: z.toJSONSchema(turnSchemaFor(false), { io: 'input' }),
  final: z.toJSONSchema(turnSchemaFor(true), { io: 'input' }),
};

/**
 * Chat completions through the response store: a request answered before is never sent again.
 * Structured output uses the turn's JSON schema; an endpoint that refuses `response_format:
 * json_schema` (HTTP 400 naming it) gets JSON mode instead, for the rest of the process.
 */
export class LlmEndpoint {
  private schemaSupported: boolean;

  constructor(
    private readonly client: OpenAI,
    private readonly options: { responseFormat: 'json_schema' | 'json_object'; maxTokens: number },
  ) {
    this.schemaSupported = options.responseFormat === 'json_schema';
  }

  /** The response-store key of a request: everything that decides the reply, and where in the tree it is. */
  static key(model: string, maxTokens: number, request: CompletionRequest): string {
    return ResponseStore.key({
      model,
      maxTokens,
      messages: request.messages,
      temperature: request.temperature,
      seed: request.seed,
      finalOnly: request.finalOnly,
      branchPath: request.branchPath,
      candidate: request.candidate,
      attempt: request.attempt,
    });
  }

  async complete(
    model: string,
    request: CompletionRequest,
    store: ResponseStore<StoredCompletion>,
  ): Promise<Completion & { fromStore: boolean }> {
    const key = LlmEndpoint.key(model, this.options.maxTokens, request);
    const stored = store.get(key);
    if (stored) return { content: stored.content, usage: stored.usage, fromStore: true };
    const reply = await this.send(model, request);
    store.put(key, { ...reply, model });
    return { ...reply, fromStore: false };
  }

  /** A judgement of the LLM judge (temperature 0), through the same store. */
  async completeJudgement(
    model: string,
    messages: ChatMessage[],
    attempt: 'first' | 'repair',
    store: ResponseStore<StoredCompletion>,
  ): Promise<string> {
    const key = ResponseStore.key({ purpose: 'judge', model, maxTokens: this.options.maxTokens, messages, attempt });
    const stored = store.get(key);
    if (stored) return stored.content;
    const reply = await this.send(model, { messages, temperature: 0, seed: 0 }, { name: 'judgement', schema: JUDGEMENT_SCHEMA });
    store.put(key, { ...reply, model });
    return reply.content;
  }

  private async send(
    model: string,
    request: Pick<CompletionRequest, 'messages' | 'temperature' | 'seed'> & Partial<CompletionRequest>,
    schema: { name: string; schema: unknown } = {
      name: 'doctor_turn',
      schema: request.finalOnly ? JSON_SCHEMAS.final : JSON_SCHEMAS.turn,
    },
  ): Promise<Completion> {
    const body = {
      model,
      messages: request.messages,
      temperature: request.temperature,
      seed: request.seed,
      max_tokens: this.options.maxTokens,
    };
    let response: OpenAI.Chat.Completions.ChatCompletion;
    if (this.schemaSupported) {
      try {
        response = await this.client.chat.completions.create({
          ...body,
          response_format: {
            type: 'json_schema',
            json_schema: { name: schema.name, schema: schema.schema as Record<string, unknown> },
          },
        });
        return completionOf(response);
      } catch (error) {
        if (!(error instanceof OpenAI.BadRequestError && /response_format|json_schema|schema/i.test(error.message))) throw error;
        this.schemaSupported = false;
      }
    }
    response = await this.client.chat.completions.create({ ...body, response_format: { type: 'json_object' } });
    return completionOf(response);
  }
}

/** The judge's replies: `{correct, reason}`. */
const JUDGEMENT_SCHEMA = z.toJSONSchema(judgementSchema, { io: 'input' });

function completionOf(response: OpenAI.Chat.Completions.ChatCompletion): Completion {
  return {
    content: response.choices[0]?.message?.content ?? '',
    usage: { prompt: response.usage?.prompt_tokens ?? 0, completion: response.usage?.completion_tokens ?? 0 },
  };
}
