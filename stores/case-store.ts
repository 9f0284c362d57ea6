import fs from 'node:fs';
import { parseCaseFile } from '../core/cases/case-file';
import type { Case } from '../core/cases/model';
import { RecordError } from '../core/cases/record-error';
import { UserError } from '../core/errors';
import { readTextFile } from './files';

/** Reads a canonical case file; problems become one clear UserError naming the file, line and field. */
export function readCaseFile(file: string): Case[] {
  const text = readTextFile(file, 'case file');
  try {
    return parseCaseFile(text, file);
  } catch (error) {
    if (error instanceof RecordError) throw new UserError(`bad case file: ${error.message}`);
    throw error;
  }
}

export function findCase(cases: Case[], id: string, file: string): Case {
  const found = cases.find((c) => c.id === id);
  if (!found) {
    const sample = cases
      .slice(0, 5)
      .map((c) => c.id)
      .join(', ');
    throw new UserError(`no case "${id}" in ${file} (${cases.length} cases${sample ? `, e.g. ${sample}` : ''})`);
  }
  return found;
}

/**
 * The source of each case in a canonical case file, read without validating the cases (an export needs
 * only this); null when the file is gone or unreadable.
 */
export function readCaseSources(file: string): Map<string, string> | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const sources = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const record = JSON.parse(line) as { id?: unknown; source?: unknown };
      if (typeof record.id === 'string') sources.set(record.id, typeof record.source === 'string' ? record.source : 'unknown');
    } catch {
      return null;
    }
  }
  return sources;
}
