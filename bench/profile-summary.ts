import fs from 'node:fs';

/**
 * Where a worker's CPU went, from the V8 CPU profiles a `BENCH_PROFILE=1 npm run bench` writes (one per
 * thread: the main thread runs activities, the workflow threads run workflow code). Each sample is given
 * to the first frame on its stack, innermost first, that says what it is for.
 *
 *   tsx bench/profile-summary.ts .medaction/bench/work/*.cpuprofile
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const CATEGORIES: [string, (frame: ProfileNode['callFrame']) => boolean][] = [
  ['idle', (f) => f.functionName === '(idle)'],
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
  [
    'files (store writes and reads)',
    (f) =>
      /^(open|fsync|writeBuffer|writev|writeString|read|readFileUtf8|mkdir|rename|close|fstat|lstat)$/.test(f.functionName) &&
      f.url === '',
  ],
  ['workflow code (sandbox)', (f) => /workflow-bundle|evalmachine|node:vm|vm-shared|workflow-worker-thread/.test(f.url)],
  ['Temporal SDK (worker, bridge, payloads)', (f) => /@temporalio|protobufjs/.test(f.url)],
  ['Neo4j driver', (f) => /neo4j-driver|rxjs/.test(f.url)],
  ['openai client', (f) => /node_modules\/openai/.test(f.url)],
  [
    'domain core (linking, metrics, scoring, prompts)',
    (f) => /\/work\/[^/]+\/core\/|\/core\//.test(f.url) && !/node_modules/.test(f.url),
  ],
  ['stores', (f) => /\/stores\//.test(f.url) && !/node_modules/.test(f.url)],
  ['activities', (f) => /\/activities\//.test(f.url) && !/node_modules/.test(f.url)],
  ['node internals (HTTP, streams, timers)', (f) => /^node:/.test(f.url)],
];

export function summarise(profile: CpuProfile): Map<string, number> {
  const parent = new Map<number, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const category = new Map<number, string>();
  const categorise = (id: number): string => {
    const known = category.get(id);
    if (known) return known;
    // Node's own frames (HTTP, sockets, streams) count for whoever called them; only when no caller
    // says what the work was for do they count as node internals.
    let found = 'other';
    for (const categories of [CATEGORIES.slice(0, -1), CATEGORIES.slice(-1)]) {
      let cursor: number | undefined = id;
      while (cursor !== undefined && found === 'other') {
        const frame = (byId.get(cursor) as ProfileNode).callFrame;
        const hit = categories.find(([, test]) => test(frame));
        if (hit) found = hit[0];
        cursor = parent.get(cursor);
      }
      if (found !== 'other') break;
    }
    category.set(id, found);
    return found;
  };
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const c = categorise(id);
    totals.set(c, (totals.get(c) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return totals;
}

if (require.main === module) {
  const totals = new Map<string, number>();
  for (const file of process.argv.slice(2)) {
    for (const [c, ms] of summarise(JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile))
      totals.set(c, (totals.get(c) ?? 0) + ms);
  }
  const busy = [...totals].filter(([c]) => c !== 'idle').reduce((s, [, ms]) => s + ms, 0);
  process.stdout.write(`busy CPU ${Math.round(busy)} ms over ${process.argv.length - 2} thread profile(s)\n`);
  for (const [c, ms] of [...totals].filter(([c]) => c !== 'idle').sort((a, b) => b[1] - a[1])) {
    process.stdout.write(`${String(Math.round(ms)).padStart(9)} ms  ${((100 * ms) / busy).toFixed(1).padStart(5)} %  ${c}\n`);
  }
}
