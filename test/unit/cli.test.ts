import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../config/project-root';

const BIN = path.join(PROJECT_ROOT, 'bin', 'medaction.js');

function medaction(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('medaction CLI', () => {
  it('has --help for every command', () => {
    for (const args of [
      ['--help'],
      ['services', '--help'],
      ['services', 'status', '--help'],
      ['worker', '--help'],
      ['smoke', '--help'],
    ]) {
      const { code, stdout } = medaction(args);
      expect(code).toBe(0);
      expect(stdout).toContain('Usage: medaction');
    }
  });

  it('stops on bad configuration with one message listing every bad field, and no stack trace', () => {
    const { code, stdout, stderr } = medaction(['services', 'status', '--json'], {
      MEDACTION_TEMPORAL_ADDRESS: '127.0.0.1:notaport',
      MEDACTION_NEO4J_URI: 'mysql://db',
      MEDACTION_NEO4J_PASSWORD: 'hunter2-secret',
    });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^medaction: Invalid configuration \(2 problems\):/);
    expect(stderr).toContain('MEDACTION_TEMPORAL_ADDRESS = "127.0.0.1:notaport"');
    expect(stderr).toContain('MEDACTION_NEO4J_URI = "mysql://db"');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).not.toContain('hunter2-secret');
  });

  it('rejects unknown worker queue kinds', () => {
    const { code, stderr } = medaction(['worker', '--queues', 'workflows,gpu']);
    expect(code).not.toBe(0);
    expect(stderr).toContain('unknown kind(s) gpu');
  });
});
