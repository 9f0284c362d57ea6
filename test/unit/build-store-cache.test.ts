import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LruMap } from '../../core/lru-map';
import type { TreeNode } from '../../core/tree/node';
import { BuildStore } from '../../stores/build-store';

describe('LruMap', () => {
  it('drops the least recently used entry, a read counting as a use', () => {
    const m = new LruMap<string, number>(2);
    m.set('a', 1);
    m.set('b', 2);
    expect(m.get('a')).toBe(1); // a is now newer than b
    m.set('c', 3);
    expect([m.has('a'), m.has('b'), m.has('c'), m.size]).toEqual([true, false, true, 2]);
    m.set('a', 4); // a rewrite refreshes too
    m.set('d', 5);
    expect([m.get('a'), m.has('c'), m.get('d')]).toEqual([4, false, 5]);
    expect(() => new LruMap(0)).toThrow('at least 1');
  });
});

describe('BuildStore expansion cache', () => {
  const node = (p: string): TreeNode =>
    ({
      path: p,
      turn: { reasoning: 'r', differential: [], action: { type: 'final_diagnosis', diagnosis: 'x' } },
      results: [],
      merged: [],
      usage: { prompt: 0, completion: 0 },
      requests: 0,
    }) as unknown as TreeNode;

  it('keeps the most recent expansions in memory and reads older ones from their files again', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medaction-store-cache-'));
    const store = new BuildStore(dir, 2);
    for (const p of ['', '0', '1']) store.writeExpansion('c1', p, { children: [], failures: [] }, [node(`${p}${p ? '.' : ''}0`)]);
    // Remove every file: what is still answered comes from memory.
    for (const p of ['', '0', '1']) fs.rmSync(store.expansionFile('c1', p));
    expect(store.readExpansion('c1', '')).toBeUndefined(); // the oldest, dropped
    expect(store.readExpansion('c1', '0')?.nodes?.[0]?.path).toBe('0.0');
    expect(store.readExpansion('c1', '1')?.nodes?.[0]?.path).toBe('1.0');

    // A file read back from disk is cached again, and the same content either way.
    const fresh = new BuildStore(dir, 2);
    fresh.writeExpansion('c2', '', { children: [{ path: '0', final: true }], failures: [] }, [node('0')]);
    const again = new BuildStore(dir, 1);
    expect(again.readNode('c2', '0')).toEqual(fresh.readNode('c2', '0'));
  });
});
