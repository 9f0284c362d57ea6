import type { BuildSettings } from '../core/dataset/build-settings';
import { pathContext, scorePath, tokenRecord } from '../core/dataset/score-case';
import { episodeRecord, type EpisodeRecord } from '../core/eval/episode';
import type { EvalReport } from '../core/eval/summary';
import { parentPath, pathChain } from '../core/tree/branch-path';
import { addUsage, NO_TOKENS, type Leaf, type TokenUsage } from '../core/tree/node';
import type { BuildStores } from '../stores/build-store';
import { exportEvaluation } from '../stores/eval-export';
import { activityFailure } from './activity-failures';
import { whileHeartbeating } from './heartbeat';
import type { CaseCounts, ScoreCaseInput, ScoringDeps } from './scoring-activities';

/** What a scored episode reports to its workflow: counts in the build's terms (kept = correct). */
export function episodeCounts(record: EpisodeRecord): CaseCounts {
  return {
    complete: record.correct ? 1 : 0,
    prefixes: 0,
    rejected: record.correct ? 0 : 1,
    failedBranches: record.status === 'failed' ? 1 : 0,
    nodes: record.turns_used,
    requests: record.requests,
    tokens: record.tokens.total,
  };
}

/** Scores an evaluation's episodes against the KG (KG task queue). */
export function createEpisodeScoringActivities(deps: ScoringDeps) {
  async function scoreEpisode(input: ScoreCaseInput): Promise<CaseCounts> {
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
      evalId: settings.buildId,
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
    async scoreEpisode(input: ScoreCaseInput): Promise<CaseCounts> {
      try {
        return await whileHeartbeating(() => scoreEpisode(input));
      } catch (error) {
        throw activityFailure(error, `scoring the episode of case ${input.caseId}`);
      }
    },
  };
}

/** An evaluation's bookkeeping on the workflow task queue: finished episodes and the final files. */
export function createEvalActivities(deps: { stores: BuildStores }) {
  return {
    /** The counts of an episode already scored in an earlier run (null: run it). */
    async finishedEpisode(input: { settings: BuildSettings; caseId: string }): Promise<CaseCounts | null> {
      try {
        const record = deps.stores.open(input.settings.storeDir).readEpisode(input.caseId);
        return record && !record.resumable ? episodeCounts(record) : null;
      } catch (error) {
        throw activityFailure(error, `case ${input.caseId}`);
      }
    },

    /** Writes eval.jsonl (case-file order), eval.json and report.html (each atomically); returns eval.json. */
    async exportEval(
      settings: BuildSettings,
      caseIds: string[],
      failedCases: { case_id: string; error: string }[],
    ): Promise<EvalReport> {
      try {
        return await exportEvaluation(settings, caseIds, failedCases);
      } catch (error) {
        throw activityFailure(error, `exporting evaluation ${settings.buildId}`);
      }
    },
  };
}

export type EpisodeScoringActivities = ReturnType<typeof createEpisodeScoringActivities>;
export type EvalActivities = ReturnType<typeof createEvalActivities>;
