import fs from 'node:fs';

/** CPU and memory of a process from Linux's /proc (the benchmark runs on Linux). */

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** User + system CPU the process has used so far, in ms (its own threads; not its children). */
export function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at field 3; utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** The process's resident set size now and at its peak (VmHWM), in MiB. */
export function rssMb(pid: number): { now: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { now: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** Size of a file and its SQLite companions (-wal, -shm), in MiB. */
export function sqliteMb(file: string): number {
  return ['', '-wal', '-shm'].reduce((sum, suffix) => {
    try {
      return sum + fs.statSync(file + suffix).size / 2 ** 20;
    } catch {
      return sum;
    }
  }, 0);
}

/**
 * CPU of a process and of its children, in ms: its own, what its exited children used (cutime, cstime,
 * once reaped) and what its live children have used so far. For PostgreSQL, whose work is done by
 * backend processes the postmaster forks.
 */
export function cpuMsWithChildren(pid: number): number {
  const fieldsOf = (p: number) => {
    const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  };
  const own = fieldsOf(pid);
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const child of childPids(pid)) {
    try {
      const f = fieldsOf(child);
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    } catch {
      // the process ended meanwhile
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** Bytes of a folder's files, in MiB (the cluster's PostgreSQL data folder). */
export function folderMb(dir: string): number {
  const walk = (d: string): number =>
    fs.readdirSync(d, { withFileTypes: true }).reduce((sum, e) => {
      const p = `${d}/${e.name}`;
      try {
        return sum + (e.isDirectory() ? walk(p) : e.isFile() ? fs.statSync(p).size : 0);
      } catch {
        return sum;
      }
    }, 0);
  return fs.existsSync(dir) ? walk(dir) / 2 ** 20 : 0;
}

/**
 * Memory of a process and its live children, in MiB: the sum of their proportional set sizes (Pss, from
 * /proc/<pid>/smaps_rollup), so pages they share — PostgreSQL's shared buffers, mapped by every backend —
 * count once in all, not once per process as RSS would.
 */
export function pssMbWithChildren(pid: number): number {
  const pssKb = (p: number) => Number(/^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
  let kb = pssKb(pid);
  for (const child of childPids(pid)) {
    try {
      kb += pssKb(child);
    } catch {
      // the process ended meanwhile
    }
  }
  return kb / 1024;
}

/** The live children of a process (those whose parent pid, field 4 of /proc/<pid>/stat, is `pid`). */
function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return children;
}
