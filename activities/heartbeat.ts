import { Context } from '@temporalio/activity';

/** Records a heartbeat, if running inside an activity (in unit use there is none). */
export function heartbeat(): void {
  try {
    Context.current().heartbeat();
  } catch {
    // Not in an activity.
  }
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
