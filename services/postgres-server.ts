import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '../core/errors';
import { lastLines, runStreaming, type Progress } from './process';

/**
 * A PostgreSQL cluster of its own for the Temporal cluster: Debian's `postgresql` package (installed
 * with apt-get when missing and running as root), a data folder under the state folder, its own port
 * and socket folder, never the system's default instance. PostgreSQL refuses to run as root, so as
 * root the server runs as the package's `postgres` user, which owns the data folder.
 */

export interface PostgresLayout {
  dataDir: string;
  socketDir: string;
  log: string;
  port: number;
  /** The superuser the Temporal schema tool and server connect as, with its password. */
  user: string;
  password: string;
}

/** The newest installed server's bin folder: /usr/lib/postgresql/<major>/bin (Debian's layout). */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const majors = fs
    .readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && fs.existsSync(path.join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] === undefined ? undefined : path.join(root, majors[0], 'bin');
}

const isRoot = () => process.getuid?.() === 0;

/** Runs a PostgreSQL program as the user that may run the server. */
function asServerUser(bin: string, args: string[]): [string, string[]] {
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

export async function installPostgres(progress: Progress): Promise<'present' | 'installed'> {
  if (postgresBinDir()) return 'present';
  if (!isRoot()) {
    throw new UserError(
      "PostgreSQL is not installed: install Debian's postgresql package (apt-get install postgresql) and retry",
    );
  }
  progress("installing PostgreSQL from Debian's packages (apt-get)");
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'postgresql']]) {
    const result = await runStreaming('apt-get', args, {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      progress: (line) => progress(`apt: ${line}`),
    });
    if (result.code !== 0)
      throw new UserError(`apt-get ${args.join(' ')} failed (exit ${result.code}):\n${result.tail.join('\n')}`);
  }
  if (!postgresBinDir())
    throw new UserError('apt-get installed postgresql, but no /usr/lib/postgresql/<version>/bin/pg_ctl is there');
  return 'installed';
}

function bin(name: string): string {
  const dir = postgresBinDir();
  if (!dir) throw new UserError('PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin)');
  return path.join(dir, name);
}

function run(binName: string, args: string[]): void {
  const [command, argv] = asServerUser(bin(binName), args);
  try {
    execFileSync(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { stderr?: Buffer; message: string };
    throw new UserError(`${binName} ${args.join(' ')} failed: ${e.stderr?.toString().trim() || e.message}`);
  }
}

/** Creates the data folder (initdb) the first time: password auth over TCP, the superuser Temporal uses. */
export function initPostgres(layout: PostgresLayout): 'present' | 'created' {
  if (fs.existsSync(path.join(layout.dataDir, 'PG_VERSION'))) return 'present';
  fs.mkdirSync(layout.dataDir, { recursive: true });
  fs.mkdirSync(layout.socketDir, { recursive: true });
  fs.mkdirSync(path.dirname(layout.log), { recursive: true });
  const pwfile = path.join(path.dirname(layout.dataDir), '.pwfile');
  fs.writeFileSync(pwfile, `${layout.password}\n`, { mode: 0o600 });
  if (isRoot()) {
    for (const p of [path.dirname(layout.dataDir), layout.dataDir, layout.socketDir, pwfile])
      execFileSync('chown', ['postgres:postgres', p]);
    if (!fs.existsSync(layout.log)) fs.writeFileSync(layout.log, '');
    execFileSync('chown', ['postgres:postgres', layout.log]);
  }
  try {
    run('initdb', [
      '-D',
      layout.dataDir,
      '-U',
      layout.user,
      `--pwfile=${pwfile}`,
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '-E',
      'UTF8',
    ]);
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
  return 'created';
}

/** The postmaster's pid, from its own pid file in the data folder, if it is running. */
export function postgresPid(layout: PostgresLayout): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(layout.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

export async function startPostgres(layout: PostgresLayout, timeoutMs = 60_000): Promise<void> {
  if (postgresPid(layout) !== undefined) return;
  const options = `-p ${layout.port} -k ${layout.socketDir} -c listen_addresses=127.0.0.1 -c max_connections=200`;
  const [command, argv] = asServerUser(bin('pg_ctl'), ['-D', layout.dataDir, '-l', layout.log, '-o', options, 'start']);
  try {
    execFileSync(command, argv, { stdio: 'ignore' });
  } catch {
    throw new UserError(`PostgreSQL did not start (log ${layout.log}):\n${lastLines(layout.log).join('\n')}`);
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      execFileSync(bin('pg_isready'), ['-h', '127.0.0.1', '-p', String(layout.port)], { stdio: 'ignore' });
      return;
    } catch {
      if (Date.now() > deadline)
        throw new UserError(`PostgreSQL on port ${layout.port} did not answer in time (log ${layout.log})`);
      await sleep(300);
    }
  }
}

export function stopPostgres(layout: PostgresLayout): 'stopped' | 'not running' {
  if (postgresPid(layout) === undefined) return 'not running';
  run('pg_ctl', ['-D', layout.dataDir, '-m', 'fast', '-w', 'stop']);
  return 'stopped';
}
