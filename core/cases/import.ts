import { readAgentClinic, type AgentClinicOptions } from './agentclinic';
import { readMedrbench } from './medrbench';
import { type Case, caseSchema } from './model';
import { RecordError, type RecordResult } from './record-error';
import { redactGold } from './redact-gold';

export const CASE_FORMATS = ['medrbench', 'agentclinic'] as const;
export type CaseFormat = (typeof CASE_FORMATS)[number];

export interface ImportOptions extends AgentClinicOptions {
  /** Stop at the first bad record instead of skipping it. */
  strict?: boolean;
}

export interface ImportReport {
  cases: Case[];
  skipped: Array<{ id: string; reason: string }>;
  /** Menu items whose result named the gold diagnosis and was redacted (redact-gold.ts). */
  redactedItems: number;
}

/**
 * Imports a case file's text. Each bad record is skipped with a reason naming the record and field
 * (or, with `strict`, stops the import); one bad record never hides the others. Every imported case
 * is checked against the canonical schema, and a repeated id is skipped. Results that name the gold
 * diagnosis are redacted (redact-gold.ts), recorded in the case's metadata.
 */
export function importCases(text: string, format: CaseFormat, file: string, options: ImportOptions = {}): ImportReport {
  const records: Iterable<RecordResult> = format === 'medrbench' ? readMedrbench(text, file) : readAgentClinic(text, options);
  const cases: Case[] = [];
  const skipped: ImportReport['skipped'] = [];
  const seen = new Set<string>();
  let redactedItems = 0;
  const skip = (error: RecordError) => {
    if (options.strict) throw error;
    skipped.push({ id: error.recordId, reason: `${error.field} ${error.problem}` });
  };
  for (const result of records) {
    if (result.error) {
      skip(result.error);
      continue;
    }
    for (const c of result.cases) {
      if (seen.has(c.id)) {
        skip(new RecordError(c.id, 'id', 'is a duplicate of an earlier record'));
        continue;
      }
      const valid = caseSchema.safeParse(c);
      if (!valid.success) {
        const issue = valid.error.issues[0];
        skip(new RecordError(c.id, issue?.path.join('.') || '(case)', `does not fit the case model: ${issue?.message}`));
        continue;
      }
      seen.add(c.id);
      const { testCase, redactions } = redactGold(valid.data);
      redactedItems += new Set(redactions.map((r) => r.item)).size;
      cases.push(testCase);
    }
  }
  return { cases, skipped, redactedItems };
}
