import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors';
import { runStreaming, type Progress } from './process';

/**
 * A Python virtual environment under the tools folder with pinned packages from PyPI: created on first
 * use, then reused. A stamp file naming the packages marks a finished install, so an interrupted one is
 * started again from scratch, and a change of pins installs afresh.
 */
export interface VenvSpec {
  dir: string;
  /** The Python that creates it (MEDACTION_PYTHON). */
  python: string;
  /** Installed in order, each one pip run: a requirement spec, its pip options, and what to say meanwhile. */
  steps: { what: string; requirement: string; pipOptions?: string[]; note?: string }[];
  env?: Record<string, string>;
}

export const venvPython = (dir: string): string => path.join(dir, 'bin', 'python');
const stampFile = (dir: string): string => path.join(dir, '.installed');
const stampOf = (spec: VenvSpec): string => spec.steps.map((s) => s.requirement).join(' ');

export function venvInstalled(spec: VenvSpec): boolean {
  try {
    return fs.readFileSync(stampFile(spec.dir), 'utf8').trim() === stampOf(spec) && fs.existsSync(venvPython(spec.dir));
  } catch {
    return false;
  }
}

export async function ensureVenv(spec: VenvSpec, progress: Progress): Promise<'present' | 'installed'> {
  if (venvInstalled(spec)) return 'present';
  fs.rmSync(spec.dir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(spec.dir), { recursive: true });
  const run = async (what: string, command: string, args: string[]) => {
    const result = await runStreaming(command, args, {
      env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1', ...spec.env },
      progress: (line) => progress(`pip: ${line}`),
    }).catch((error: NodeJS.ErrnoException) => {
      throw new UserError(
        `${what} failed: cannot run ${command} (${error.code ?? error.message}); set MEDACTION_PYTHON to a Python 3.9+`,
      );
    });
    if (result.code !== 0) throw new UserError(`${what} failed (exit ${result.code}):\n${result.tail.join('\n')}`);
  };
  progress(`creating a Python virtual environment in ${spec.dir}`);
  await run('Creating the virtual environment', spec.python, ['-m', 'venv', spec.dir]);
  for (const step of spec.steps) {
    progress(step.note ?? `installing ${step.requirement}`);
    await run(step.what, venvPython(spec.dir), [
      '-m',
      'pip',
      'install',
      '--progress-bar',
      'off',
      ...(step.pipOptions ?? []),
      step.requirement,
    ]);
  }
  fs.writeFileSync(stampFile(spec.dir), `${stampOf(spec)}\n`);
  return 'installed';
}
