import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { KG_SOURCE_FILES, type KgSourceTexts } from '../core/kg/build';
import { UserError } from '../core/errors';
import { PROJECT_ROOT } from '../config/project-root';

/** The KG sources bundled with MedAction (copies of the shared files, see data/NOTICE.md). */
export function bundledKgSourceDir(): string {
  return join(PROJECT_ROOT, 'data', 'kg');
}

/** Reads every KG source file of a folder; a missing or unreadable file is a UserError naming it. */
export async function readKgSources(dir: string): Promise<KgSourceTexts> {
  // Read in parallel, but report the first bad file in the listed order, whichever failed first.
  const settled = await Promise.allSettled(
    KG_SOURCE_FILES.map(async (name) => {
      const path = join(dir, name);
      let bytes: Buffer;
      try {
        bytes = await readFile(path);
      } catch (error) {
        throw new UserError(
          `KG source ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); --source must be a folder holding ${KG_SOURCE_FILES.join(', ')}`,
        );
      }
      try {
        return [name, name.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8')] as const;
      } catch (error) {
        throw new UserError(`KG source ${path} is not valid gzip data (${(error as Error).message})`);
      }
    }),
  );
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  const entries = settled.map((r) => (r as PromiseFulfilledResult<readonly [string, string]>).value);
  return Object.fromEntries(entries) as unknown as KgSourceTexts;
}
