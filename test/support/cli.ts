import { spawn } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../config/project-root';
import { testProcessEnv } from './test-env';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `medaction <args>` as a user would (bin/medaction.js), against the test services. */
export function runCli(args: string[], extraEnv: Record<string, string> = {}, timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'medaction.js'), ...args], {
      env: testProcessEnv(extraEnv),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
