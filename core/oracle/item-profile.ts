import { resultSubject } from '../cases/menu-builder';
import type { MenuItem } from '../cases/model';
import { CONCEPTS_BY_ID, findRegions, findTests, tokenize } from './phrases';
import { type ResultSentence, resultSentences } from './result-sentences';
import { codeOf, FILLER, isModality, specific, stem } from './vocabulary';
import { specimenQualifiers } from './order';
import { GENERIC_CONCEPTS } from './lexicon';

/** What a menu item reports, read once per case: the tests its label, subject and result name, its studies, sites and words. */

export interface ItemProfile {
  item: MenuItem;
  /** Specific tests its label names: its innermost name ("WBC" in "Complete Blood Count › WBC"), else name and aliases. */
  label: Set<string>;
  /**
   * The panels the item itself is: its label's tests, without the headings of a split item ("Total
   * bilirubin" under "Elevated liver enzymes" is the bilirubin, not the enzymes).
   */
  panels: Set<string>;
  /** Specific tests its whole label names, headings included ("Urinalysis" in "Urinalysis › WBC"). */
  context: Set<string>;
  /** Tests named in the subject of its result ("ECG and echocardiogram showed …"); read for grab-bag items only. */
  subject: Set<string>;
  /** label ∪ subject: the tests the item itself reports. */
  own: Set<string>;
  /** Body sites its label and opening words name, for biopsies, cultures and procedures. */
  sites: Set<string>;
  /** Every test named or implied in its result. */
  text: Set<string>;
  /** Specific tests its result names by name (not through a finding word). */
  named: Set<string>;
  /** Its result sentence by sentence, for answering with the part an order asks for. */
  sentences: ResultSentence[];
  /** Each sentence's word stems, for a test the lexicon does not know. */
  sentenceWords: string[][];
  /** Every word stem of its name and result: where the organism an order names must be found. */
  allWords: Set<string>;
  /** Its name's and result's words as codes ("CYP11B1" → "cyp11b1"), for a gene or strain an order names. */
  codes: Set<string>;
  /** The label names no specific test ("Laboratory Findings", "Other Tests"). */
  grabBag: boolean;
  /** Imaging modalities it reports. */
  modalities: Set<string>;
  /** Body regions from its label and subject; else from its result. */
  regions: Set<string>;
  /**
   * For a label naming several studies ("Chest, abdominal CT and brain MRI"): each modality with the
   * regions written with it, so that this item is no chest MRI. Null for one study.
   */
  studies: { modality: string; regions: Set<string> }[] | null;
  /** Word stems of its name and aliases, for free-text matching. */
  words: Set<string>;
}

export function profile(item: MenuItem): ItemProfile {
  const labelText = [item.name, ...item.aliases].join(' ; ');
  const innermost = specific(findTests(item.name.split('›').pop() as string, 'order').map((m) => m.concept));
  // Aliases that are not headings of the name (a parenthesised abbreviation, a test named in the subject).
  const extra = item.aliases.filter((a) => !item.name.includes(a));
  // A test named in the subject of a labelled item's result counts only if it is of the item's kind: in
  // "Lumbar spine MRI: Bone marrow signal abnormalities…" the bone marrow is anatomy, not a biopsy.
  const extraTests = [...specific(findTests(extra.join(' ; '), 'order').map((m) => m.concept))];
  const offKind = new Set(extraTests.filter((c) => CONCEPTS_BY_ID.get(c)?.category !== item.category));
  // "JC virus PCR in cerebrospinal fluid (CSF)": the specimen says where the PCR was done; the item is no CSF analysis.
  const innermostName = item.name.split('›').pop() as string;
  const qualifiers = specimenQualifiers(innermostName, findTests(innermostName, 'order'));
  for (const c of qualifiers) offKind.add(c);
  const context = new Set([...specific(findTests(labelText, 'order').map((m) => m.concept))].filter((c) => !offKind.has(c)));
  const innermostTests = [...innermost].filter((c) => !qualifiers.has(c));
  const label = innermost.size > 0 ? new Set([...innermostTests, ...extraTests.filter((c) => !offKind.has(c))]) : context;
  const panels = innermost.size > 0 ? new Set(innermostTests) : context;
  const grabBag = label.size === 0;
  const subjectText = resultSubject(item.result);
  const subject = grabBag
    ? specific(
        findTests(subjectText, 'text')
          .filter((m) => m.kind === 'name')
          .map((m) => m.concept),
      )
    : new Set<string>();
  const mentions = findTests(item.result, 'text');
  const text = new Set(mentions.map((m) => m.concept));
  const named = specific(mentions.filter((m) => m.kind === 'name').map((m) => m.concept));
  const own = new Set([...label, ...subject]);
  let modalities = new Set([...own].filter(isModality));
  // An imaging item whose label names no study ("Imaging", with "Chest CT" in its subject) reports the
  // studies its result names: "… on chest CT, … on abdominal CT, and normal pituitary findings on MRI".
  const readsStudies = item.category === 'imaging' && innermost.size === 0;
  if (item.category === 'imaging' && (modalities.size === 0 || readsStudies))
    modalities = new Set([...modalities, ...[...text].filter((c) => isModality(c) && !GENERIC_CONCEPTS.has(c))]);
  if (modalities.has('pet')) modalities.delete('ct'); // a PET/CT is a PET study
  const labelRegions = findRegions(labelText);
  const ownRegions = new Set([...labelRegions, ...findRegions(subjectText)]);
  const regions = ownRegions.size > 0 ? ownRegions : findRegions(item.result);
  // Where a biopsy or culture was taken: its label says ("Biopsy of left orbital lesion"); else its opening words.
  // "Vascular proliferation without atypia": a word that also describes tissue gives no site in a result.
  const openingSites = new Set([...findRegions(item.result.split(/\s+/).slice(0, 12).join(' '))].filter((r) => r !== 'vascular'));
  const sites = labelRegions.size > 0 ? labelRegions : openingSites;
  const words = new Set(
    tokenize(labelText)
      .map((t) => stem(t.lower))
      .filter((w) => !FILLER.has(w)),
  );
  const studies = modalities.size >= 2 ? labelStudies(readsStudies ? item.result : labelText, regions) : null;
  const sentences = resultSentences(item.result);
  const sentenceWords = sentences.map((x) => tokenize(x.text).map((t) => stem(t.lower)));
  const allWords = new Set([...words, ...sentenceWords.flat()]);
  const codes = new Set(
    `${labelText} ${item.result}`
      .split(/[\s,;()]+/)
      .map(codeOf)
      .filter(Boolean),
  );
  return {
    item,
    label,
    panels,
    context,
    subject,
    own,
    sites,
    text,
    named,
    sentences,
    sentenceWords,
    allWords,
    codes,
    grabBag,
    modalities,
    regions,
    studies,
    words,
  };
}

/**
 * The studies a label names, each modality with its regions: "Chest, Abdominal CT, and Brain MRI" is a
 * CT of chest and abdomen and an MRI of the brain. A region written before a modality belongs to the
 * next modality, one after the last to the last; a study written without a region has the item's.
 */
function labelStudies(label: string, itemRegions: Set<string>): { modality: string; regions: Set<string> }[] {
  const chunks = label
    .split(/\s*(?:[,;()/]|\band\b|\bwith\b)\s*/i)
    .filter(Boolean)
    .map((chunk) => ({
      modalities: [...new Set(findTests(chunk, 'order').map((m) => m.concept))].filter(isModality),
      regions: findRegions(chunk),
    }));
  const studies: { modality: string; regions: Set<string> }[] = [];
  let pending = new Set<string>();
  for (const chunk of chunks) {
    if (chunk.modalities.length === 0) {
      for (const r of chunk.regions) pending.add(r);
      continue;
    }
    const regions = new Set([...pending, ...chunk.regions]);
    pending = new Set();
    for (const modality of chunk.modalities) studies.push({ modality, regions });
  }
  const last = studies[studies.length - 1];
  if (last) for (const r of pending) last.regions.add(r);
  for (const s of studies) if (s.regions.size === 0) s.regions = itemRegions;
  return studies;
}
