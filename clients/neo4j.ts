import neo4j, { type Driver } from 'neo4j-driver';
import type { Config } from '../config';
import { UserError } from '../core/errors';

/**
 * The Neo4j driver, configured from settings. Integers come back as JS numbers
 * (disableLosslessIntegers): every count in MedAction's graph fits in 2^53, and activity results
 * must be plain JSON.
 */
export function createNeo4jDriver(config: Config, options: { connectionTimeoutMs?: number } = {}): Driver {
  return neo4j.driver(config.neo4j.uri, neo4j.auth.basic(config.neo4j.user, config.neo4j.password.reveal()), {
    disableLosslessIntegers: true,
    connectionTimeout: options.connectionTimeoutMs ?? 10_000,
    connectionAcquisitionTimeout: 60_000,
    maxConnectionPoolSize: 50,
    logging: { level: 'error', logger: () => undefined },
  });
}

/** A failed Neo4j call described for a person: unreachable, bad credentials, or the server's message. */
export function describeNeo4jError(config: Config, error: unknown): string {
  const e = error as { code?: string; message?: string };
  const where = `Neo4j at ${config.neo4j.uri}`;
  if (e.code === 'ServiceUnavailable' || e.code === 'SessionExpired') {
    return `${where} is unreachable (${firstLine(e.message)}). Start the local services with \`npx medaction services up\`, or set MEDACTION_NEO4J_URI.`;
  }
  if (e.code === 'Neo.ClientError.Security.Unauthorized' || e.code === 'Neo.ClientError.Security.AuthenticationRateLimit') {
    return `${where} rejected the credentials of user "${config.neo4j.user}" (${e.code}). Check MEDACTION_NEO4J_USER / MEDACTION_NEO4J_PASSWORD; the local server's password is the one configured when it first started.`;
  }
  return `${where}: ${e.code ? `${e.code}: ` : ''}${firstLine(e.message ?? String(error))}`;
}

/**
 * One Bolt round trip, without the driver's transaction retries (executeQuery retries an unreachable
 * server for 30 s, which is right for work and wrong for a health check). Returns the server agent.
 */
export async function pingNeo4j(config: Config, driver: Driver): Promise<string> {
  const result = await runAutoCommit(driver, config.neo4j.database, 'RETURN 1 AS ok');
  return result.summary.server.agent ?? 'Neo4j';
}

/**
 * One statement in an auto-commit transaction of its own session: no driver retries (unlike
 * executeQuery), and the only way to run `CALL { … } IN TRANSACTIONS`.
 */
export async function runAutoCommit(driver: Driver, database: string, query: string, params: Record<string, unknown> = {}) {
  const session = driver.session({ database });
  try {
    return await session.run(query, params);
  } finally {
    await session.close();
  }
}

/** Runs `work` with a driver whose server has answered (verifyNeo4j), closing the driver afterwards. */
export async function withVerifiedNeo4j<T>(config: Config, work: (driver: Driver) => Promise<T>): Promise<T> {
  const driver = createNeo4jDriver(config);
  try {
    await verifyNeo4j(config, driver);
    return await work(driver);
  } finally {
    await driver.close();
  }
}

/** Checks that Neo4j answers a Bolt query; throws a UserError naming the server otherwise. */
export async function verifyNeo4j(config: Config, driver: Driver): Promise<string> {
  try {
    return await pingNeo4j(config, driver);
  } catch (error) {
    throw new UserError(describeNeo4jError(config, error));
  }
}

/** The driver's connection errors carry a long generic preamble; its "Caused by" part is the news. */
function firstLine(text: string | undefined): string {
  const line = (text ?? '').split('\n')[0] ?? '';
  const cause = /Caused by: (.*)$/.exec(line);
  return cause ? (cause[1] as string) : line;
}
