import type { Client } from '@temporalio/client';

/** An activity of a running build or evaluation that has failed at least once and is being retried. */
export interface RetryingActivity {
  workflow_id: string;
  activity: string;
  /** The attempt it is on (2 = retried once). */
  attempt: number;
  last_error: string;
}

/** At most this many running case workflows are looked into (each costs one describe). */
const MAX_WORKFLOWS = 25;

/**
 * The retrying activities of a run's open workflows (its case and branch workflows, found by the BuildId
 * search attribute): what keeps failing — an LLM endpoint that times out or refuses — with its last error,
 * while the run goes on. Best effort: an error (no visibility, a server that is going away) gives none.
 */
export async function retryingActivities(client: Client, runId: string): Promise<RetryingActivity[]> {
  const found: RetryingActivity[] = [];
  try {
    let looked = 0;
    const query = `BuildId = "${runId.replace(/"/g, '')}" AND ExecutionStatus = "Running"`;
    for await (const info of client.workflow.list({ query, pageSize: MAX_WORKFLOWS })) {
      if (++looked > MAX_WORKFLOWS) break;
      const description = await client.workflow.getHandle(info.workflowId, info.runId).describe();
      for (const a of description.raw.pendingActivities ?? []) {
        if ((a.attempt ?? 0) < 2) continue;
        found.push({
          workflow_id: info.workflowId,
          activity: a.activityType?.name ?? 'activity',
          attempt: a.attempt ?? 0,
          last_error: (a.lastFailure?.message ?? '').replace(/\s+/g, ' ').slice(0, 300),
        });
      }
    }
  } catch {
    return found;
  }
  return found.sort((a, b) => b.attempt - a.attempt || a.workflow_id.localeCompare(b.workflow_id));
}
