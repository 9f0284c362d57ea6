import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isAlive, ownedPid, stopProcess } from '../../services/process';

describe('pid files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pid-'));
  const marker = path.join(dir, 'marker-arg');

  it('recognise our own live process by its command line, and nothing else', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', marker], { stdio: 'ignore' });
    const pidFile = path.join(dir, 'server.pid');
    fs.writeFileSync(pidFile, `${child.pid}\n`);

    expect(ownedPid(pidFile, marker)).toBe(child.pid);
    expect(ownedPid(pidFile, '/some/other/state/folder')).toBeUndefined();

    expect(await stopProcess(child.pid as number, 5000)).toBe('stopped');
    expect(isAlive(child.pid as number)).toBe(false);
    expect(ownedPid(pidFile, marker)).toBeUndefined();
  });

  it('ignore missing and garbage pid files', () => {
    expect(ownedPid(path.join(dir, 'missing.pid'), marker)).toBeUndefined();
    fs.writeFileSync(path.join(dir, 'garbage.pid'), 'not a pid');
    expect(ownedPid(path.join(dir, 'garbage.pid'), marker)).toBeUndefined();
  });

  it('kill a process that ignores SIGTERM after the grace period', async () => {
    const child = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"], {
      stdio: 'ignore',
    });
    await new Promise((r) => setTimeout(r, 300)); // let it install the handler
    expect(await stopProcess(child.pid as number, 500)).toBe('killed');
  });
});
