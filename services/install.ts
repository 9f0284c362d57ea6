import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors';
import { PROJECT_ROOT } from '../config/project-root';
import type { ServiceLayout } from './layout';
import { type Progress, runStreaming } from './process';
import { NEO4J_VERSION, TEMPORAL_CLI_MODULE, TEMPORAL_CLI_VERSION } from './versions';

/**
 * Installs the servers from the registries this machine reaches, into versioned folders under the
 * tools directory: the Temporal CLI (dev server + Web UI) with `go install`, and the Neo4j Community
 * server jars from Maven Central with `mvn dependency:copy-dependencies`. A stamp file written last
 * marks a complete install, so an interrupted install is redone and a finished one is a no-op.
 */

const STAMP = '.installed';

export function isInstalled(dir: string, version: string): boolean {
  try {
    return fs.readFileSync(path.join(dir, STAMP), 'utf8').trim() === version;
  } catch {
    return false;
  }
}

export function markInstalled(dir: string, version: string): void {
  fs.writeFileSync(path.join(dir, STAMP), `${version}\n`);
}

/** `go install <module>` into `binDir`; `what` names the step in its errors. */
export async function goInstall(module: string, binDir: string, progress: Progress, what: string): Promise<void> {
  fs.mkdirSync(binDir, { recursive: true });
  const result = await runStreaming('go', ['install', module], {
    env: { ...process.env, GOBIN: binDir, GOFLAGS: '-mod=mod', GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'auto' },
    progress: (line) => progress(`go: ${line.replace(/^go: /, '')}`),
  }).catch((error: NodeJS.ErrnoException) => {
    throw new UserError(`${what} failed: cannot run go (${error.code ?? error.message}). Install Go 1.25+ and retry.`);
  });
  if (result.code !== 0) throw new UserError(`${what} failed (go install exited ${result.code}):\n${result.tail.join('\n')}`);
}

export interface InstallResult {
  temporal: 'present' | 'installed';
  neo4j: 'present' | 'installed';
  seconds: number;
}

export async function installTemporalCli(layout: ServiceLayout, progress: Progress): Promise<'present' | 'installed'> {
  if (isInstalled(layout.temporalInstallDir, TEMPORAL_CLI_VERSION) && fs.existsSync(layout.temporalBin)) return 'present';
  const binDir = path.dirname(layout.temporalBin);
  progress(`installing Temporal CLI ${TEMPORAL_CLI_VERSION} with go install (first time: several minutes)`);
  await goInstall(`${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`, binDir, progress, 'Installing the Temporal CLI');
  if (!fs.existsSync(layout.temporalBin))
    throw new UserError(`Installing the Temporal CLI failed: go install wrote no ${layout.temporalBin}`);
  markInstalled(layout.temporalInstallDir, TEMPORAL_CLI_VERSION);
  return 'installed';
}

export async function installNeo4j(layout: ServiceLayout, progress: Progress): Promise<'present' | 'installed'> {
  if (isInstalled(layout.neo4jInstallDir, NEO4J_VERSION)) return 'present';
  const staging = `${layout.neo4jLibDir}.partial`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.rmSync(layout.neo4jLibDir, { recursive: true, force: true });
  fs.mkdirSync(layout.neo4jInstallDir, { recursive: true });
  progress(`installing Neo4j ${NEO4J_VERSION} from Maven Central (first time: a few minutes)`);
  const pom = path.join(PROJECT_ROOT, 'scripts', 'neo4j', 'pom.xml');
  const result = await runStreaming(
    'mvn',
    [
      '-B',
      '-q',
      '-f',
      pom,
      `-Dneo4j.version=${NEO4J_VERSION}`,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${staging}`,
      '-DincludeScope=runtime',
    ],
    { progress: (line) => progress(`mvn: ${line}`) },
  ).catch((error: NodeJS.ErrnoException) => {
    throw new UserError(
      `Installing Neo4j failed: cannot run mvn (${error.code ?? error.message}). Install Maven and a Java 17 JDK and retry.`,
    );
  });
  if (result.code !== 0) {
    throw new UserError(`Installing Neo4j failed (mvn exited ${result.code}):\n${result.tail.join('\n')}`);
  }
  fs.renameSync(staging, layout.neo4jLibDir);
  const jars = fs.readdirSync(layout.neo4jLibDir).filter((f) => f.endsWith('.jar')).length;
  progress(`Neo4j ${NEO4J_VERSION}: ${jars} jars`);
  markInstalled(layout.neo4jInstallDir, NEO4J_VERSION);
  return 'installed';
}

/** Installs both servers (in parallel: one is CPU-bound, the other network-bound) when missing. */
export async function installServices(
  layout: ServiceLayout,
  progress: Progress,
  which: { temporal: boolean; neo4j: boolean } = { temporal: true, neo4j: true },
): Promise<InstallResult> {
  const started = Date.now();
  const [temporal, neo4j] = await Promise.all([
    which.temporal ? installTemporalCli(layout, (l) => progress(`[temporal] ${l}`)) : Promise.resolve('present' as const),
    which.neo4j ? installNeo4j(layout, (l) => progress(`[neo4j] ${l}`)) : Promise.resolve('present' as const),
  ]);
  return { temporal, neo4j, seconds: (Date.now() - started) / 1000 };
}
