import type { Case } from '../cases/model';
import { conversation, type ChatMessage } from '../policy/prompts';
import { roundTo } from '../round';
import type { PathScore } from '../dataset/score-case';
import type { TokenRecord } from '../dataset/records';
import type { JudgeEvidence } from '../dataset/judge';
import type { Leaf, TreeNode } from '../tree/node';
import { orderCost, testCost } from './test-costs';

/** One evaluated case: a line of eval.jsonl (every line has the same keys; null where a value does not apply). */
export interface EpisodeRecord {
  eval_id: string;
  case_id: string;
  source: string;
  gold_diagnosis: string;
  final_diagnosis: string | null;
  correct: boolean;
  /** How correctness was decided: the offline judge's method (core/dataset/judge.ts), or "llm:<model>". */
  judge: string;
  /** What the offline judge found (null: no final diagnosis, or an LLM judge). */
  judge_evidence: JudgeEvidence | null;
  /** final: the policy committed to a diagnosis; failed: a turn could not be produced (see error). */
  status: 'final' | 'failed';
  error: string | null;
  /** The episode stopped on an error a rerun may get past (retries exhausted): `medaction eval` again runs it again. */
  resumable: boolean;
  turns_used: number;
  orders: number;
  answered: number;
  unavailable: number;
  /** answered / orders (null: no orders). */
  test_precision: number | null;
  /** Menu items revealed / menu items. */
  test_recall: number;
  menu_items: number;
  revealed_items: number;
  /** Ballpark USD of every order (core/eval/test-costs.ts). */
  test_cost: number;
  dtc: number | null;
  rac: number | null;
  grounded_ordering: number | null;
  tokens: TokenRecord;
  requests: number;
  /** The case metadata the summary breaks accuracy down by. */
  body_system: string[];
  disorder_category: string[];
  rare_disease: boolean | null;
  turns: EpisodeTurn[];
  messages: ChatMessage[];
}

export interface EpisodeTurn {
  turn: number;
  action: 'order_tests' | 'final_diagnosis';
  /** The differential as the policy ranked it. */
  differential: { diagnosis: string; likelihood: number }[];
  hypothesis_distance: number | null;
  gold_rank: number | null;
  converging: boolean | null;
  rac: number | null;
  orders: { test: string; answered: boolean; grounded: boolean | null; cost: number; items: string[] }[];
  diagnosis: string | null;
}

export interface EpisodeInput {
  evalId: string;
  testCase: Case;
  /** The episode's turns, root first (k = 1: one path). */
  chain: TreeNode[];
  leaf: Leaf;
  score: PathScore;
  tokens: TokenRecord;
  requests: number;
  maxTurns: number;
  resumable: boolean;
}

/** The per-case record of one greedy episode: its outcome, orders, test precision/recall, cost and scores. */
export function episodeRecord(input: EpisodeInput): EpisodeRecord {
  const { testCase, chain, leaf, score } = input;
  const results = chain.flatMap((n) => n.results);
  const answered = results.filter((r) => r.status === 'result').length;
  const revealed = new Set(results.flatMap((r) => r.items.map((i) => i.id)));
  const metadata = testCase.metadata;
  return {
    eval_id: input.evalId,
    case_id: testCase.id,
    source: testCase.source,
    gold_diagnosis: testCase.gold.short,
    final_diagnosis: score.finalDiagnosis,
    correct: score.finalDiagnosis !== null && score.judgement.correct,
    judge: score.judgement.method,
    judge_evidence: score.finalDiagnosis !== null ? (score.judgement.evidence ?? null) : null,
    status: score.finalDiagnosis !== null ? 'final' : 'failed',
    error: score.finalDiagnosis !== null ? null : (leaf.error ?? `the episode ended without a final diagnosis (${leaf.status})`),
    resumable: score.finalDiagnosis === null && input.resumable,
    turns_used: chain.length,
    orders: results.length,
    answered,
    unavailable: results.length - answered,
    test_precision: results.length === 0 ? null : roundTo(answered / results.length, 4),
    test_recall: roundTo(revealed.size / testCase.menu.length, 4),
    menu_items: testCase.menu.length,
    revealed_items: revealed.size,
    test_cost: testCost(results),
    dtc: score.metrics.dtc,
    rac: score.metrics.rac,
    grounded_ordering: score.metrics.groundedOrdering,
    tokens: input.tokens,
    requests: input.requests,
    body_system: stringList(metadata.body_category ?? metadata.body_system),
    disorder_category: stringList(metadata.disorder_category),
    rare_disease: typeof metadata.is_rare_disease === 'boolean' ? metadata.is_rare_disease : null,
    turns: score.metrics.turns.map((t, i) => {
      const node = chain[i] as TreeNode;
      const action = node.turn.action;
      return {
        turn: t.turn,
        action: action.type,
        differential: node.turn.differential.map((d) => ({ diagnosis: d.diagnosis, likelihood: d.likelihood })),
        hypothesis_distance: t.hypothesisDistance,
        gold_rank: t.goldRank,
        converging: t.converging,
        rac: t.rac,
        orders: node.results.map((r, j) => ({
          test: r.test,
          answered: r.status === 'result',
          grounded: t.orders[j]?.grounded ?? null,
          cost: orderCost(r).usd,
          items: r.items.map((item) => item.id),
        })),
        diagnosis: action.type === 'final_diagnosis' ? action.diagnosis : null,
      };
    }),
    messages: conversation(
      testCase.o1.text,
      chain.map((n) => ({ turn: n.turn, results: n.results })),
      input.maxTurns,
    ),
  };
}

/** Metadata categories as a list of names: a string, a list of strings, or nothing. */
function stringList(value: unknown): string[] {
  if (typeof value === 'string' && value.trim() !== '') return [value.trim()];
  if (Array.isArray(value))
    return value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
  return [];
}
