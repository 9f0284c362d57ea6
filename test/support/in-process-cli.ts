import { main } from '../../client';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the `medaction` program in this process, as `bin/medaction.js` would in its own: the given
 * arguments, an environment of PATH, HOME and `env` only, stdout and stderr captured. Commander's
 * parsing, the commands' contracts, their messages and exit codes are the same; only the process
 * boundary is left out (test/integration/cli-process.test.ts keeps a few spawned runs).
 */
export async function medaction(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const savedEnv = process.env;
  const writeOut = process.stdout.write;
  const writeErr = process.stderr.write;
  const out: string[] = [];
  const err: string[] = [];
  process.env = { PATH: savedEnv.PATH ?? '', HOME: savedEnv.HOME ?? '', ...env };
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    err.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await main(['node', 'medaction', ...args]);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
    process.env = savedEnv;
  }
}
