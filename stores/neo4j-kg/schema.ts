import type { Driver } from 'neo4j-driver';

/** Full-text indexes over each kind's `words` (see kg/name-words.ts), split on whitespace only. */
export const FULLTEXT_INDEX = { disease: 'kg_disease_words', finding: 'kg_finding_words' } as const;

const STATEMENTS = [
  'CREATE CONSTRAINT kg_disease_id IF NOT EXISTS FOR (n:Disease) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT kg_finding_id IF NOT EXISTS FOR (n:Finding) REQUIRE n.id IS UNIQUE',
  "CREATE FULLTEXT INDEX kg_disease_words IF NOT EXISTS FOR (n:Disease) ON EACH [n.words] OPTIONS { indexConfig: { `fulltext.analyzer`: 'whitespace' } }",
  "CREATE FULLTEXT INDEX kg_finding_words IF NOT EXISTS FOR (n:Finding) ON EACH [n.words] OPTIONS { indexConfig: { `fulltext.analyzer`: 'whitespace' } }",
  'CREATE CONSTRAINT kg_meta_id IF NOT EXISTS FOR (n:KgMeta) REQUIRE n.id IS UNIQUE',
];

/** Constraints and indexes of the KG (idempotent), then waits until the indexes are online. */
export async function ensureKgSchema(driver: Driver, database: string): Promise<void> {
  for (const statement of STATEMENTS) await driver.executeQuery(statement, {}, { database });
  await driver.executeQuery('CALL db.awaitIndexes(300)', {}, { database });
}
