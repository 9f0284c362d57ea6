import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { KgActivities, SmokeWriteResult } from '../activities/kg-activities';

export interface SmokeInput {
  /** Task queue of the KG activities (workflow code cannot read configuration). */
  kgTaskQueue: string;
  message: string;
}

/** Proves the wiring end to end: a workflow on the workflow queue, a KG activity writing to Neo4j. */
export async function smokeWorkflow(input: SmokeInput): Promise<SmokeWriteResult> {
  const kg = proxyActivities<KgActivities>({
    taskQueue: input.kgTaskQueue,
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
  });
  return kg.kgSmokeWriteRead({ id: workflowInfo().workflowId, message: input.message });
}
