import { Context } from '@temporalio/activity';

/**
 * Records a heartbeat, if running inside an activity (in unit use there is none) that has run for a
 * third of its heartbeat timeout. Each heartbeat is a write on the Temporal server; an activity that
 * finishes sooner needs none (the timeout counts from the attempt's start; the time it was scheduled is
 * used, which is earlier), and most node expansions are that short.
 */
export function heartbeat(): void {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return; // Not in an activity.
  }
  const { heartbeatTimeoutMs, currentAttemptScheduledTimestampMs } = context.info;
  if (heartbeatTimeoutMs && Date.now() - currentAttemptScheduledTimestampMs < heartbeatTimeoutMs / 3) return;
  context.heartbeat();
}

/**
 * Runs an activity's work while heartbeating every few seconds, so that a worker killed mid-activity is
 * noticed after the heartbeat timeout rather than the whole start-to-close timeout.
 */
export async function whileHeartbeating<T>(work: () => Promise<T>, everyMs = 5000): Promise<T> {
  heartbeat();
  const timer = setInterval(heartbeat, everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
