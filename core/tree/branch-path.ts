/**
 * Branch paths name the nodes of a case's tree: the root (the initial observation) is "", its
 * candidates "0", "1", …, their candidates "0.0", "0.1", …. A node's path is also the path of the
 * trajectory from the root to it. The digit is the candidate's index among the k the policy produced
 * at the parent, so a path never changes when a sibling is merged away or fails.
 */

export const ROOT_PATH = '';

export function childPath(parent: string, index: number): string {
  return parent === ROOT_PATH ? String(index) : `${parent}.${index}`;
}

/** Number of turns on the way to a node (the root has 0). */
export function pathDepth(path: string): number {
  return path === ROOT_PATH ? 0 : path.split('.').length;
}

/** The node a node was expanded from: "0.2.1" → "0.2", "0" → the root. */
export function parentPath(path: string): string {
  const cut = path.lastIndexOf('.');
  return cut < 0 ? ROOT_PATH : path.slice(0, cut);
}

/** The paths from the first turn down to `path` itself: "0.2.1" → ["0", "0.2", "0.2.1"]. */
export function pathChain(path: string): string[] {
  if (path === ROOT_PATH) return [];
  const parts = path.split('.');
  return parts.map((_, i) => parts.slice(0, i + 1).join('.'));
}

export function isBranchPath(path: string): boolean {
  return path === ROOT_PATH || /^\d+(\.\d+)*$/.test(path);
}

/** Tree order (depth first, candidates in index order): "0" < "0.1" < "0.10" is numeric, not textual. */
export function comparePaths(a: string, b: string): number {
  const pa = a === ROOT_PATH ? [] : a.split('.').map(Number);
  const pb = b === ROOT_PATH ? [] : b.split('.').map(Number);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const d = (pa[i] as number) - (pb[i] as number);
    if (d !== 0) return d;
  }
  return pa.length - pb.length;
}
