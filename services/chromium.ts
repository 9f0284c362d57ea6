import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { runStreaming, type Progress } from './process';

/** Names Debian and others give a Chromium binary, looked up on PATH in this order. */
const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** The Chromium binary: MEDACTION_CHROMIUM, else the first candidate on PATH (undefined: none). */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.MEDACTION_CHROMIUM) return env.MEDACTION_CHROMIUM;
  for (const dir of (env.PATH ?? '').split(':')) {
    for (const name of CANDIDATES) {
      const file = `${dir}/${name}`;
      if (dir && fs.existsSync(file)) return file;
    }
  }
  return undefined;
}

/**
 * A headless Chromium for the report's screenshot test: found on PATH, else installed from Debian's
 * packages (`apt-get update`, then `apt-get install chromium`; root only). Throws with what to do when
 * neither works.
 */
export async function ensureChromium(progress?: Progress): Promise<string> {
  const found = findChromium();
  if (found) return found;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  if (!root || !apt) {
    throw new Error("no Chromium found: install Debian's chromium package (apt-get install chromium) or set MEDACTION_CHROMIUM");
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
    progress?.(`apt-get ${args.join(' ')}`);
    const result = await runStreaming('apt-get', args, { env });
    if (result.code !== 0) throw new Error(`apt-get ${args.join(' ')} failed:\n${result.tail.join('\n')}`);
  }
  const installed = findChromium();
  if (!installed) throw new Error('apt-get installed chromium, but no chromium binary is on PATH');
  return installed;
}

/** Chromium's flags for a headless run as root in a container, without a GPU or a user profile left behind. */
export function headlessArgs(profileDir: string): string[] {
  return ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--no-first-run', `--user-data-dir=${profileDir}`];
}
