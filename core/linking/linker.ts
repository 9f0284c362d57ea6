import type { KgAccess, NameRecord } from '../kg/access';
import type { NodeKind } from '../kg/model';
import { prepareMention } from './mention';
import { canonicalWord, roleOf } from '../judge/phrase-words';
import { nameScore, wordSet, wordWeight } from './score';
import { roundTo } from '../round';
import { LruMemo } from '../lru-memo';

export interface LinkMatch {
  id: string;
  name: string;
  score: number;
  source: string;
}

export interface LinkResult {
  mention: string;
  kind: NodeKind;
  /** The mention denies the finding ("no fever", "cultures negative"): nothing is linked. */
  negated: boolean;
  /** Nodes scoring at least the threshold, best first (empty: "not linked"). */
  matches: LinkMatch[];
}

export interface LinkerOptions {
  /** Below this score a candidate is not a link. */
  threshold?: number;
  /** Matches returned at most. */
  maxMatches?: number;
  /** Candidates fetched from the KG per mention, before scoring. */
  candidates?: number;
  /** Link answers kept in memory (least recently used dropped first). */
  memoEntries?: number;
}

export const DEFAULT_LINK_THRESHOLD = 0.7;

/** Names that assert a deviation, which a bare measurement cannot support. */
const ABNORMALITY_NAME = /\b(?:abnormal|abnormality|elevated|increased|decreased|reduced|high|low|prolonged)\b/i;

/** When two nodes score the same, the more curated source wins (DO for diseases, HPO for findings). */
const SOURCE_RANK: Record<NodeKind, string[]> = {
  disease: ['DO', 'HPO', 'DDXPLUS'],
  finding: ['HPO', 'SYMP', 'DDXPLUS'],
};

/**
 * Entity linking: a free-text disease or finding mention → ranked KG nodes with scores. The mention is
 * cleaned of values, read for negation, expanded (abbreviations, clinical wordings, the head of a
 * qualified diagnosis), candidates come from the KG's name search, and each candidate is scored by its
 * best name or synonym against the best wording (nameScore × the wording's weight).
 */
export class EntityLinker {
  private readonly threshold: number;
  private readonly maxMatches: number;
  private readonly candidates: number;
  private readonly memo: LruMemo<LinkResult>;

  constructor(
    private readonly kg: KgAccess,
    options: LinkerOptions = {},
  ) {
    this.threshold = options.threshold ?? DEFAULT_LINK_THRESHOLD;
    this.maxMatches = options.maxMatches ?? 5;
    this.candidates = options.candidates ?? 100;
    this.memo = new LruMemo(options.memoEntries ?? 20_000);
  }

  /**
   * Links a mention to KG nodes. Answers are memoised by (kind, mention): a case's tree repeats the same
   * hypotheses and results on every path, and scoring the candidate names is the linker's real cost.
   */
  link(mention: string, kind: NodeKind): Promise<LinkResult> {
    return this.memo.get(`${kind}|${mention}`, () => this.linkNow(mention, kind));
  }

  private async linkNow(mention: string, kind: NodeKind): Promise<LinkResult> {
    const prepared = prepareMention(mention, kind);
    if (prepared.negated || prepared.variants.length === 0) return { mention, kind, negated: prepared.negated, matches: [] };
    // Word sets once per wording, not once per wording and candidate name.
    const words = WORDS[kind];
    const plain = prepared.variants.map((v) => wordSet(v.text));
    const variants = prepared.variants.map((v, i) => ({ words: words.compared(plain[i] as Set<string>), weight: v.weight }));
    // The KG's search index holds the plain words: search with the mention's own words and their canonical forms.
    const search = [...new Set([...plain, ...variants.map((v) => v.words)].flatMap((set) => [...set]))];
    const candidates = await this.kg.searchNames(search, kind, this.candidates);
    const scored = candidates
      .map((node) => ({ node, score: bestScore(node, variants, words) }))
      .filter((s) => !prepared.bareMeasurement || (s.score >= 0.95 && !ABNORMALITY_NAME.test(s.node.name)));
    const rank = SOURCE_RANK[kind];
    const matches = scored
      .filter((s) => s.score >= this.threshold)
      .sort(
        (a, b) => b.score - a.score || sourceRank(rank, a.node) - sourceRank(rank, b.node) || a.node.id.localeCompare(b.node.id),
      )
      .slice(0, this.maxMatches)
      .map(({ node, score }) => ({ id: node.id, name: node.name, score: roundTo(score, 3), source: node.source }));
    return { mention, kind, negated: false, matches };
  }
}

/**
 * How a kind's names are compared. Disease names: site adjectives meet their nouns ("appendiceal mucocele"
 * / "mucocele of appendix") and words that only qualify a disease ("benign", "well-differentiated",
 * "stage", "left") weigh as little as "disease" does, so a qualified diagnosis still prefers the node that
 * names its disease and site over the bare head ("middle ear neuroendocrine tumor" over "neuroendocrine
 * tumor"). Finding names keep their words: "elevated" or "decreased" is the finding.
 */
interface KindWords {
  /** The words compared, from a name's plain word set (wordSet). */
  compared(plain: Set<string>): Set<string>;
  weigh(word: string): number;
}

const WORDS: Record<NodeKind, KindWords> = {
  finding: { compared: (plain) => plain, weigh: wordWeight },
  disease: {
    compared: (plain) => new Set([...plain].map(canonicalWord)),
    weigh: (word) => (roleOf(word) === 'modifier' ? LOW_WORD_WEIGHT : wordWeight(word)),
  },
};

const LOW_WORD_WEIGHT = wordWeight('disease');

function bestScore(node: NameRecord, variants: { words: ReadonlySet<string>; weight: number }[], words: KindWords): number {
  let best = 0;
  for (const name of [node.name, ...node.synonyms]) {
    const nameWords = words.compared(wordSet(name));
    for (const v of variants) best = Math.max(best, nameScore(v.words, nameWords, words.weigh) * v.weight);
  }
  return best;
}

function sourceRank(rank: string[], node: NameRecord): number {
  const i = rank.indexOf(node.source);
  return i < 0 ? rank.length : i;
}
