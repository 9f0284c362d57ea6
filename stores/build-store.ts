import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CaseOutcome } from '../core/dataset/records';
import type { TreeNode } from '../core/tree/node';
import { writeFileAtomic } from './files';

/**
 * A build's output folder:
 *   trajectories.jsonl, rejected.jsonl, report.json   the dataset (written by export, atomically)
 *   build.json                                        the build's settings and case list
 *   work/cases/<case>/nodes/<path>.json               every turn of the case's tree (one file a node)
 *   work/cases/<case>/expansions/<path>.json          the children of each node expanded so far
 *   work/cases/<case>/outcome.json                    the case's scored trajectories
 *   work/llm/<ab>/<hash>.json                         the LLM response store
 * Every file is written atomically and named by what it holds, so a retried activity rewrites the same
 * file with the same content: writes are idempotent. Several workers may share the folder (a network
 * file system) when they scale out.
 */
export class BuildStore {
  constructor(readonly dir: string) {}

  get manifestFile(): string {
    return path.join(this.dir, 'build.json');
  }

  caseDir(caseId: string): string {
    return path.join(this.dir, 'work', 'cases', safeName(caseId));
  }

  nodeFile(caseId: string, branchPath: string): string {
    return path.join(this.caseDir(caseId), 'nodes', `${branchPath === '' ? 'root' : branchPath}.json`);
  }

  outcomeFile(caseId: string): string {
    return path.join(this.caseDir(caseId), 'outcome.json');
  }

  writeNode(caseId: string, node: TreeNode): void {
    writeFileAtomic(this.nodeFile(caseId, node.path), JSON.stringify(node));
  }

  readNode(caseId: string, branchPath: string): TreeNode {
    return readJson(this.nodeFile(caseId, branchPath), `node ${branchPath} of case ${caseId}`);
  }

  expansionFile(caseId: string, branchPath: string): string {
    return path.join(this.caseDir(caseId), 'expansions', `${branchPath === '' ? 'root' : branchPath}.json`);
  }

  /** A finished expansion of a node: its children are in the store; a resume does not expand it again. */
  writeExpansion<T>(caseId: string, branchPath: string, expansion: T): void {
    writeFileAtomic(this.expansionFile(caseId, branchPath), JSON.stringify(expansion));
  }

  readExpansion<T>(caseId: string, branchPath: string): T | undefined {
    const file = this.expansionFile(caseId, branchPath);
    return fs.existsSync(file) ? readJson<T>(file, `expansion of node ${branchPath} of case ${caseId}`) : undefined;
  }

  /** The paths of every node of a case written so far (on a path to a leaf or not). */
  nodePaths(caseId: string): string[] {
    const dir = path.join(this.caseDir(caseId), 'nodes');
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
      .map((f) => f.slice(0, -'.json'.length));
  }

  writeOutcome(outcome: CaseOutcome): void {
    writeFileAtomic(this.outcomeFile(outcome.case_id), JSON.stringify(outcome));
  }

  readOutcome(caseId: string): CaseOutcome | undefined {
    const file = this.outcomeFile(caseId);
    return fs.existsSync(file) ? readJson(file, `outcome of case ${caseId}`) : undefined;
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
