import type { KgAccess } from '../../core/kg/access';
import { CachedKg } from '../../core/kg/cached-kg';
import { MemoryKg } from '../../core/kg/memory-kg';
import { seededRandom } from '../../core/random';
import { TINY, tinyKg } from '../support/tiny-kg';

/** A KgAccess that counts the calls and the items asked about, so a test sees what reached the graph. */
function counting(kg: KgAccess): { kg: KgAccess; calls: Record<string, number>; items: Record<string, number> } {
  const calls: Record<string, number> = {};
  const items: Record<string, number> = {};
  const wrapped = new Proxy(kg, {
    get(target, prop: string) {
      const f = (target as unknown as Record<string, unknown>)[prop];
      if (typeof f !== 'function') return f;
      return (...args: unknown[]) => {
        calls[prop] = (calls[prop] ?? 0) + 1;
        items[prop] = (items[prop] ?? 0) + (args[0] as unknown[]).length;
        return (f as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { kg: wrapped, calls, items };
}

const DISEASES = Object.values(TINY).filter((id) => id.includes(':D') || id.startsWith('TINYOMIM'));
const FINDINGS = Object.values(TINY).filter((id) => id.includes(':F') || id.startsWith('TINYSYMP'));

describe('CachedKg', () => {
  it('answers every question as the graph does, duplicates and unknown ids included, in the same order', async () => {
    const plain = new MemoryKg(tinyKg());
    const cached = new CachedKg(new MemoryKg(tinyKg()), 40);
    const random = seededRandom('cached-kg');
    const pick = (from: string[], n: number) => Array.from({ length: n }, () => from[Math.floor(random() * from.length)] as string);
    for (let round = 0; round < 200; round++) {
      const diseases = [...pick(DISEASES, 1 + Math.floor(random() * 5)), ...(random() < 0.2 ? ['NOPE:1'] : [])];
      const findings = pick(FINDINGS, Math.floor(random() * 4));
      const pairs = diseases.map((d, i) => [d, diseases[(i + 1) % diseases.length] as string] as [string, string]);
      const cap = 2 + Math.floor(random() * 4);
      for (const [name, ask] of [
        ['nodes', (kg: KgAccess) => kg.nodes([...diseases, ...findings])],
        ['distances', (kg: KgAccess) => kg.diseaseDistances(pairs, cap)],
        ['supported', (kg: KgAccess) => kg.supportedDiseases(diseases, findings)],
        ['annotated', (kg: KgAccess) => kg.annotatedDiseases(diseases)],
        ['under', (kg: KgAccess) => kg.diseasesWithFindingsUnder(diseases, findings)],
        ['roots', (kg: KgAccess) => kg.findingRootsOf(diseases, findings)],
        ['matching', (kg: KgAccess) => kg.diseasesMatching(findings)],
      ] as const) {
        const expected = JSON.stringify(await ask(plain));
        expect([name, round, JSON.stringify(await ask(cached))]).toEqual([name, round, expected]);
      }
    }
  });

  it('asks the graph only about the diseases it has not seen in that question', async () => {
    const inner = counting(new MemoryKg(tinyKg()));
    const cached = new CachedKg(inner.kg);
    await cached.annotatedDiseases([TINY.pneumonia, TINY.bronchitis]);
    await cached.annotatedDiseases([TINY.bronchitis, TINY.pneumonia, TINY.uti, TINY.uti]);
    await cached.annotatedDiseases([TINY.uti, TINY.pneumonia]);
    expect(inner.calls.annotatedDiseases).toBe(2);
    expect(inner.items.annotatedDiseases).toBe(3); // pneumonia, bronchitis; then uti once

    // Another context (findings, roots, cap) is another question.
    await cached.supportedDiseases([TINY.pneumonia], [TINY.cough]);
    await cached.supportedDiseases([TINY.pneumonia], [TINY.fever]);
    await cached.supportedDiseases([TINY.pneumonia], [TINY.cough]);
    expect(inner.calls.supportedDiseases).toBe(2);
    await cached.diseaseDistances([[TINY.pneumonia, TINY.bronchitis]], 4);
    await cached.diseaseDistances([[TINY.pneumonia, TINY.bronchitis], [TINY.mi, TINY.uti]], 4);
    await cached.diseaseDistances([[TINY.pneumonia, TINY.bronchitis]], 6);
    expect(inner.items.diseaseDistances).toBe(3);
  });

  it('shares an answer in flight between concurrent questions and forgets a failed one', async () => {
    const inner = counting(new MemoryKg(tinyKg()));
    const cached = new CachedKg(inner.kg);
    const [a, b] = await Promise.all([
      cached.annotatedDiseases([TINY.pneumonia, TINY.mi]),
      cached.annotatedDiseases([TINY.mi, TINY.pneumonia]),
    ]);
    expect(inner.calls.annotatedDiseases).toBe(1);
    expect(new Set(a)).toEqual(new Set(b));

    let fail = true;
    const flaky: KgAccess = Object.create(new MemoryKg(tinyKg()), {
      annotatedDiseases: {
        value: async function (this: MemoryKg, diseases: string[]) {
          if (fail) throw new Error('Neo4j is away');
          return MemoryKg.prototype.annotatedDiseases.call(this, diseases);
        },
      },
    });
    const retrying = new CachedKg(flaky);
    await expect(retrying.annotatedDiseases([TINY.pneumonia])).rejects.toThrow('Neo4j is away');
    fail = false;
    await expect(retrying.annotatedDiseases([TINY.pneumonia])).resolves.toEqual(
      await new MemoryKg(tinyKg()).annotatedDiseases([TINY.pneumonia]),
    );
  });
});
