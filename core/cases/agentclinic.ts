import { createHash } from 'node:crypto';
import { buildMenu, type ResultEntry } from './menu-builder';
import { type Case, type MenuItem, newCase, type O1Section } from './model';
import { isPlainObject, RecordError, type RecordResult, requireObject, typeName } from './record-error';

/**
 * AgentClinic OSCE JSONL: one `{"OSCE_Examination": {...}}` a line.
 * - o1: the objective, everything the patient actor tells (demographics, history, symptoms, past
 *   medical and social history, review of systems) and the vital signs, as at a first encounter.
 * - menu: the test results, and the physical examination findings other than vital signs as
 *   orderable `exam` items. The doctor asks for an examination as it asks for a test, as in
 *   AgentClinic's own protocol; two of the sample cases have no test results at all, and their
 *   examination is what there is to find. (`examInO1: true` moves the findings into o1 instead.)
 * - nested objects are flattened to items named by their key path ("Complete Blood Count › WBC");
 *   an object whose keys are only "Findings", "Comments", … is one item.
 * - gold: `Correct_Diagnosis`. Ids: the record's own `id` if it has one, else `<prefix>-<line>`.
 */

export interface AgentClinicOptions {
  examInO1?: boolean;
  /** Id prefix for records without an id (default "agentclinic"). */
  idPrefix?: string;
}

const VITALS = /vital/i;
const GENERIC_LEAF =
  /^(findings?|results?|comments?|impression|interpretation|description|details|notes?|report|value|values|status|observations?)$/i;

function label(key: string): string {
  return key.replace(/_/g, ' ').replace(/\s+/g, ' ').trim();
}

function leafText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const parts = value.map(leafText).filter((v): v is string => v !== undefined);
    return parts.length > 0 ? parts.join('; ') : undefined;
  }
  return undefined;
}

/** Flattens nested results into entries named by key path. */
function flatten(value: unknown, path: string[], out: ResultEntry[]): void {
  if (!isPlainObject(value)) {
    const text = leafText(value);
    if (text) out.push({ path, text });
    return;
  }
  const keys = Object.keys(value);
  if (keys.length > 0 && keys.every((k) => GENERIC_LEAF.test(label(k)) && !isPlainObject(value[k]))) {
    const parts = keys
      .map((k) => ({ k, t: leafText(value[k]) }))
      .filter((p): p is { k: string; t: string } => p.t !== undefined)
      .map((p) => (keys.length === 1 ? p.t : `${label(p.k)}: ${p.t}`));
    if (parts.length > 0) out.push({ path, text: parts.join(' ') });
    return;
  }
  for (const k of keys) flatten(value[k], [...path, label(k)], out);
}

function describe(value: unknown): string | undefined {
  if (!isPlainObject(value)) return leafText(value);
  const parts = Object.entries(value)
    .map(([k, v]) => {
      const text = describe(v);
      return text ? `${label(k)}: ${text}` : undefined;
    })
    .filter((p): p is string => p !== undefined);
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** An optional section: absent, an object, or plain text; anything else (a number, an empty list) is an error. */
function optionalSection(id: string, key: string, value: unknown): unknown {
  if (value !== undefined && !isPlainObject(value) && leafText(value) === undefined) {
    throw new RecordError(id, `OSCE_Examination.${key}`, `is a ${typeName(value)}, expected an object`);
  }
  return value;
}

export function importAgentClinicRecord(id: string, record: unknown, options: AgentClinicOptions = {}): Case {
  if (!isPlainObject(record)) throw new RecordError(id, '(line)', `is a JSON ${typeName(record)}, expected an object`);
  const osce = requireObject(id, 'OSCE_Examination', record.OSCE_Examination);
  const actor = requireObject(id, 'OSCE_Examination.Patient_Actor', osce.Patient_Actor);
  const gold = leafText(osce.Correct_Diagnosis);
  if (!gold) throw new RecordError(id, 'OSCE_Examination.Correct_Diagnosis', 'is missing or empty (no gold diagnosis)');
  const exam = optionalSection(id, 'Physical_Examination_Findings', osce.Physical_Examination_Findings);
  const tests = optionalSection(id, 'Test_Results', osce.Test_Results);

  const o1: O1Section[] = [];
  const objective = leafText(osce.Objective_for_Doctor);
  if (objective) o1.push({ title: 'Objective', text: objective });
  for (const [key, value] of Object.entries(actor)) {
    if (key === 'Symptoms' && isPlainObject(value)) {
      const primary = leafText(value.Primary_Symptom);
      const secondary = leafText(value.Secondary_Symptoms);
      const text = [primary, secondary ? `also ${secondary}` : undefined].filter(Boolean).join('; ') || describe(value);
      if (text) o1.push({ title: 'Symptoms', text });
      continue;
    }
    const text = describe(value);
    if (text) o1.push({ title: label(key), text });
  }

  const examEntries: ResultEntry[] = [];
  if (isPlainObject(exam)) {
    for (const [key, value] of Object.entries(exam)) {
      if (VITALS.test(key)) {
        const text = describe(value);
        if (text) o1.push({ title: 'Vital Signs', text });
      } else flatten(value, [label(key)], examEntries);
    }
  } else if (exam !== undefined) {
    examEntries.push({ path: ['Physical Examination'], text: leafText(exam) as string });
  }
  if (options.examInO1) {
    for (const e of examEntries) o1.push({ title: e.path.join(' › '), text: e.text });
  }
  if (o1.length === 0) throw new RecordError(id, 'OSCE_Examination.Patient_Actor', 'holds no text (no initial observation)');

  const testEntries: ResultEntry[] = [];
  if (tests !== undefined) flatten(tests, [], testEntries);
  const examItems: MenuItem[] = options.examInO1
    ? []
    : buildMenu(examEntries).map((item) => ({ ...item, category: 'exam' as const }));
  const testItems = buildMenu(testEntries);
  const menu = [...examItems, ...testItems].map((item, i) => ({ ...item, id: `m${i + 1}` }));
  if (menu.length === 0)
    throw new RecordError(id, 'OSCE_Examination.Test_Results', 'is empty and there is no examination to order (empty menu)');

  return newCase({
    id,
    source: 'agentclinic',
    o1,
    menu,
    gold: { short: gold, long: gold },
    metadata: { objective: objective ?? null, record_sha1: createHash('sha1').update(JSON.stringify(record)).digest('hex') },
  });
}

/** Parses an AgentClinic JSONL file, one record a line; blank lines are ignored. */
export function* readAgentClinic(text: string, options: AgentClinicOptions = {}): Generator<RecordResult> {
  const prefix = options.idPrefix ?? 'agentclinic';
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (!line) continue;
    const fallbackId = `${prefix}-${i + 1}`;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      yield {
        id: fallbackId,
        error: new RecordError(fallbackId, `line ${i + 1}`, `is not valid JSON (${(error as Error).message})`),
      };
      continue;
    }
    const ownId = isPlainObject(record) && typeof record.id === 'string' && record.id.trim() ? record.id.trim() : fallbackId;
    try {
      yield { id: ownId, cases: [importAgentClinicRecord(ownId, record, options)] };
    } catch (error) {
      if (error instanceof RecordError) yield { id: ownId, error };
      else throw error;
    }
  }
}
