import { buildMenu, type ResultEntry, sentences } from './menu-builder';
import { type Case, newCase, type O1Section } from './model';
import { flattenText, type OutlineNode, parseOutlines } from './outline';
import { isPlainObject, RecordError, type RecordResult, requireObject, typeName } from './record-error';

/**
 * MedR-Bench (diagnosis split) JSON: an object keyed by PMC id. In `generate_case.case_summary`, the
 * sections before the "Ancillary Tests" section are the initial observation; the results under it
 * (and any test sections after it) are the test menu; sections about treatment, follow-up or outcome
 * are kept out of both, since they give the answer away. A summary that describes several patients
 * ("#### Case 1", "#### Case 2") becomes one case per patient, ids `<PMC id>-case<N>`.
 */

const ANCILLARY =
  /\b(ancillary|investigations?|diagnostic (tests?|work-?up|studies|findings|evaluation)|work-?up|tests? (results|performed)|laboratory (and|&) imaging|results of (tests|investigations))\b/i;
const AFTER_TESTS =
  /\b(treatment|management|therap|follow|outcome|prognosis|course|discussion|diagnos|differential|conclusion|surgery performed|intervention|disposition|plan|recommendation|progress)/i;
/** Sentences about what was done after the diagnosis; left out of results. */
const TREATMENT_SENTENCE =
  /^(post-?(surgical|operative)|treated|treatment|the patient (was|underwent) (treated|discharged)|followed up|follow-up|managed with|started on|discharged)/i;

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function strings(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  const s = str(value);
  return s ? [s] : [];
}

function entriesOf(node: OutlineNode, path: string[]): ResultEntry[] {
  const entries: ResultEntry[] = [];
  const inline = sentences(node.text)
    .filter((s) => !TREATMENT_SENTENCE.test(s))
    .join(' ');
  if (inline) entries.push({ path, text: inline });
  for (const child of node.children) {
    if (child.title && AFTER_TESTS.test(child.title) && !ANCILLARY.test(child.title)) continue;
    const childPath = child.title ? [...path, child.title] : path;
    const untitledBelow = child.children.every((c) => c.title === undefined);
    if (child.children.length === 0) {
      if (child.text.trim()) entries.push({ path: childPath, text: child.text.trim() });
    } else if ((child.title === undefined || untitledBelow) && child.text.trim()) {
      // "Immunohistochemical staining revealed:" with its findings as sub-bullets: one result.
      entries.push({ path: childPath, text: flattenText(child) });
    } else {
      entries.push(...entriesOf(child, childPath));
    }
  }
  return entries;
}

function caseFromSections(id: string, sections: OutlineNode[], gold: Case['gold'], metadata: Record<string, unknown>): Case {
  const ancillary = sections.findIndex((s) => s.title !== undefined && ANCILLARY.test(s.title));
  if (ancillary < 0)
    throw new RecordError(
      id,
      'generate_case.case_summary',
      'has no "Ancillary Tests" section: cannot tell the initial observation from the results',
    );
  const o1: O1Section[] = sections
    .slice(0, ancillary)
    .map((s) => ({ title: s.title as string, text: flattenText(s) }))
    .filter((s) => s.text !== '');
  if (o1.length === 0)
    throw new RecordError(id, 'generate_case.case_summary', 'has nothing before "Ancillary Tests" (no initial observation)');

  const testNode = sections[ancillary] as OutlineNode;
  const entries = entriesOf(testNode, []);
  const excluded: string[] = [];
  for (const later of sections.slice(ancillary + 1)) {
    if (later.title && AFTER_TESTS.test(later.title)) excluded.push(later.title);
    else entries.push(...entriesOf(later, later.title ? [later.title] : []));
  }
  const menu = buildMenu(entries);
  if (menu.length === 0)
    throw new RecordError(id, 'generate_case.case_summary', 'the "Ancillary Tests" section holds no results (empty menu)');
  return newCase({
    id,
    source: 'medrbench',
    o1,
    menu,
    gold,
    metadata: { ...metadata, ...(excluded.length > 0 ? { sections_left_out: excluded } : {}) },
  });
}

/** Converts one MedR-Bench record (one or several cases). Throws RecordError naming the bad field. */
export function importMedrbenchRecord(id: string, record: unknown): Case[] {
  if (!isPlainObject(record)) throw new RecordError(id, '(record)', 'is not an object');
  const r = record;
  const gc = requireObject(id, 'generate_case', r.generate_case);
  const summary = gc.case_summary;
  if (typeof summary !== 'string')
    throw new RecordError(
      id,
      'generate_case.case_summary',
      summary === undefined ? 'is missing' : `is a ${typeName(summary)}, expected text`,
    );
  const short = str(gc.diagnosis_results) ?? str(gc.final_diagnosis);
  if (!short) throw new RecordError(id, 'generate_case.diagnosis_results', 'is missing or empty (no gold diagnosis)');
  const gold = { short, long: str(gc.final_diagnosis) ?? short };
  const metadata: Record<string, unknown> = {
    pmc_id: id,
    body_category: strings(r.body_category),
    disorder_category: strings(r.disorder_category),
    rare_disease: strings(r.checked_rare_disease),
    is_rare_disease: strings(r.checked_rare_disease).length > 0,
    ...(str(gc.differential_diagnosis) ? { differential_diagnosis: str(gc.differential_diagnosis) } : {}),
  };

  const outlines = parseOutlines(summary);
  if (outlines.length === 0) throw new RecordError(id, 'generate_case.case_summary', 'has no "Title: text" sections');
  if (outlines.length === 1) return [caseFromSections(id, outlines[0] as OutlineNode[], gold, metadata)];
  return outlines.map((sections, i) =>
    caseFromSections(`${id}-case${i + 1}`, sections, gold, { ...metadata, patient: i + 1, patients_in_report: outlines.length }),
  );
}

/** Parses a whole MedR-Bench file: a JSON object keyed by case id. */
export function* readMedrbench(text: string, file: string): Generator<RecordResult> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new RecordError(file, '(file)', `is not valid JSON (${(error as Error).message})`);
  }
  if (!isPlainObject(parsed)) {
    throw new RecordError(
      file,
      '(file)',
      `is a JSON ${typeName(parsed)}; expected an object keyed by case id (MedR-Bench format)`,
    );
  }
  for (const [id, record] of Object.entries(parsed)) {
    try {
      yield { id, cases: importMedrbenchRecord(id, record) };
    } catch (error) {
      if (error instanceof RecordError) yield { id, error };
      else throw error;
    }
  }
}
