import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors';

/** Writes a file so that readers see the old content or the new, never half: temp file, fsync, rename. */
export function writeFileAtomic(file: string, content: string): void {
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeFileSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** A text file's content, or a UserError naming the file and why it cannot be read. */
export function readTextFile(file: string, what = 'file'): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read ${what} ${file} (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
}
