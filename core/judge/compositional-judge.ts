import type { KgAccess } from '../kg/access';
import type { EntityLinker } from '../linking/linker';
import type { DiagnosisJudge, JudgeEvidence, JudgeInput, Judgement, PartMatch } from '../dataset/judge';
import { roundTo } from '../round';
import { readDiagnosis, type Condition } from './diagnosis-text';
import bundledFrequencies from './disease-word-frequencies.json';
import {
  contradicts,
  coveredShare,
  hasWord,
  extraWords,
  phraseWords,
  roleWeight,
  type PhraseWords,
  type WordWeight,
} from './phrase-words';
import { rarity, type WordFrequencies } from './word-rarity';

/**
 * The offline judge's version: part of a build's configuration, so a resumed build never mixes the
 * verdicts of two judges. Bump it with any change of rule, threshold or word list (judge-words.json,
 * disease-word-frequencies.json).
 */
export const JUDGE_VERSION = 'compositional-v1';

/** The rule's thresholds, chosen on the development half of the judged answers (docs/judge.md). */
export interface JudgeThresholds {
  /** Weighted share of a gold condition's words one answer phrase must say to name it. */
  named: number;
  /** Weighted share of all the gold's words the whole answer must say to share its distinctive words… */
  shared: number;
  /** …or the F1 of the two shares (gold's words in the answer, answer's words in the gold). */
  sharedF1: number;
  /**
   * Below this share of the gold's words, an answer and a gold that each have a rare word of their own
   * are siblings (the shared words name a family, not one disease).
   */
  siblingShare: number;
  /**
   * A word in more than this share of the KG's disease names ("lymphoma", "carcinoma", "tumor") names a
   * broad category: an answer that only generalises the gold must have a rarer word to be its near parent.
   */
  broadWordShare: number;
  /** Link score an answer or gold phrase needs for its KG node to count (lower: a shortened wording). */
  kgLinkScore: number;
  /** Links of each phrase compared through the KG. */
  kgLinks: number;
}

export const DEFAULT_THRESHOLDS: JudgeThresholds = {
  named: 0.6,
  shared: 0.4,
  sharedF1: 0.35,
  broadWordShare: 0.004,
  siblingShare: 0.45,
  kgLinkScore: 0.9,
  kgLinks: 3,
};

interface Name {
  text: string;
  words: PhraseWords;
}

/**
 * MedR-Bench's rule, offline: an answer is correct when it names the gold disease, an alias, another
 * wording or a more specific form of it, even with extra complications or context; it is wrong when it
 * names another disease. Answer and gold are read into conditions (principal phrase, bracketed aliases,
 * qualifiers: diagnosis-text.ts). Words count by their role (a modifier such as "left" or "acute" not
 * at all, a site half) times their rarity among the KG's disease names, so "Toxocara" weighs more than
 * "pneumonia". The answer is correct when, for some condition of the gold:
 * 1. one answer phrase says most of its words ("named": the same name, a more specific or a shorter one),
 * 2. or an answer phrase links to the same KG disease or an equivalent (DO, OMIM, Orphanet joined through
 *    Mondo), both linked confidently ("kg-equivalent"),
 * 3. or, over the whole texts, the answer says enough of the gold's distinctive words ("shared-words").
 * Each verdict carries its evidence: the gold's conditions, the part that matched, the method and share.
 */
export class CompositionalJudge implements DiagnosisJudge {
  readonly name = 'kg';
  readonly offline = true;
  private readonly weight: WordWeight;

  constructor(
    private readonly kg: KgAccess,
    private readonly linker: EntityLinker,
    private readonly thresholds: JudgeThresholds = DEFAULT_THRESHOLDS,
    private readonly frequencies: WordFrequencies = bundledFrequencies,
  ) {
    const rare = rarity(frequencies);
    this.weight = (word, role) => roleWeight(word, role) * rare(word);
  }

  async judge(input: JudgeInput): Promise<Judgement> {
    const goldText = input.gold.short.trim() || input.gold.long;
    const gold = readDiagnosis(goldText);
    const answer = readDiagnosis(input.final);
    const evidence = (matches: PartMatch[]): JudgeEvidence => ({ gold: gold.conditions.map((c) => c.principal), matches });
    if (gold.conditions.length === 0 || answer.conditions.length === 0) {
      return { correct: false, method: 'unreadable', evidence: evidence([]) };
    }
    const parts = answerNames(answer.conditions);
    // A gold that is a disease's own name keeps its modifiers: "progressive multifocal" is part of
    // "progressive multifocal leukoencephalopathy", not a detail to drop.
    const goldNames = await Promise.all(gold.conditions.flatMap(conditionNames).map((g) => this.withNameModifiers(g)));

    const named = this.bestNamed(goldNames, parts);
    if (named && (named.share ?? 0) >= this.thresholds.named)
      return { correct: true, method: named.method, evidence: evidence([named]) };

    const nameWordsOfGold = new Set(
      goldNames.flatMap((g) => [...g.words.roles].filter(([, r]) => r === 'content').map(([w]) => w)),
    );
    const goldAll = keepAsContent(phraseWords(gold.text), nameWordsOfGold);
    const answerAll = phraseWords(answer.text);
    // Contradicting wordings ("primary" / "metastatic", "low-grade" / "high-grade") name siblings, not the
    // gold, even where the linker finds one node or the words are shared.
    const contradiction = contradicts(answerAll, goldAll);
    const kg = contradiction ? undefined : await this.kgEquivalent(goldNames, parts);
    if (kg) return { correct: true, method: kg.method, evidence: evidence([kg]) };

    const share = coveredShare(answerAll, goldAll, this.weight);
    const back = coveredShare(goldAll, answerAll, this.weight);
    const f1 = share + back === 0 ? 0 : (2 * share * back) / (share + back);
    const whole: PartMatch = {
      gold: gold.text,
      answer: answer.text,
      method: 'shared-words',
      share: roundTo(share, 3),
      f1: roundTo(f1, 3),
    };
    // Siblings that share only a little ("keratolytic winter erythema" / "erythema toxicum") are not the
    // gold. An answer that says nothing the gold does not is a broader name: a near parent
    // ("chondrosarcoma" for "dedifferentiated chondrosarcoma", judged right in the reference verdicts) when
    // one of its words is rare among disease names, else only a broad category ("lymphoma" for "diffuse
    // large B-cell lymphoma"), which the F1 does not make right.
    const agree =
      !contradiction &&
      this.sharesSpecificWord(answerAll, goldAll) &&
      (share >= this.thresholds.siblingShare || !this.siblings(answerAll, goldAll));
    const broadCategory = extraWords(answerAll, goldAll).length === 0 && !this.hasSpecificWord(answerAll);
    if (agree && (share >= this.thresholds.shared || (!broadCategory && f1 >= this.thresholds.sharedF1)))
      return { correct: true, method: 'shared-words', evidence: evidence([whole]) };
    return {
      correct: false,
      method: 'different',
      evidence: evidence(named ? [named, { ...whole, method: 'different' }] : [{ ...whole, method: 'different' }]),
    };
  }

  /** The gold name with its modifiers counted as content when it is a KG disease's exact name or synonym. */
  private async withNameModifiers(name: Name): Promise<Name> {
    const top = (await this.linker.link(name.text, 'disease')).matches[0];
    if (!top || top.score < 0.999) return name;
    const modifiers = [...name.words.roles].filter(([, r]) => r === 'modifier').map(([w]) => w);
    return { text: name.text, words: keepAsContent(name.words, new Set(modifiers)) };
  }

  private isSpecific(word: string): boolean {
    return (this.frequencies.frequencies[word] ?? 1) <= this.frequencies.documents * this.thresholds.broadWordShare;
  }

  private hasSpecificWord(phrase: PhraseWords): boolean {
    return [...phrase.roles].some(([w, role]) => role === 'content' && this.isSpecific(w));
  }

  /**
   * Siblings: each says a word rare among disease names that the other lacks ("keratolytic winter
   * erythema" / "erythema toxicum", "hepatitis E" / "hepatitis B"): a shared head word then names a
   * category both belong to, not one disease.
   */
  private siblings(answer: PhraseWords, gold: PhraseWords): boolean {
    const own = (a: PhraseWords, b: PhraseWords) =>
      [...a.roles].some(([w, role]) => role === 'content' && this.isSpecific(w) && !hasWord(b, w));
    return own(answer, gold) && own(gold, answer);
  }

  /** Both say a word that is rare among disease names: words such as "carcinoma" or "cell" alone do not make two diagnoses one. */
  private sharesSpecificWord(answer: PhraseWords, gold: PhraseWords): boolean {
    return [...gold.roles].some(([w, role]) => role !== 'modifier' && this.isSpecific(w) && hasWord(answer, w));
  }

  /** The answer phrase that says the largest share of a gold name, with how it says it. */
  private bestNamed(golds: Name[], parts: Name[]): PartMatch | undefined {
    let best: PartMatch | undefined;
    for (const gold of golds) {
      for (const part of parts) {
        if (contradicts(part.words, gold.words)) continue;
        const share = coveredShare(part.words, gold.words, this.weight);
        if (share === 0 || (best && (best.share ?? 0) >= share)) continue;
        const method =
          share < 0.999 ? 'shorter-wording' : extraWords(part.words, gold.words).length === 0 ? 'same-wording' : 'more-specific';
        best = { gold: gold.text, answer: part.text, method, share: roundTo(share, 3) };
      }
    }
    return best;
  }

  /** An answer phrase and a gold name whose confident KG links are the same disease or equivalents. */
  private async kgEquivalent(golds: Name[], parts: Name[]): Promise<PartMatch | undefined> {
    const goldLinks = await Promise.all(golds.map((g) => this.links(g.text)));
    const partLinks = await Promise.all(parts.map((p) => this.links(p.text)));
    const pairs: { gold: Name; part: Name; a: string; b: string }[] = [];
    golds.forEach((gold, gi) =>
      parts.forEach((part, pi) => {
        for (const b of goldLinks[gi] ?? []) for (const a of partLinks[pi] ?? []) pairs.push({ gold, part, a, b });
      }),
    );
    if (pairs.length === 0) return undefined;
    const distances = await this.kg.diseaseDistances(
      pairs.map((p) => [p.a, p.b]),
      1,
    );
    const i = distances.findIndex((d) => d === 0);
    const hit = pairs[i];
    return hit ? { gold: hit.gold.text, answer: hit.part.text, method: 'kg-equivalent', nodes: [hit.a, hit.b] } : undefined;
  }

  private async links(text: string): Promise<string[]> {
    const result = await this.linker.link(text, 'disease');
    return result.matches
      .filter((m) => m.score >= this.thresholds.kgLinkScore)
      .slice(0, this.thresholds.kgLinks)
      .map((m) => m.id);
  }
}

/** Every phrase of the answer a gold may be found in: each condition's principal, aliases and qualifiers. */
function answerNames(conditions: Condition[]): Name[] {
  const texts = conditions.flatMap((c) => [c.principal, ...c.aliases, ...c.qualifiers]);
  return [...new Set(texts)].map(toName).filter((n) => n.words.words.length > 0);
}

function conditionNames(condition: Condition): Name[] {
  return [condition.principal, ...condition.aliases].map(toName).filter((n) => n.words.words.length > 0);
}

/** The phrase with the given words (modifiers among them) counted as content. */
function keepAsContent(phrase: PhraseWords, words: ReadonlySet<string>): PhraseWords {
  const roles = new Map(phrase.roles);
  for (const [w, r] of roles) if (r === 'modifier' && words.has(w)) roles.set(w, 'content');
  return { words: phrase.words, roles };
}

function toName(text: string): Name {
  return { text, words: phraseWords(text) };
}
