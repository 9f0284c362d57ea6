import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors';

/**
 * Writes a file so that readers see the old content or the new, never half: temp file, fsync, rename.
 * `fsync: false` skips the fsync: the file still survives a crash of the process (the kernel has it),
 * but not necessarily of the machine — for files that are a cache, whose loss costs time, not data.
 */
export function writeFileAtomic(file: string, content: string, options: { fsync?: boolean } = {}): void {
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeFileSync(fd, content);
    if (options.fsync !== false) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/**
 * A file written line by line (a dataset may not fit one string) and replaced atomically on commit():
 * temp file, fsync, rename. Readers see the old file or the complete new one; abort() leaves the old.
 */
export class AtomicLineWriter {
  private readonly tmp: string;
  private readonly fd: number;
  private buffer = '';
  lines = 0;

  constructor(readonly file: string) {
    const dir = path.dirname(path.resolve(file));
    fs.mkdirSync(dir, { recursive: true });
    this.tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
    this.fd = fs.openSync(this.tmp, 'w');
  }

  write(line: string): void {
    this.buffer += `${line}\n`;
    this.lines++;
    if (this.buffer.length > 1 << 20) this.flush();
  }

  commit(): void {
    this.flush();
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    fs.renameSync(this.tmp, this.file);
  }

  abort(): void {
    fs.closeSync(this.fd);
    fs.rmSync(this.tmp, { force: true });
  }

  private flush(): void {
    if (this.buffer) fs.writeSync(this.fd, this.buffer);
    this.buffer = '';
  }
}

/** A text file's content, or a UserError naming the file and why it cannot be read. */
export function readTextFile(file: string, what = 'file'): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read ${what} ${file} (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
}
