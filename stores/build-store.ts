import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CaseOutcome } from '../core/dataset/records';
import { UserError } from '../core/errors';
import type { EpisodeRecord } from '../core/eval/episode';
import type { AnyRunSettings } from '../core/run/run-kind';
import type { CallFailure, CandidateFailure, TreeNode } from '../core/tree/node';
import { comparePaths, parentPath, ROOT_PATH } from '../core/tree/branch-path';
import { LruMap } from '../core/lru-map';
import { writeFileAtomic } from './files';

/**
 * A build's or an evaluation's manifest in its output folder (build.json): its settings and the cases it
 * covers, in order. The settings tell which it is (core/run/run-kind.ts).
 */
export interface RunManifest {
  settings: AnyRunSettings;
  caseIds: string[];
}

/** An expansion as stored: what the activity returned (its failures with their invalid replies), and the child nodes it created. */
interface StoredExpansion {
  nodes?: TreeNode[];
  failures?: CandidateFailure[];
}

/**
 * Expansions a store keeps in memory: the trees of the cases in flight (96 cases of ~16 expansions by
 * default) several times over. Unbounded, they would grow with the build: every expansion of every case
 * the worker has touched.
 */
export const DEFAULT_CACHED_EXPANSIONS = 8_000;

/**
 * A build's or an evaluation's output folder:
 *   trajectories.jsonl, rejected.jsonl, report.json   a build's dataset (written by export, atomically)
 *   eval.jsonl, eval.json                             an evaluation's results (stores/eval-export.ts)
 *   build.json                                        the run's settings and case list (its manifest)
 *   work/cases/<case>/expansions/<path>.json          each node expanded so far: its children, with their turns
 *   work/cases/<case>/outcome.json                    the case's scored trajectories
 *   work/cases/<case>/episode.json                    an evaluation's record of the case
 *   work/llm/<ab>/<hash>.json                         the LLM response store
 * Every file is written atomically and named by what it holds, so a retried activity rewrites the same
 * file with the same content: writes are idempotent, and a file once written never changes. Several
 * workers may share the folder (a network file system) when they scale out. This class names every path.
 */
export class BuildStore {
  /**
   * Expansion files read or written through this instance, by file name, the most recently used
   * `maxCachedExpansions`: a node's ancestors are read at each of its expansions and a case's whole tree
   * when it is scored, while a finished case is never read again. Only files that exist are kept (a file
   * never changes once written), so one instance can serve every activity of a worker.
   */
  private readonly expansions: LruMap<string, StoredExpansion>;

  constructor(
    readonly dir: string,
    maxCachedExpansions = DEFAULT_CACHED_EXPANSIONS,
  ) {
    this.expansions = new LruMap(maxCachedExpansions);
  }

  get manifestFile(): string {
    return path.join(this.dir, 'build.json');
  }

  writeManifest(manifest: RunManifest): void {
    writeFileAtomic(this.manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  }

  /** The manifest, if the folder has one; a file that is not one is an error naming it. */
  readManifest(): RunManifest | undefined {
    const file = this.manifestFile;
    if (!fs.existsSync(file)) return undefined;
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as RunManifest;
    } catch (error) {
      throw new UserError(`${file} is not a build manifest (${(error as Error).message})`);
    }
  }

  caseDir(caseId: string): string {
    return path.join(this.dir, 'work', 'cases', safeName(caseId));
  }

  /** The LLM response store: every completion under the hash of its request (stores/response-store.ts). */
  get llmDir(): string {
    return path.join(this.dir, 'work', 'llm');
  }

  outcomeFile(caseId: string): string {
    return path.join(this.caseDir(caseId), 'outcome.json');
  }

  /** A node (a turn and the oracle's answers), from its parent's expansion. */
  readNode(caseId: string, branchPath: string): TreeNode {
    const node = this.readExpansion<StoredExpansion>(caseId, parentPath(branchPath))?.nodes?.find((n) => n.path === branchPath);
    if (!node) throw new Error(`node ${branchPath || '(root)'} of case ${caseId} is not in the store ${this.dir}`);
    return node;
  }

  expansionFile(caseId: string, branchPath: string): string {
    return path.join(this.caseDir(caseId), 'expansions', `${branchPath === '' ? 'root' : branchPath}.json`);
  }

  /**
   * A finished expansion of a node, with its child nodes in the same file: one atomic, fsynced write
   * per expansion. Once it exists, a resume does not expand the node again.
   */
  writeExpansion<T extends object>(caseId: string, branchPath: string, expansion: T, nodes: TreeNode[]): void {
    const file = this.expansionFile(caseId, branchPath);
    const stored = { ...expansion, nodes };
    writeFileAtomic(file, JSON.stringify(stored));
    this.expansions.set(file, stored);
  }

  readExpansion<T>(caseId: string, branchPath: string): (T & { nodes?: TreeNode[] }) | undefined {
    const file = this.expansionFile(caseId, branchPath);
    let expansion = this.expansions.get(file);
    if (!expansion && fs.existsSync(file)) {
      expansion = readJson<StoredExpansion>(file, `expansion of node ${branchPath} of case ${caseId}`);
      this.expansions.set(file, expansion);
    }
    return expansion as (T & { nodes?: TreeNode[] }) | undefined;
  }

  /** The paths of every node of a case written so far (on a path to a leaf or not). */
  nodePaths(caseId: string): string[] {
    const paths = new Set<string>();
    for (const name of this.expansionNames(caseId)) {
      for (const node of this.readExpansion<StoredExpansion>(caseId, name === 'root' ? ROOT_PATH : name)?.nodes ?? [])
        paths.add(node.path);
    }
    return [...paths].sort(comparePaths);
  }

  /** Names (without .json) of a case's finished expansion files; none if it has none. */
  private expansionNames(caseId: string): string[] {
    const dir = path.join(this.caseDir(caseId), 'expansions');
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
      .map((f) => f.slice(0, -'.json'.length));
  }

  /** The invalid reply that failed a candidate, as its parent's expansion recorded it. */
  readInvalidReply(caseId: string, candidatePath: string): string | undefined {
    return this.readExpansion<StoredExpansion>(caseId, parentPath(candidatePath))?.failures?.find((f) => f.path === candidatePath)
      ?.reply;
  }

  /** A request that got no usable answer: one file per node and activity attempt (a retry writes its own). */
  writeCallFailure(caseId: string, failure: Omit<CallFailure, 'retried'>): void {
    const name = `${failure.path === '' ? 'root' : failure.path}.${failure.attempt}.json`;
    writeFileAtomic(path.join(this.caseDir(caseId), 'call-failures', name), JSON.stringify(failure));
  }

  /** A case's failed requests in node and attempt order, each marked retried when another attempt followed. */
  readCallFailures(caseId: string): CallFailure[] {
    const dir = path.join(this.caseDir(caseId), 'call-failures');
    if (!fs.existsSync(dir)) return [];
    const failures = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
      .map((f) => readJson<Omit<CallFailure, 'retried'>>(path.join(dir, f), `failed call ${f} of case ${caseId}`))
      .sort((a, b) => comparePaths(a.path, b.path) || a.attempt - b.attempt);
    return failures.map((f) => ({
      ...f,
      retried:
        failures.some((g) => g.path === f.path && g.attempt > f.attempt) || fs.existsSync(this.expansionFile(caseId, f.path)),
    }));
  }

  writeOutcome(outcome: CaseOutcome): void {
    writeFileAtomic(this.outcomeFile(outcome.case_id), JSON.stringify(outcome));
  }

  readOutcome(caseId: string): CaseOutcome | undefined {
    const file = this.outcomeFile(caseId);
    return fs.existsSync(file) ? readJson(file, `outcome of case ${caseId}`) : undefined;
  }

  /** An evaluation's record of the case's episode. */
  episodeFile(caseId: string): string {
    return path.join(this.caseDir(caseId), 'episode.json');
  }

  writeEpisode(record: EpisodeRecord): void {
    writeFileAtomic(this.episodeFile(record.case_id), JSON.stringify(record));
  }

  readEpisode(caseId: string): EpisodeRecord | undefined {
    const file = this.episodeFile(caseId);
    return fs.existsSync(file) ? readJson(file, `episode of case ${caseId}`) : undefined;
  }
}

/**
 * The build stores of one worker process, one instance per output folder, opened on first use: the
 * activities' single store dependency (a worker may serve several builds at once).
 */
export class BuildStores {
  private readonly stores = new Map<string, BuildStore>();

  open(dir: string): BuildStore {
    const key = path.resolve(dir);
    let store = this.stores.get(key);
    if (!store) this.stores.set(key, (store = new BuildStore(dir)));
    return store;
  }
}

/** Case ids are free text; a file name is not. Unsafe ids get a readable slug and a hash. */
export function safeName(id: string): string {
  if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(id)) return id;
  const slug = id.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);
  return `${slug}-${crypto.createHash('sha256').update(id).digest('hex').slice(0, 12)}`;
}

function readJson<T>(file: string, what: string): T {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`${what} cannot be read from ${file} (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(`${what} in ${file} is not valid JSON (${(error as Error).message})`);
  }
}
