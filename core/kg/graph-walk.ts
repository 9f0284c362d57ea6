/** Small graph walks over adjacency maps, shared by the source parsers and the in-memory KG. */

/** Appends a value to the list a multimap keeps under a key. */
export function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The start nodes and every node reachable from them in at most `steps` steps of `next`. */
export function reachableWithin(start: Iterable<string>, next: (id: string) => readonly string[], steps: number): Set<string> {
  const reached = new Set(start);
  let frontier = [...reached];
  for (let step = 0; step < steps; step++) {
    frontier = frontier.flatMap(next).filter((y) => !reached.has(y));
    for (const y of frontier) reached.add(y);
  }
  return reached;
}

/**
 * A memoised test "is one of `roots`, or has an ancestor among them" over a parent map (a DAG; a cycle
 * counts as no path).
 */
export function descendsFrom(
  parentsOf: ReadonlyMap<string, readonly string[]>,
  roots: ReadonlySet<string>,
): (id: string) => boolean {
  const memo = new Map<string, boolean>();
  const test = (id: string, path: Set<string>): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    if (path.has(id)) return false;
    path.add(id);
    const result = roots.has(id) || (parentsOf.get(id) ?? []).some((p) => test(p, path));
    memo.set(id, result);
    return result;
  };
  return (id) => test(id, new Set());
}
