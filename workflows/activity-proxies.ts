import { proxyActivities } from '@temporalio/workflow';
import type { BuildActivities } from '../activities/build-activities';
import type { EpisodeScoringActivities, EvalActivities } from '../activities/eval-activities';
import type { BaselinePolicyActivities, LlmPolicyActivities } from '../activities/policy-activities';
import type { ScoringActivities } from '../activities/scoring-activities';
import type { RunSettings } from '../core/run/run-settings';

/**
 * Activity stubs with explicit timeouts and retry policies. Workflow code cannot read configuration, so
 * task queues and the LLM timeout come with the build settings.
 */

const KG_RETRY = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 };

export function llmPolicy(settings: RunSettings) {
  const perRequest = settings.llmRequestTimeoutMs;
  return proxyActivities<LlmPolicyActivities>({
    taskQueue: settings.taskQueues.llm,
    // k candidates, each possibly with a repair request, one after the other.
    startToCloseTimeout: 2 * settings.branching * perRequest + 60_000,
    // A heartbeat after every completion: a dead worker is noticed after one request's time.
    heartbeatTimeout: perRequest + 30_000,
    retry: {
      initialInterval: '2 seconds',
      backoffCoefficient: 2,
      maximumInterval: '1 minute',
      maximumAttempts: settings.llmMaxAttempts,
      nonRetryableErrorTypes: ['CaseFileError', 'LlmRequestRefused'],
    },
  });
}

export function baselinePolicy(settings: RunSettings) {
  return proxyActivities<BaselinePolicyActivities>({
    taskQueue: settings.taskQueues.kg,
    startToCloseTimeout: '5 minutes',
    // The activity heartbeats every 5 s: a dead worker is noticed in half a minute.
    heartbeatTimeout: '30 seconds',
    retry: { ...KG_RETRY, nonRetryableErrorTypes: ['CaseFileError'] },
  });
}

/** Scoring against the KG (and the LLM judge, when asked for): build cases and evaluation episodes alike. */
function scoringOptions(settings: RunSettings) {
  return {
    taskQueue: settings.taskQueues.kg,
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '30 seconds',
    retry: { ...KG_RETRY, nonRetryableErrorTypes: ['CaseFileError', 'JudgeReplyError', 'LlmRequestRefused'] },
  };
}

export function scoring(settings: RunSettings) {
  return proxyActivities<ScoringActivities>(scoringOptions(settings));
}

/** Bookkeeping on the workflow task queue: planning, finished cases, the final files. */
function stepOptions(settings: RunSettings) {
  return {
    taskQueue: settings.taskQueues.workflows,
    startToCloseTimeout: '30 minutes',
    retry: { ...KG_RETRY, nonRetryableErrorTypes: ['CaseFileError'] },
  };
}

export function buildSteps(settings: RunSettings) {
  return proxyActivities<BuildActivities>(stepOptions(settings));
}

export function evalSteps(settings: RunSettings) {
  return proxyActivities<EvalActivities>(stepOptions(settings));
}

export function episodeScoring(settings: RunSettings) {
  return proxyActivities<EpisodeScoringActivities>(scoringOptions(settings));
}
