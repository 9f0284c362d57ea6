import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../config/project-root';

const BIN = path.join(PROJECT_ROOT, 'bin', 'medaction.js');

/** The real `medaction` binary in its own process: what the unit tests run in-process, end to end. */
function spawned(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the medaction binary', () => {
  it('prints help and exits 0, and exits 1 on an unknown command', () => {
    const help = spawned(['services', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: medaction services');
    expect(spawned(['nope']).code).toBe(1);
  });

  it('exits 2 on bad configuration with one message and no secret', () => {
    const { code, stdout, stderr } = spawned(['services', 'status', '--json'], {
      MEDACTION_NEO4J_URI: 'mysql://db',
      MEDACTION_NEO4J_PASSWORD: 'hunter2-secret',
    });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^medaction: Invalid configuration/);
    expect(stderr).not.toContain('hunter2-secret');
  });

  it('answers an order with the case file given, as JSON on stdout', () => {
    const cases = path.join(PROJECT_ROOT, 'data', 'cases', 'bundled.jsonl');
    const { code, stdout } = spawned(['env', 'ask', '--cases', cases, '--case', 'PMC11625232', 'CRP', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ case: 'PMC11625232', status: 'result' });
  });
});
