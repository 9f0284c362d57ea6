import { type Case, caseSchema } from './model';
import { RecordError } from './record-error';

/**
 * The canonical case file: JSONL, one case (see model.ts) a line. Parsing is strict: a line that is
 * not JSON or not a valid case is an error naming its line and field, and a repeated id is refused.
 */
export function parseCaseFile(text: string, file: string): Case[] {
  const cases: Case[] = [];
  const seen = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (!line) continue;
    const where = `${file} line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new RecordError(where, '(line)', `is not valid JSON (${(error as Error).message})`);
    }
    const parsed = caseSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const id = typeof (value as { id?: unknown })?.id === 'string' ? ` (case ${(value as { id: string }).id})` : '';
      throw new RecordError(`${where}${id}`, issue?.path.join('.') || '(case)', issue?.message ?? 'is not a valid case');
    }
    const earlier = seen.get(parsed.data.id);
    if (earlier !== undefined) throw new RecordError(where, 'id', `"${parsed.data.id}" repeats the case on line ${earlier}`);
    seen.set(parsed.data.id, i + 1);
    cases.push(parsed.data);
  }
  return cases;
}

export function serializeCases(cases: Case[]): string {
  return cases.map((c) => JSON.stringify(c)).join('\n') + (cases.length > 0 ? '\n' : '');
}
