import { z } from 'zod';
import { MENU_CATEGORIES, type MenuCategory } from '../cases/model';
import lexicon from '../../data/oracle/test-lexicon.json';

/**
 * A lexicon of medical tests: what doctors order and what case reports call the results. Each
 * concept has the phrases that name it (lower case, abbreviations included), its category, and for
 * panels the analytes they contain (ordering "CBC" reveals the haemoglobin; a report's "anemia
 * (hemoglobin 7.6)" answers an order for a CBC). Imaging is described by modality plus body region
 * (see REGIONS), so "CT head with contrast" and "non-contrast CT of the brain" meet.
 *
 * Phrases are matched on normalised text (see normalise.ts) at word boundaries, longest first.
 *
 * The tables are data (data/oracle/test-lexicon.json), validated here when the module loads; their
 * content hash is part of a build's configuration, so a resumed build never mixes two oracles' answers.
 */

export interface TestConcept {
  id: string;
  category: MenuCategory;
  /** Display name. */
  name: string;
  phrases: string[];
  /** Analytes or component tests a panel reports. */
  members?: string[];
  /** Report wording that implies this test was done (e.g. "leukocytosis" → WBC). Not used to read orders. */
  findings?: string[];
  /** Imaging modality: matched together with body regions. */
  modality?: boolean;
  /**
   * A family of distinct tests under one name ("endoscopy", "cultures", "tumour markers"), unlike a
   * defined panel ("CBC"): an item it labels answers an order for a member only if its result names
   * that member, since "Endoscopy: ulcers" does not say whether the scope was a colonoscopy.
   */
  loose?: boolean;
}

/**
 * Body regions for imaging (and for biopsy sites): each region lists the words that name it. A region
 * also matches its broader region (head ⊃ brain, orbit, sinus; trunk regions are separate), so an
 * order for "CT head" finds a "brain CT" and "MRI of the orbits".
 */
export interface Region {
  id: string;
  phrases: string[];
  /** Regions this one lies within. */
  within?: string[];
}

const phrase = z
  .string()
  .min(1)
  .refine((p) => p === p.toLowerCase(), { message: 'phrases are lower case' });
const lexiconSchema = z.object({
  generic: z.array(z.string()),
  concepts: z.array(
    z.object({
      id: z.string().min(1),
      category: z.enum(MENU_CATEGORIES),
      name: z.string().min(1),
      phrases: z.array(phrase).min(1),
      members: z.array(z.string()).optional(),
      findings: z.array(z.string()).optional(),
      modality: z.boolean().optional(),
      loose: z.boolean().optional(),
    }),
  ),
  regions: z.array(z.object({ id: z.string().min(1), phrases: z.array(phrase).min(1), within: z.array(z.string()).optional() })),
  /** Tests that define a non-blood specimen: an analyte under them answers only an order naming the specimen. */
  specimens: z.array(z.string()),
  /** A specialised study answers an order for the general one (a CTA is a CT), not the reverse. */
  specialises: z.record(z.string(), z.array(z.string())),
  /** Microbiology methods that an organism named beside them qualifies ("EBV PCR" is a PCR for EBV). */
  organismMethods: z.array(z.string()),
  /** Words of an order that name no test. */
  orderFillerWords: z.array(z.string()),
  /** Words of a test's name too common to identify a test the lexicon does not know ("serum", "antibody", "count"). */
  genericTestWords: z.array(z.string()),
  /** Words of a test's name a result leaves out ("plasma amino acids" → "amino acid profile"; "HMB-45 staining" → "HMB-45"). */
  omittableTestWords: z.array(z.string()),
  /** Words by which an order asks for a blood analyte ("serum amylase"). */
  bloodSpecimenWords: z.array(phrase),
  /** Words by which a result reports an analyte in another specimen ("fluid with high amylase"). */
  otherSpecimenWords: z.array(phrase),
  /** Examination words reduced to one form, so that "auscultate the lungs" meets "Chest › Auscultation". */
  examWordForms: z.record(z.string(), z.string()),
  /** Abbreviations that are also words or units ("us", "mg", "pt"): in report prose they count only in capitals. */
  proseAbbreviations: z.array(phrase),
  /** Element symbols that count in prose when capitalised ("Na", "Ca"). */
  elementSymbols: z.array(phrase),
});

/** The lexicon file, checked: the schema, unique ids, and every member, generic concept and region parent known. */
export function readLexicon(data: unknown): z.infer<typeof lexiconSchema> & { concepts: TestConcept[] } {
  const parsed = lexiconSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`data/oracle/test-lexicon.json: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const { generic, concepts, regions, specimens, specialises } = parsed.data;
  const ids = new Set<string>();
  for (const c of concepts) {
    if (ids.has(c.id)) throw new Error(`data/oracle/test-lexicon.json: concept '${c.id}' appears twice`);
    ids.add(c.id);
  }
  const regionIds = new Set(regions.map((r) => r.id));
  for (const c of concepts)
    for (const m of c.members ?? [])
      if (!ids.has(m)) throw new Error(`data/oracle/test-lexicon.json: concept '${c.id}' has an unknown member '${m}'`);
  for (const g of generic) if (!ids.has(g)) throw new Error(`data/oracle/test-lexicon.json: unknown generic concept '${g}'`);
  for (const r of regions)
    for (const w of r.within ?? [])
      if (!regionIds.has(w))
        throw new Error(`data/oracle/test-lexicon.json: region '${r.id}' lies within an unknown region '${w}'`);
  for (const id of [
    ...specimens,
    ...parsed.data.organismMethods,
    ...Object.keys(specialises),
    ...Object.values(specialises).flat(),
  ])
    if (!ids.has(id))
      throw new Error(`data/oracle/test-lexicon.json: unknown concept '${id}' in specimens, organismMethods or specialises`);
  return parsed.data;
}

const LEXICON = readLexicon(lexicon);

/** Concepts that only say "some test of this kind"; a specific test named beside them decides. */
export const GENERIC_CONCEPTS: ReadonlySet<string> = new Set(LEXICON.generic);
export const TEST_CONCEPTS: TestConcept[] = LEXICON.concepts;
export const REGIONS: Region[] = LEXICON.regions;
export const SPECIMEN_CONCEPTS: readonly string[] = LEXICON.specimens;
export const SPECIALISED_STUDIES: Record<string, string[]> = LEXICON.specialises;
export const ORDER_FILLER_WORDS: readonly string[] = LEXICON.orderFillerWords;
export const GENERIC_TEST_WORDS: readonly string[] = LEXICON.genericTestWords;
export const ORGANISM_METHODS: readonly string[] = LEXICON.organismMethods;
export const OMITTABLE_TEST_WORDS: readonly string[] = LEXICON.omittableTestWords;
export const EXAM_WORD_FORMS: Readonly<Record<string, string>> = LEXICON.examWordForms;
export const BLOOD_SPECIMEN_WORDS: readonly string[] = LEXICON.bloodSpecimenWords;
export const OTHER_SPECIMEN_WORDS: readonly string[] = LEXICON.otherSpecimenWords;
export const PROSE_ABBREVIATIONS: readonly string[] = LEXICON.proseAbbreviations;
export const ELEMENT_SYMBOL_WORDS: readonly string[] = LEXICON.elementSymbols;
