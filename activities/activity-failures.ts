import { ApplicationFailure } from '@temporalio/common';
import { Neo4jError } from 'neo4j-driver';
import OpenAI from 'openai';
import { JudgeReplyError } from '../core/dataset/llm-judge';
import { CaseFileError } from '../stores/case-cache';
import { neo4jFailure } from './neo4j-failures';

/**
 * How an activity's error reaches Temporal: what a retry can fix is retryable (rate limits, 5xx,
 * timeouts, an unreachable endpoint or Neo4j), what it cannot is non-retryable at once (a refused API
 * key, a bad request, a case file that changed, bad Cypher). Messages name the item and never carry
 * secrets (the OpenAI client's errors hold no key; requests are not echoed).
 */
export function activityFailure(error: unknown, item: string, llmEndpoint?: string): ApplicationFailure {
  if (error instanceof ApplicationFailure) return error;
  if (error instanceof CaseFileError) return ApplicationFailure.nonRetryable(`${item}: ${error.message}`, 'CaseFileError');
  if (error instanceof JudgeReplyError) return ApplicationFailure.nonRetryable(`${item}: ${error.message}`, 'JudgeReplyError');
  if (error instanceof OpenAI.APIError) return llmFailure(error, item, llmEndpoint ?? 'the LLM endpoint');
  if (error instanceof Neo4jError || (error as { code?: string })?.code?.startsWith?.('Neo.')) {
    return neo4jFailure(error, `${item}: Neo4j`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return ApplicationFailure.retryable(`${item}: ${message.split('\n')[0]}`, (error as Error)?.name ?? 'Error');
}

function llmFailure(error: InstanceType<typeof OpenAI.APIError>, item: string, endpoint: string): ApplicationFailure {
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return ApplicationFailure.retryable(`${item}: ${endpoint} did not answer in time`, 'LlmTimeout');
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return ApplicationFailure.retryable(`${item}: cannot reach ${endpoint} (${error.message})`, 'LlmUnreachable');
  }
  const status = error.status ?? 0;
  const detail = `${endpoint} answered HTTP ${status}: ${(error.message ?? '').replace(/\s+/g, ' ').slice(0, 300)}`;
  if (status === 429) {
    const retryAfter = Number(error.headers?.get?.('retry-after'));
    return ApplicationFailure.create({
      message: `${item}: rate limited (${detail})`,
      type: 'LlmRateLimited',
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { nextRetryDelay: `${Math.min(retryAfter, 300)} seconds` } : {}),
    });
  }
  if (status >= 500 || status === 408 || status === 409) {
    return ApplicationFailure.retryable(`${item}: ${detail}`, 'LlmServerError');
  }
  const hint =
    status === 401 || status === 403
      ? ' (check MEDACTION_LLM_API_KEY)'
      : status === 404
        ? ' (check the model name and MEDACTION_LLM_BASE_URL)'
        : '';
  return ApplicationFailure.nonRetryable(`${item}: ${detail}${hint}`, 'LlmRequestRefused');
}
