import { pathContext, scorePath, tokenRecord } from '../core/dataset/score-case';
import { episodeRecord, type EpisodeRecord } from '../core/eval/episode';
import type { EvalSettings } from '../core/eval/eval-settings';
import type { EvalReport } from '../core/eval/summary';
import { parentPath, pathChain } from '../core/tree/branch-path';
import { addUsage, NO_TOKENS, type Leaf, type TokenUsage } from '../core/tree/node';
import type { BuildStores } from '../stores/build-store';
import type { CaseCache } from '../stores/case-cache';
import { exportEvaluation } from '../stores/eval-export';
import { activityFailure } from './activity-failures';
import { whileHeartbeating } from './heartbeat';
import { planCases } from './plan-cases';
import type { ScoreTreeInput, ScoringDeps } from './scoring-activities';

/** What a scored episode reports to its workflow (the record itself is in the store). */
export interface EpisodeCounts {
  correct: boolean;
  /** The episode ended without a diagnosis (retries exhausted, or no turn could be produced). */
  failed: boolean;
  turns: number;
  requests: number;
  tokens: number;
}

export function episodeCounts(record: EpisodeRecord): EpisodeCounts {
  return {
    correct: record.correct,
    failed: record.status === 'failed',
    turns: record.turns_used,
    requests: record.requests,
    tokens: record.tokens.total,
  };
}

export type ScoreEpisodeInput = ScoreTreeInput<EvalSettings>;

/** Scores an evaluation's episodes against the KG (KG task queue). */
export function createEpisodeScoringActivities(deps: ScoringDeps) {
  async function scoreEpisode(input: ScoreEpisodeInput): Promise<EpisodeCounts> {
    const { settings, caseId } = input;
    const store = deps.stores.open(settings.storeDir);
    const testCase = deps.cases.get(settings.casesFile, settings.casesHash, caseId);
    // k = 1: one leaf, or one candidate that could not be produced (its path ends at its parent).
    const failure = input.failures[0];
    const leaf: Leaf = input.leaves[0] ?? {
      path: failure?.path ?? '',
      status: 'failed',
      error: failure?.error ?? 'the policy proposed no turn',
    };
    const chainEnd = input.leaves[0] ? leaf.path : parentPath(leaf.path);
    const chain = pathChain(chainEnd).map((p) => store.readNode(caseId, p));
    const context = await pathContext(deps.linker, testCase);
    const score = await scorePath(deps.kg, deps.linker, deps.judgeFor(settings), context, chain, leaf.status);
    const spent: TokenUsage = [...chain, ...input.failures.map((f) => ({ usage: f.usage ?? NO_TOKENS }))].reduce(
      (sum, n) => addUsage(sum, n.usage),
      NO_TOKENS,
    );
    const record = episodeRecord({
      evalId: settings.evalId,
      testCase,
      chain,
      leaf,
      score,
      tokens: tokenRecord(spent),
      requests: [...chain, ...input.failures].reduce((sum, n) => sum + (n.requests ?? 0), 0),
      maxTurns: settings.maxTurns,
      // A leaf that failed (retries exhausted) may succeed on a resume; a refused candidate will not.
      resumable: input.leaves[0]?.status === 'failed',
    });
    store.writeEpisode(record);
    return episodeCounts(record);
  }

  return {
    /** Scores a case's one greedy episode and writes its record to the store. */
    async scoreEpisode(input: ScoreEpisodeInput): Promise<EpisodeCounts> {
      try {
        return await whileHeartbeating(() => scoreEpisode(input));
      } catch (error) {
        throw activityFailure(error, `scoring the episode of case ${input.caseId}`);
      }
    },
  };
}

/** An evaluation's bookkeeping on the workflow task queue: its case list, finished episodes and the final files. */
export function createEvalActivities(deps: { cases: CaseCache; stores: BuildStores }) {
  return {
    /** The evaluation's cases, in order; records the manifest. */
    async planEvaluation(settings: EvalSettings): Promise<string[]> {
      return planCases(deps, settings);
    },

    /** The counts of an episode already scored in an earlier run (null: run it). */
    async finishedEpisode(input: { settings: EvalSettings; caseId: string }): Promise<EpisodeCounts | null> {
      try {
        const record = deps.stores.open(input.settings.storeDir).readEpisode(input.caseId);
        return record && !record.resumable ? episodeCounts(record) : null;
      } catch (error) {
        throw activityFailure(error, `case ${input.caseId}`);
      }
    },

    /** Writes eval.jsonl (case-file order), eval.json and report.html (each atomically); returns eval.json. */
    async exportEval(
      settings: EvalSettings,
      caseIds: string[],
      failedCases: { case_id: string; error: string }[],
    ): Promise<EvalReport> {
      try {
        return await exportEvaluation(settings, caseIds, failedCases);
      } catch (error) {
        throw activityFailure(error, `exporting evaluation ${settings.evalId}`);
      }
    },
  };
}

export type EpisodeScoringActivities = ReturnType<typeof createEpisodeScoringActivities>;
export type EvalActivities = ReturnType<typeof createEvalActivities>;
