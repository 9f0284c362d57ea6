import crypto from 'node:crypto';
import fs from 'node:fs';
import { parseCaseFile } from '../core/cases/case-file';
import type { Case } from '../core/cases/model';
import { RecordError } from '../core/cases/record-error';

/** The case file changed since the build started, or a case is not in it: retrying cannot help. */
export class CaseFileError extends Error {
  override name = 'CaseFileError';
}

export function sha256(content: string | Buffer): string {
  return crypto.createHash('sha256').update(content).digest('hex');
}

/**
 * Cases for activities, by reference (file, content hash, id) so that workflow histories carry ids, not
 * case text. A worker parses each case file once; the hash check makes sure every activity of a build
 * reads the cases the build started with.
 */
export class CaseCache {
  private readonly files = new Map<string, { hash: string; byId: Map<string, Case>; order: string[] }>();

  load(file: string, expectedHash: string): { byId: Map<string, Case>; order: string[] } {
    const cached = this.files.get(file);
    if (cached && cached.hash === expectedHash) return cached;
    let content: string;
    try {
      content = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new CaseFileError(`case file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`);
    }
    const hash = sha256(content);
    if (hash !== expectedHash) {
      throw new CaseFileError(
        `case file ${file} changed since the build started (content hash ${hash.slice(0, 12)}, expected ${expectedHash.slice(0, 12)})`,
      );
    }
    let cases: Case[];
    try {
      cases = parseCaseFile(content, file);
    } catch (error) {
      if (error instanceof RecordError) throw new CaseFileError(`bad case file: ${error.message}`);
      throw error;
    }
    const entry = { hash, byId: new Map(cases.map((c) => [c.id, c])), order: cases.map((c) => c.id) };
    this.files.set(file, entry);
    return entry;
  }

  get(file: string, expectedHash: string, id: string): Case {
    const found = this.load(file, expectedHash).byId.get(id);
    if (!found) throw new CaseFileError(`case ${id} is not in ${file}`);
    return found;
  }
}
