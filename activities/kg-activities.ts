import type { Driver } from 'neo4j-driver';
import { withNeo4jFailures } from './neo4j-failures';

/** Activities that talk to the knowledge graph; they run on the KG task queue. */
export interface KgActivityDeps {
  driver: Driver;
  database: string;
}

export interface SmokeWriteInput {
  /** Idempotency key: a retried activity updates the same node. */
  id: string;
  message: string;
}

export interface SmokeWriteResult {
  id: string;
  message: string;
  /** How many smoke nodes the database holds, this one included. */
  smokeNodes: number;
}

export function createKgActivities(deps: KgActivityDeps) {
  const { driver, database } = deps;
  return {
    /** Writes one node (MERGE by id, so retries are harmless) and reads it back in a new transaction. */
    async kgSmokeWriteRead(input: SmokeWriteInput): Promise<SmokeWriteResult> {
      return withNeo4jFailures(`smoke node ${input.id}`, async () => {
        await driver.executeQuery(
          'MERGE (n:MedactionSmoke {id: $id}) SET n.message = $message, n.writtenAt = datetime()',
          { id: input.id, message: input.message },
          { database },
        );
        const { records } = await driver.executeQuery(
          'MATCH (n:MedactionSmoke {id: $id}) WITH n MATCH (m:MedactionSmoke) RETURN n.message AS message, count(m) AS smokeNodes',
          { id: input.id },
          { database, routing: 'READ' },
        );
        const record = records[0];
        if (!record) throw new Error(`smoke node ${input.id} was written but cannot be read back`);
        return { id: input.id, message: record.get('message') as string, smokeNodes: record.get('smokeNodes') as number };
      });
    },
  };
}

export type KgActivities = ReturnType<typeof createKgActivities>;
