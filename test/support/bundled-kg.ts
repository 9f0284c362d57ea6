import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../config/project-root';
import { buildKg, type BuiltKg } from '../../core/kg/build';
import { bundledKgSourceDir, readKgSources } from '../../stores/kg-sources';

/**
 * The bundled KG as buildKg makes it, built once and cached for the unit tests that need all of it
 * (building takes seconds; reading the cache a fraction). The cache is keyed by the sources and by the
 * code that builds the graph (core/kg), so a change to either builds it again.
 */
const CACHE_DIR = path.join(PROJECT_ROOT, '.medaction', 'test-cache');

export async function bundledKgForTests(): Promise<BuiltKg> {
  const texts = await readKgSources(bundledKgSourceDir());
  const hash = crypto.createHash('sha256');
  for (const [name, text] of Object.entries(texts).sort(([a], [b]) => a.localeCompare(b))) hash.update(name).update(text);
  for (const file of codeFiles(path.join(PROJECT_ROOT, 'core', 'kg'))) hash.update(file).update(fs.readFileSync(file));
  const cache = path.join(CACHE_DIR, `bundled-kg-${hash.digest('hex').slice(0, 16)}.json`);
  try {
    return JSON.parse(fs.readFileSync(cache, 'utf8')) as BuiltKg;
  } catch {
    const built = buildKg(texts);
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    // Written whole under a temporary name first: a test worker reading at the same time sees all or nothing.
    const tmp = `${cache}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(built));
    fs.renameSync(tmp, cache);
    return built;
  }
}

function codeFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? codeFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
    )
    .sort();
}
