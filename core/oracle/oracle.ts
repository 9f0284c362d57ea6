import type { Case, MenuCategory } from '../cases/model';
import { type ItemProfile, profile } from './item-profile';
import { BY_TEST, type MatchRule, matchRule, unknownTestMatch } from './match';
import { isCatchAll, type Request, splitOrder } from './order';
import { CONCEPTS_BY_ID } from './phrases';
import { answeringPart } from './result-sentences';

export { isCatchAll, splitOrder } from './order';
export type { MatchRule } from './match';

/**
 * The test-menu oracle: answers a doctor's free-text order with the case's real results, or
 * UNAVAILABLE. It never invents a result: every answer is a menu item's text, verbatim (or the
 * sentences of it the order asked for). Deterministic and pure (no network): the same case and order
 * always give the same answer. The rules are described in docs/oracle.md:
 * - order.ts reads an order into requests (tests, regions, and the specimen, organism or gene they are for);
 * - item-profile.ts reads once what each menu item reports;
 * - match.ts decides which rule, if any, lets an item answer a request (`matched_by`);
 * - result-sentences.ts cuts a result to the sentences about the tests ordered;
 * - this class puts them together: which items answer, and which only when no item is the test itself.
 */

export const UNAVAILABLE = 'UNAVAILABLE';

/** The matching rules' version (the lexicon's content hash is added to it in the build configuration). */
export const ORACLE_RULES_VERSION = 'oracle-v3';

export interface OracleItem {
  id: string;
  name: string;
  category: MenuCategory;
  /** The item's result, or the sentences of it about the tests ordered (then `excerpt` is set). */
  result: string;
  /** The result was cut to the sentences the order asked for; the others report other tests. */
  excerpt?: true;
}

export interface OracleAnswer {
  status: 'result' | 'unavailable';
  items: OracleItem[];
}

export interface OracleOptions {
  /**
   * Answer catch-all orders ("labs", "imaging", "physical examination") with every item of their kind.
   * Off by default: like MedR-Bench's patient agent, the environment asks for specific tests, so that
   * shotgun ordering is not rewarded.
   */
  allowCatchAll?: boolean;
}

export class TestMenuOracle {
  private readonly profiles: ItemProfile[];

  constructor(
    readonly testCase: Case,
    private readonly options: OracleOptions = {},
  ) {
    this.profiles = testCase.menu.map(profile);
  }

  /** The menu items an order reveals (in menu order), or UNAVAILABLE. */
  ask(order: string): OracleAnswer {
    const { items } = this.answer(order);
    return items.length > 0 ? { status: 'result', items } : { status: 'unavailable', items: [] };
  }

  /**
   * The answer with the rule behind each item (matched_by), or why nothing was returned: a catch-all
   * order refused, or no item matched.
   */
  explain(
    order: string,
  ): OracleAnswer & { matchedBy: Record<string, MatchRule>; unavailableBecause: 'catch_all_refused' | 'no_match' | null } {
    const { items, matchedBy, refused } = this.answer(order);
    return {
      ...(items.length > 0 ? { status: 'result' as const, items } : { status: 'unavailable' as const, items: [] }),
      matchedBy,
      unavailableBecause: items.length > 0 ? null : refused ? 'catch_all_refused' : 'no_match',
    };
  }

  /**
   * The item answered the request only as a sibling under a panel that contains the test ("Tumour
   * markers › CEA" for AFP), not as the test, one of its members, or an item under its heading
   * ("Urinalysis › WBC" for a urinalysis).
   */
  private viaHeading(request: Request, k: number): boolean {
    const { label, context } = this.profiles[k] as ItemProfile;
    return !request.concepts.some(
      (c) => label.has(c) || context.has(c) || (CONCEPTS_BY_ID.get(c)?.members ?? []).some((m) => label.has(m)),
    );
  }

  private answer(order: string): { items: OracleItem[]; matchedBy: Record<string, MatchRule>; refused: boolean } {
    const requests = splitOrder(order);
    if (!this.options.allowCatchAll && isCatchAll(requests)) return { items: [], matchedBy: {}, refused: true };
    // rules[r][p]: how request r found item p, if it did.
    // Sentences of an item found by the name of a test the lexicon does not know, by item id.
    const named = new Map<string, string[]>();
    const rules = requests.map((r) => {
      const found: (MatchRule | null)[] = this.profiles.map((p) => matchRule(r, p));
      // Another item's result is read only when no item is itself that test: "CBC" is answered by the
      // CBC, not also by "Biochemistry: normal complete blood count, coagulation, …".
      const dedicated = found.some((rule) => rule !== null && rule !== 'result_names');
      // An item that is the test ordered ("AFP") answers it; a sibling under the same heading ("Tumour
      // markers › CEA": its result lists AFP too) does not.
      const itself = this.profiles.some((p, k) => found[k] === 'lexicon' && r.concepts.some((c) => p.label.has(c)));
      if (itself)
        return found.map((rule, k) => (rule === 'result_names' || (rule === 'lexicon' && this.viaHeading(r, k)) ? null : rule));
      if (dedicated) return found.map((rule) => (rule === 'result_names' ? null : rule));
      if (found.some((rule) => rule !== null)) return found;
      // Nothing known answered: the request may name a test the lexicon does not know.
      return this.profiles.map((p) => {
        const sentences = unknownTestMatch(r, p);
        if (!sentences) return null;
        named.set(p.item.id, [...new Set([...(named.get(p.item.id) ?? []), ...sentences])]);
        return 'test_name' as const;
      });
    });
    const items: OracleItem[] = [];
    const matchedBy: Record<string, MatchRule> = {};
    this.profiles.forEach((p, k) => {
      const itemRules = rules.map((found) => found[k] ?? null);
      const first = itemRules.find((rule) => rule !== null);
      if (!first) return;
      const { item } = p;
      matchedBy[item.id] = first;
      // Found for the tests a request names: the sentences about them; found any other way: the whole result.
      const byTest = itemRules.every((rule) => rule === null || BY_TEST.has(rule));
      const concepts = requests.flatMap((r, i) => (itemRules[i] ? r.concepts : []));
      // The label answered unless the item was found through its result or is a grab-bag. A pathology
      // report is one report (its immunohistochemistry is the biopsy's): never cut.
      const labelled = !p.grabBag && itemRules.every((rule) => rule !== 'result_names') ? p.label : null;
      let part = byTest && item.category !== 'pathology' ? answeringPart(p.sentences, concepts, labelled) : null;
      const byName = named.get(item.id);
      if (byName && itemRules.every((rule) => rule === null || rule === 'test_name') && byName.length < p.sentences.length)
        part = p.sentences
          .filter((x) => byName.includes(x.text))
          .map((x) => x.text)
          .join(' ');
      items.push({
        id: item.id,
        name: item.name,
        category: item.category,
        result: part ?? item.result,
        ...(part !== null ? { excerpt: true as const } : {}),
      });
    });
    return { items, matchedBy, refused: false };
  }
}
