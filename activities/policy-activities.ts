import { Context } from '@temporalio/activity';
import OpenAI from 'openai';
import type { LlmEndpoint, StoredCompletion } from '../clients/llm';
import type { KgBaselinePolicy } from '../core/policy/kg-baseline';
import { proposeWithLlm } from '../core/policy/llm-doctor';
import type { BuildStores } from '../stores/build-store';
import type { CaseCache } from '../stores/case-cache';
import { ResponseStore } from '../stores/response-store';
import { activityFailure } from './activity-failures';
import { heartbeat, whileHeartbeating } from './heartbeat';
import { expandNode, type Expansion, type NodeRef } from './expand-node';

/** The node an activity works on, as failures name it. */
function itemName(ref: NodeRef): string {
  return `case ${ref.caseId} node ${ref.path === '' ? '(root)' : ref.path}`;
}

/** The offline KG baseline doctor: runs on the KG task queue (it queries Neo4j). */
export function createBaselinePolicyActivities(deps: { cases: CaseCache; stores: BuildStores; baseline: KgBaselinePolicy }) {
  return {
    async proposeTurnsKgBaseline(ref: NodeRef): Promise<Expansion> {
      try {
        return await whileHeartbeating(() =>
          expandNode(ref, deps.cases, deps.stores.open(ref.settings.storeDir), async (context) =>
            (await deps.baseline.propose(context, ref.settings.branching)).map((turn, index) => ({
              index,
              turn,
              usage: { prompt: 0, completion: 0 },
              requests: 0,
            })),
          ),
        );
      } catch (error) {
        throw activityFailure(error, itemName(ref));
      }
    },
  };
}

/**
 * The LLM doctor: runs on the LLM task queue, whose rate limit and concurrency the worker sets. Every
 * completion goes through the build's response store (work/llm) and is heartbeated, so a retry or a
 * resumed build re-sends only the calls that never finished.
 */
export function createLlmPolicyActivities(deps: {
  cases: CaseCache;
  stores: BuildStores;
  endpoint: LlmEndpoint;
  endpointName: string;
}) {
  return {
    async proposeTurnsOpenai(ref: NodeRef): Promise<Expansion> {
      const model = ref.settings.model;
      try {
        if (!model) throw new Error('the build has no LLM model set');
        const buildStore = deps.stores.open(ref.settings.storeDir);
        const store = new ResponseStore<StoredCompletion>(buildStore.llmDir);
        return await expandNode(ref, deps.cases, buildStore, (context) =>
          proposeWithLlm(
            async (request) => {
              const reply = await deps.endpoint.complete(model, request, store);
              heartbeat();
              return reply;
            },
            context,
            ref.settings.branching,
            ref.settings.temperature,
          ),
        );
      } catch (error) {
        recordCallFailure(deps.stores, ref, error);
        throw activityFailure(error, itemName(ref), deps.endpointName);
      }
    },
  };
}

/**
 * A request the endpoint gave no usable answer to (an HTTP error, a timeout, a lost connection) is
 * written to the store with the activity attempt, so the report can count failed calls, retries and
 * timeouts; other failures (a broken case file) are not calls.
 */
function recordCallFailure(stores: BuildStores, ref: NodeRef, error: unknown): void {
  if (!(error instanceof OpenAI.APIError)) return;
  const kind =
    error instanceof OpenAI.APIConnectionTimeoutError
      ? 'timeout'
      : error instanceof OpenAI.APIConnectionError
        ? 'connection'
        : 'http';
  try {
    stores.open(ref.settings.storeDir).writeCallFailure(ref.caseId, {
      path: ref.path,
      attempt: Context.current().info.attempt,
      kind,
      status: kind === 'http' ? (error.status ?? null) : null,
      error: error.message.replace(/\s+/g, ' ').slice(0, 300),
    });
  } catch {
    // Counting a failure must not hide it: the activity fails with the endpoint's error either way.
  }
}

export type BaselinePolicyActivities = ReturnType<typeof createBaselinePolicyActivities>;
export type LlmPolicyActivities = ReturnType<typeof createLlmPolicyActivities>;
