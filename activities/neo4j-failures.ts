import { ApplicationFailure } from '@temporalio/common';
import { isRetryableError } from 'neo4j-driver';

/**
 * A Neo4j error as a Temporal failure, so that Temporal retries only what can succeed on retry: an
 * unreachable server or a transient error (deadlock, leader switch) is retryable; a client error (bad
 * Cypher, constraint violation, bad credentials) fails at once as non-retryable, with the server's code
 * in the failure type so it shows in the Temporal UI.
 */
export function neo4jFailure(error: unknown, what: string): ApplicationFailure {
  const e = error as { code?: string; message?: string };
  const code = e.code ?? 'Neo4jError';
  const message = `${what}: ${(e.message ?? String(error)).split('\n')[0]}`;
  if (isRetryableError(error) || code === 'ServiceUnavailable' || code === 'SessionExpired') {
    return ApplicationFailure.retryable(message, code);
  }
  return ApplicationFailure.nonRetryable(message, code);
}

/** Runs a Neo4j call inside an activity, its errors classified by neo4jFailure. */
export async function withNeo4jFailures<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw neo4jFailure(error, what);
  }
}
