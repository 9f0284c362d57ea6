import { ApplicationFailure } from '@temporalio/common';
import { createNeo4jDriver } from '../../clients/neo4j';
import { withNeo4jFailures } from '../../activities/neo4j-failures';
import { testConfig } from '../support/test-env';

jest.setTimeout(60_000);

describe('Neo4j failures inside activities', () => {
  const config = testConfig();

  it('makes a Cypher error non-retryable, with the server code as failure type', async () => {
    const driver = createNeo4jDriver(config);
    try {
      const failure = await withNeo4jFailures('bad query', () => driver.executeQuery('RETURN count() AS n')).catch(
        (e: unknown) => e,
      );
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect((failure as ApplicationFailure).nonRetryable).toBe(true);
      expect((failure as ApplicationFailure).type).toBe('Neo.ClientError.Statement.SyntaxError');
      expect((failure as ApplicationFailure).message).toMatch(/^bad query: /);
    } finally {
      await driver.close();
    }
  });

  it('makes an unreachable server retryable', async () => {
    const driver = createNeo4jDriver(testConfig({ MEDACTION_NEO4J_URI: 'bolt://127.0.0.1:1' }), { connectionTimeoutMs: 1000 });
    try {
      const session = driver.session();
      const failure = await withNeo4jFailures('ping', () => session.run('RETURN 1')).catch((e: unknown) => e);
      await session.close();
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect((failure as ApplicationFailure).nonRetryable).toBe(false);
      expect((failure as ApplicationFailure).type).toBe('ServiceUnavailable');
    } finally {
      await driver.close();
    }
  });
});
