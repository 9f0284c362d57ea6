import { ApplicationFailure } from '@temporalio/common';
import { isRetryableError } from 'neo4j-driver';

/**
 * Runs a Neo4j call inside an activity so that Temporal retries only what can succeed on retry:
 * an unreachable server or a transient error (deadlock, leader switch) is retryable; a client error
 * (bad Cypher, constraint violation, bad credentials) fails at once as non-retryable, with the
 * server's code in the failure type so it shows in the Temporal UI.
 */
export async function withNeo4jFailures<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const e = error as { code?: string; message?: string };
    const code = e.code ?? 'Neo4jError';
    const message = `${what}: ${(e.message ?? String(error)).split('\n')[0]}`;
    if (isRetryableError(error) || code === 'ServiceUnavailable' || code === 'SessionExpired') {
      throw ApplicationFailure.retryable(message, code);
    }
    throw ApplicationFailure.nonRetryable(message, code);
  }
}
