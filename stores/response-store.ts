import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import stableStringify from 'fast-json-stable-stringify';
import { writeFileAtomic } from './files';

/**
 * The LLM response store: every completion is kept under the SHA-256 of its request (model, messages,
 * parameters, seed, branch path, candidate). A request seen before is answered from the store and never
 * sent again, so a resumed or repeated build reproduces the same turns and never pays twice for a call
 * that finished. One file per response, written atomically after the call returns.
 */
export class ResponseStore<T> {
  constructor(readonly dir: string) {}

  static key(request: unknown): string {
    return crypto.createHash('sha256').update(stableStringify(request)).digest('hex');
  }

  file(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  get(key: string): T | undefined {
    const file = this.file(key);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      // A torn file cannot happen (atomic writes); a hand-edited one is treated as absent.
      return undefined;
    }
  }

  put(key: string, value: T): void {
    // No fsync (in the benchmark, fsyncs were a tenth of the worker's CPU): a killed worker loses nothing, the kernel
    // holds the file; a machine crash may lose the last replies, which are then asked again.
    writeFileAtomic(this.file(key), JSON.stringify(value), { fsync: false });
  }
}
