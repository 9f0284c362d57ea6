import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../config/project-root';
import { AtomicLineWriter, writeFileAtomic } from '../../stores/files';
import { ResponseStore } from '../../stores/response-store';

jest.setTimeout(60_000);

describe('the dataset files are replaced atomically', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atomic-'));
  const file = path.join(dir, 'trajectories.jsonl');

  it('shows the old file until commit, the whole new file after', () => {
    fs.writeFileSync(file, 'old\n');
    const writer = new AtomicLineWriter(file);
    for (let i = 0; i < 100_000; i++) writer.write(`{"line": ${i}}`);
    expect(fs.readFileSync(file, 'utf8')).toBe('old\n');
    writer.commit();
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    expect(lines).toHaveLength(100_001);
    expect(lines[99_999]).toBe('{"line": 99999}');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps the old file when the writing process is killed (kill -9) half way', async () => {
    fs.writeFileSync(file, 'old\n');
    // A process that writes a dataset far too big to finish, killed while it writes.
    const code = `
      const { AtomicLineWriter } = require(${JSON.stringify(path.join(PROJECT_ROOT, 'stores', 'files'))});
      const w = new AtomicLineWriter(${JSON.stringify(file)});
      process.stdout.write('started\\n');
      for (let i = 0; ; i++) w.write('{"messages": "' + 'x'.repeat(200) + '", "i": ' + i + '}');`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', code], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    expect(fs.readFileSync(file, 'utf8')).toBe('old\n');
    // The half-written temporary file is left aside (dot-named), never in the dataset's place.
    const partial = fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));
    expect(partial).toHaveLength(1);
    expect(fs.statSync(path.join(dir, partial[0] as string)).size).toBeGreaterThan(0);
  });
});

describe('writeFileAtomic', () => {
  it('makes the folder, leaves no temp file, and makes the folder again if it was removed meanwhile', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'atomic-write-'));
    const file = path.join(root, 'a', 'b', 'x.json');
    writeFileAtomic(file, '{"n":1}');
    writeFileAtomic(file, '{"n":2}', { fsync: false });
    expect(fs.readFileSync(file, 'utf8')).toBe('{"n":2}');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['x.json']);
    fs.rmSync(path.join(root, 'a'), { recursive: true });
    writeFileAtomic(file, '{"n":3}');
    expect(fs.readFileSync(file, 'utf8')).toBe('{"n":3}');
  });

  it('gives a response store miss, then the stored reply, then a miss again for a torn-out file', () => {
    const store = new ResponseStore<{ text: string }>(fs.mkdtempSync(path.join(os.tmpdir(), 'responses-')));
    const key = ResponseStore.key({ model: 'm', messages: ['hi'] });
    expect(store.get(key)).toBeUndefined();
    store.put(key, { text: 'hello' });
    expect(store.get(key)).toEqual({ text: 'hello' });
    fs.rmSync(store.file(key));
    expect(store.get(key)).toBeUndefined();
  });
});
