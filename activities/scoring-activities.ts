import type { KgAccess } from '../core/kg/access';
import type { DiagnosisJudge } from '../core/dataset/judge';
import { linkGold, scoreCaseTree } from '../core/dataset/score-case';
import type { BuildSettings } from '../core/dataset/build-settings';
import type { RunSettings } from '../core/run/run-settings';
import type { CaseOutcome } from '../core/dataset/records';
import type { EntityLinker } from '../core/linking/linker';
import { linkTrajectory } from '../core/metrics/link-trajectory';
import { computeTrajectoryMetrics } from '../core/metrics/trajectory-metrics';
import { parentPath, pathChain } from '../core/tree/branch-path';
import type { CandidateFailure, Leaf, TreeNode } from '../core/tree/node';
import type { BuildStores } from '../stores/build-store';
import type { CaseCache } from '../stores/case-cache';
import { activityFailure } from './activity-failures';
import { heartbeat, whileHeartbeating } from './heartbeat';

/** What a case's (or an evaluation episode's) scoring is given: its explored tree's leaves and failures. */
export interface ScoreTreeInput<S extends RunSettings> {
  settings: S;
  caseId: string;
  leaves: Leaf[];
  failures: CandidateFailure[];
}

/** What a scored case reports back to its workflow (the trajectories themselves are in the store). */
export interface CaseCounts {
  complete: number;
  prefixes: number;
  rejected: number;
  failedBranches: number;
  nodes: number;
  requests: number;
  tokens: number;
}

export type ScoreCaseInput = ScoreTreeInput<BuildSettings>;

export interface DistancesInput {
  settings: RunSettings;
  caseId: string;
  paths: string[];
}

export function countsOf(outcome: CaseOutcome): CaseCounts {
  return {
    complete: outcome.complete,
    prefixes: outcome.prefixes,
    rejected: outcome.rejected,
    failedBranches: outcome.failed_branches.length,
    nodes: outcome.nodes,
    requests: outcome.requests,
    tokens: outcome.tokens.total,
  };
}

/** Activities that score against the KG; they run on the KG task queue. */
export interface ScoringDeps {
  cases: CaseCache;
  kg: KgAccess;
  linker: EntityLinker;
  /** The correctness judge a run asked for (KG equivalence, or an LLM judge with the run's store). */
  judgeFor: (settings: RunSettings) => DiagnosisJudge;
  /** The worker's build stores, one per output folder. */
  stores: BuildStores;
}

export function createScoringActivities(deps: ScoringDeps) {
  /** Scores every path of a case's tree, sorts it (kept, prefix, rejected) and writes the case outcome. */
  async function scoreCase(input: ScoreCaseInput): Promise<CaseCounts> {
    const { settings, caseId } = input;

    try {
      const store = deps.stores.open(settings.storeDir);
      const testCase = deps.cases.get(settings.casesFile, settings.casesHash, caseId);
      const nodes = new Map<string, TreeNode>();
      const wanted = [...input.leaves.map((l) => l.path), ...input.failures.map((f) => parentPath(f.path))];
      for (const p of new Set(wanted.flatMap((w) => pathChain(w)))) nodes.set(p, store.readNode(caseId, p));
      const unused = store
        .nodePaths(caseId)
        .filter((p) => !nodes.has(p))
        .map((p) => store.readNode(caseId, p));
      const outcome = await scoreCaseTree(
        deps.kg,
        deps.linker,
        deps.judgeFor(settings),
        {
          testCase,
          nodes,
          leaves: input.leaves,
          // The invalid replies stay in the store (histories carry no model text): each failure gets its own back.
          failures: input.failures.map((f) => {
            const reply = store.readInvalidReply(caseId, f.path);
            return reply ? { ...f, reply } : f;
          }),
          unused,
          callFailures: store.readCallFailures(caseId),
        },
        {
          buildId: settings.buildId,
          policy: settings.policy,
          model: settings.model,
          promptsVersion: settings.promptsVersion,
          maxTurns: settings.maxTurns,
          filter: settings.filter,
        },
      );
      store.writeOutcome(outcome);
      return countsOf(outcome);
    } catch (error) {
      throw activityFailure(error, `scoring case ${caseId}`);
    }
  }

  return {
    /** Scores every path of a case's tree, sorts it (kept, prefix, rejected) and writes the case outcome. */
    async scoreCase(input: ScoreCaseInput): Promise<CaseCounts> {
      return whileHeartbeating(() => scoreCase(input));
    },

    /** h (likelihood-weighted KG distance of the differential to the gold) of each node, for early pruning. */
    async hypothesisDistances(input: DistancesInput): Promise<number[]> {
      const { settings, caseId } = input;
      try {
        const store = deps.stores.open(settings.storeDir);
        const testCase = deps.cases.get(settings.casesFile, settings.casesHash, caseId);
        const gold = await linkGold(deps.linker, testCase);
        const result: number[] = [];
        heartbeat();
        for (const p of input.paths) {
          heartbeat();
          const node = store.readNode(caseId, p);
          const linked = await linkTrajectory(deps.linker, [{ evidence: [], differential: node.turn.differential, orders: [] }]);
          result.push((await computeTrajectoryMetrics(deps.kg, linked, gold)).turns[0]?.hypothesisDistance ?? Infinity);
        }
        return result;
      } catch (error) {
        throw activityFailure(error, `distances of case ${caseId}`);
      }
    },
  };
}

export type ScoringActivities = ReturnType<typeof createScoringActivities>;
