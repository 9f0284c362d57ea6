import { z } from 'zod';

/**
 * The canonical case model: what every importer produces and the rest of the pipeline reads, one
 * case per line of a JSONL file (see the README, "Case files"). A case is an *environment*:
 * - o1: the initial observation, what a clinician sees first;
 * - menu: every result the report contains, each orderable by name;
 * - gold: the final diagnosis, short (for scoring) and long (as written).
 */

export const CASE_SCHEMA_VERSION = 1;

export const MENU_CATEGORIES = ['exam', 'lab', 'imaging', 'pathology', 'microbiology', 'procedure', 'other'] as const;
export type MenuCategory = (typeof MENU_CATEGORIES)[number];

const text = z.string().trim().min(1);

export const menuItemSchema = z.object({
  /** Stable within the case: "m1", "m2", … in report order. */
  id: text,
  category: z.enum(MENU_CATEGORIES),
  /** What the test is called, e.g. "Complete Blood Count › WBC" or "Chest CT". */
  name: text,
  /** Other names the test goes by in the report (a heading it was found under, a parenthesised abbreviation). */
  aliases: z.array(text),
  /** The result exactly as the report gives it. */
  result: text,
});
export type MenuItem = z.infer<typeof menuItemSchema>;

export const o1SectionSchema = z.object({ title: text, text: text });
export type O1Section = z.infer<typeof o1SectionSchema>;

export const caseSchema = z.object({
  schema_version: z.literal(CASE_SCHEMA_VERSION),
  id: text,
  /** Where the case came from: "medrbench", "agentclinic", or a user's own label. */
  source: text,
  o1: z.object({
    sections: z.array(o1SectionSchema).min(1),
    /** The sections rendered as the first user message a doctor model sees. */
    text: text,
  }),
  menu: z.array(menuItemSchema).min(1, { error: 'is empty: a case needs at least one test result to order' }),
  gold: z.object({ short: text, long: text }),
  /** Source-specific extras kept for analysis: categories, rare-disease flag, differential, … */
  metadata: z.record(z.string(), z.unknown()),
});
export type Case = z.infer<typeof caseSchema>;

/** A case in the current schema version, with o1 rendered from its sections. */
export function newCase(fields: Omit<Case, 'schema_version' | 'o1'> & { o1: O1Section[] }): Case {
  const { id, source, o1, menu, gold, metadata } = fields;
  return { schema_version: CASE_SCHEMA_VERSION, id, source, o1: { sections: o1, text: renderO1(o1) }, menu, gold, metadata };
}

/** Renders o1 sections as text: "Title: text" paragraphs in order. */
export function renderO1(sections: O1Section[]): string {
  return sections.map((s) => `${s.title}: ${s.text}`).join('\n');
}
