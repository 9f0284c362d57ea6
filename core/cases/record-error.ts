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
