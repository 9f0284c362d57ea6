import type { Case } from './model';

/** A record that cannot be imported: names the record and the field at fault. */
export class RecordError extends Error {
  constructor(
    readonly recordId: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`record ${recordId}: ${field} ${problem}`);
    this.name = 'RecordError';
  }
}

/** What an importer yields per input record: its cases, or why it was skipped. */
export type RecordResult =
  { id: string; cases: Case[]; error?: undefined } | { id: string; error: RecordError; cases?: undefined };

/** A JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON type of a value, for messages: "null", "array", "string", … */
export function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** The field's object, or a RecordError naming the field: missing, or of the wrong type. */
export function requireObject(id: string, field: string, value: unknown): Record<string, unknown> {
  if (isPlainObject(value)) return value;
  throw new RecordError(id, field, value === undefined ? 'is missing' : `is a ${typeName(value)}, expected an object`);
}
