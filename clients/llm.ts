import OpenAI from 'openai';
import type { Config } from '../config';
import type { Completion, CompletionRequest } from '../core/policy/llm-doctor';
import { judgementSchema } from '../core/dataset/judge-prompt';
import type { ChatMessage } from '../core/policy/prompts';
import { boundedSchemaOf, strictSchemaOf } from '../core/policy/strict-schema';
import { turnSchemaFor } from '../core/policy/turn';
import type { TokenUsage } from '../core/tree/node';
import { ResponseStore } from '../stores/response-store';
import {
  firstFormatStep,
  FORMAT_STEPS,
  isFormatRefusal,
  modelParameters,
  refusedParameter,
  requestBody,
  responseFormatFor,
  type FormatStep,
  type ModelParameters,
  type ReplySchemas,
} from './llm-request';

/** A stored completion: the reply and its token usage (the request is its key). */
export interface StoredCompletion {
  content: string;
  usage: TokenUsage;
  model: string;
  /** The reasoning trace the server returned beside the content, if any. */
  reasoning?: string;
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

/** Each reply's schemas: strict mode's, and the bounded one for servers that decode with their own grammar. */
const SCHEMAS = {
  turn: schemasOf(turnSchemaFor(false)),
  final: schemasOf(turnSchemaFor(true)),
  judgement: schemasOf(judgementSchema),
};

function schemasOf(schema: Parameters<typeof strictSchemaOf>[0]): ReplySchemas {
  return { strict: strictSchemaOf(schema), bounded: boundedSchemaOf(schema) };
}

/** What the endpoint is asked for besides the request: the format ladder's start and the model parameters. */
export type LlmEndpointOptions = Pick<
  Config['llm'],
  'responseFormat' | 'maxTokens' | 'maxTokensParameter' | 'sendTemperature' | 'reasoningEffort' | 'extraBody'
>;

/**
 * Chat completions through the response store: a request answered before is never sent again.
 * Structured output goes down the format ladder (clients/llm-request.ts) from the configured step: a
 * step the endpoint refuses (any status, its message naming the format) is not asked again by this
 * process. Model-family parameters come from the settings, and a 400 refusing `max_tokens` or
 * `temperature` the way OpenAI's reasoning models do switches that parameter for the model.
 */
export class LlmEndpoint {
  private formatStep: number;
  private readonly learned = new Map<string, Partial<ModelParameters>>();

  constructor(
    private readonly client: OpenAI,
    private readonly options: LlmEndpointOptions,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.formatStep = FORMAT_STEPS.indexOf(firstFormatStep(options.responseFormat));
  }

  /** The format step requests are sent with now. */
  get format(): FormatStep {
    return FORMAT_STEPS[this.formatStep] as FormatStep;
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
    if (stored) return { ...completionFrom(stored), fromStore: true };
    const reply = await this.send(model, request, {
      name: 'doctor_turn',
      schemas: request.finalOnly ? SCHEMAS.final : SCHEMAS.turn,
    });
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
    const reply = await this.send(
      model,
      { messages, temperature: 0, seed: 0 },
      { name: 'judgement', schemas: SCHEMAS.judgement },
    );
    store.put(key, { ...reply, model });
    return reply.content;
  }

  /** The model's parameters: the settings, with what its refusals taught this process. */
  parametersFor(model: string): ModelParameters {
    return { ...modelParameters(model, this.options), ...this.learned.get(model) };
  }

  private async send(
    model: string,
    request: Pick<CompletionRequest, 'messages' | 'temperature' | 'seed'>,
    schema: { name: string; schemas: ReplySchemas },
  ): Promise<Completion> {
    for (;;) {
      const sent = { parameters: this.parametersFor(model), step: this.formatStep };
      const body = requestBody({
        model,
        messages: request.messages,
        temperature: request.temperature,
        seed: request.seed,
        maxTokens: this.options.maxTokens,
        parameters: sent.parameters,
        responseFormat: responseFormatFor(FORMAT_STEPS[sent.step] as FormatStep, schema.name, schema.schemas),
      });
      try {
        const response = await this.client.chat.completions.create(
          body as unknown as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming,
        );
        return completionOf(response);
      } catch (error) {
        if (!this.adaptTo(model, error, sent)) throw error;
      }
    }
  }

  /**
   * Learns from a refusal of what a request was `sent` with (a parameter, then the format); false:
   * nothing left to change, the error stands. Judged against what that request carried, so requests in
   * flight together that are refused together take one step down between them, not one each.
   */
  private adaptTo(model: string, error: unknown, sent: { parameters: ModelParameters; step: number }): boolean {
    const refused = refusedParameter(error);
    if (refused === 'max_tokens' && sent.parameters.maxTokensParameter === 'max_tokens') {
      if (this.parametersFor(model).maxTokensParameter === 'max_tokens') {
        this.learned.set(model, { ...this.learned.get(model), maxTokensParameter: 'max_completion_tokens' });
        this.log(`LLM endpoint refused max_tokens for ${model}: sending max_completion_tokens`);
      }
      return true;
    }
    if (refused === 'temperature' && sent.parameters.sendTemperature) {
      if (this.parametersFor(model).sendTemperature) {
        this.learned.set(model, { ...this.learned.get(model), sendTemperature: false });
        this.log(`LLM endpoint refused the temperature for ${model}: leaving it to the model's default`);
      }
      return true;
    }
    if (isFormatRefusal(error) && sent.step < FORMAT_STEPS.length - 1) {
      if (this.formatStep === sent.step) {
        this.formatStep++;
        const was = FORMAT_STEPS[sent.step];
        this.log(`LLM endpoint refused response_format ${was} (${(error as Error).message.slice(0, 160)}): using ${this.format}`);
      }
      return true;
    }
    return false;
  }
}

/** A reply, with the reasoning trace some servers return beside the content (DeepSeek, vLLM's reasoning parsers). */
function completionOf(response: OpenAI.Chat.Completions.ChatCompletion): Completion {
  const message = response.choices[0]?.message as (OpenAI.Chat.Completions.ChatCompletionMessage & ReasoningFields) | undefined;
  const reasoning = message?.reasoning_content ?? message?.reasoning;
  return {
    content: message?.content ?? '',
    usage: { prompt: response.usage?.prompt_tokens ?? 0, completion: response.usage?.completion_tokens ?? 0 },
    ...(typeof reasoning === 'string' && reasoning.trim() !== '' ? { reasoning } : {}),
  };
}

/** The non-standard message fields that carry a reasoning trace. */
interface ReasoningFields {
  reasoning_content?: string | null;
  reasoning?: string | null;
}

function completionFrom(stored: StoredCompletion): Completion {
  return { content: stored.content, usage: stored.usage, ...(stored.reasoning ? { reasoning: stored.reasoning } : {}) };
}
