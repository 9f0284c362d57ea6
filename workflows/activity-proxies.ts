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

/**
 * Bookkeeping on the workflow task queue: planning, finished cases, the final files. Not dispatched
 * eagerly (handed to the worker with the workflow task that schedules it): in the benchmark with
 * workers split by queue, 3 eagerly dispatched `finishedCase` tasks of 600 were never run and held
 * their cases until the start-to-close timeout. A case's check (one file read) gets 2 minutes, so a
 * task lost any other way costs two minutes, not half an hour; the plan (the case file read and hashed)
 * 10; the export (the whole dataset) 30.
 */
function stepOptions(settings: RunSettings, startToCloseTimeout: '2 minutes' | '10 minutes' | '30 minutes') {
  return {
    taskQueue: settings.taskQueues.workflows,
    startToCloseTimeout,
    allowEagerDispatch: false,
    retry: { ...KG_RETRY, nonRetryableErrorTypes: ['CaseFileError'] },
  };
}

export function buildSteps(settings: RunSettings): BuildActivities {
  const { finishedCase } = proxyActivities<BuildActivities>(stepOptions(settings, '2 minutes'));
  const { planBuild } = proxyActivities<BuildActivities>(stepOptions(settings, '10 minutes'));
  const { exportBuild } = proxyActivities<BuildActivities>(stepOptions(settings, '30 minutes'));
  return { planBuild, finishedCase, exportBuild };
}

export function evalSteps(settings: RunSettings): Pick<EvalActivities, 'planEvaluation' | 'finishedEpisode' | 'exportEval'> {
  const { finishedEpisode } = proxyActivities<EvalActivities>(stepOptions(settings, '2 minutes'));
  const { planEvaluation } = proxyActivities<EvalActivities>(stepOptions(settings, '10 minutes'));
  const { exportEval } = proxyActivities<EvalActivities>(stepOptions(settings, '30 minutes'));
  return { planEvaluation, finishedEpisode, exportEval };
}

export function episodeScoring(settings: RunSettings) {
  return proxyActivities<EpisodeScoringActivities>(scoringOptions(settings));
}
