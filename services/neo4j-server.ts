import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import { UserError } from '../core/errors';
import { createNeo4jDriver, describeNeo4jError, pingNeo4j } from '../clients/neo4j';
import { isLoopback, parseUrlHostPort } from './address';
import type { ServiceLayout } from './layout';
import { lastLines, ownedPid, runStreaming } from './process';

/**
 * The local Neo4j Community server, run by Neo4j's own launcher (`Neo4jCommand start`, the class
 * behind `bin/neo4j start`) from the jars that services/install.ts fetched from Maven Central. Its home
 * (conf, data, logs, run) is in the state folder; its jars are shared from the tools folder.
 */

export function neo4jIsLocal(config: Config): boolean {
  return isLoopback(parseUrlHostPort(config.neo4j.uri, 7687).host);
}

/** neo4j.conf for this configuration (pure, unit-tested). Rewritten at every start. */
export function neo4jConf(config: Config, layout: ServiceLayout): string {
  const { host, port } = parseUrlHostPort(config.neo4j.uri, 7687);
  const s = config.services;
  return [
    '# Written by `medaction services up` at every start; edit the MedAction configuration instead.',
    `server.directories.lib=${layout.neo4jLibDir}`,
    `server.default_listen_address=${host}`,
    `server.bolt.listen_address=${host}:${port}`,
    `server.bolt.advertised_address=${host}:${port}`,
    'server.http.enabled=false',
    'server.https.enabled=false',
    'dbms.security.auth_enabled=true',
    // No network here but the registries; and no phoning home from a user's laptop either.
    'dbms.usage_report.enabled=false',
    `server.memory.heap.initial_size=${s.neo4jHeap}`,
    `server.memory.heap.max_size=${s.neo4jHeap}`,
    `server.memory.pagecache.size=${s.neo4jPageCache}`,
    'db.tx_log.rotation.retention_policy=2 files',
    // JVM options from the Neo4j distribution's default neo4j.conf.
    'server.jvm.additional=-XX:+UseG1GC',
    'server.jvm.additional=-XX:-OmitStackTraceInFastThrow',
    'server.jvm.additional=-XX:+DisableExplicitGC',
    'server.jvm.additional=-Djdk.nio.maxCachedBufferSize=1024',
    'server.jvm.additional=-Dio.netty.tryReflectionSetAccessible=true',
    'server.jvm.additional=--add-opens=java.base/java.nio=ALL-UNNAMED',
    'server.jvm.additional=--add-opens=java.base/java.io=ALL-UNNAMED',
    'server.jvm.additional=--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
    'server.jvm.additional=-Dlog4j2.disable.jmx=true',
    '',
  ].join('\n');
}

function javaBin(): string {
  return process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

function launcherEnv(layout: ServiceLayout): NodeJS.ProcessEnv {
  return { ...process.env, NEO4J_HOME: layout.neo4jHome, NEO4J_CONF: layout.neo4jConfDir };
}

async function runLauncher(
  layout: ServiceLayout,
  mainClass: string,
  args: string[],
): Promise<{ code: number | null; tail: string[] }> {
  const log = fs.openSync(layout.neo4jStdoutLog, 'a');
  try {
    return await runStreaming(javaBin(), ['-cp', `${layout.neo4jLibDir}/*`, mainClass, ...args], {
      env: launcherEnv(layout),
      progress: (line) => fs.writeSync(log, `${line}\n`),
    });
  } finally {
    fs.closeSync(log);
  }
}

/**
 * Writes the configuration, sets the initial password before the very first start (Neo4j only takes
 * it then), and starts the server as a daemon. Resolves once the launcher has handed off; the caller
 * then waits for Bolt.
 */
export async function startNeo4j(config: Config, layout: ServiceLayout): Promise<void> {
  fs.mkdirSync(layout.neo4jConfDir, { recursive: true });
  fs.mkdirSync(layout.logsDir, { recursive: true });
  fs.writeFileSync(path.join(layout.neo4jConfDir, 'neo4j.conf'), neo4jConf(config, layout));

  const authFile = path.join(layout.neo4jHome, 'data', 'dbms', 'auth.ini');
  if (!fs.existsSync(authFile)) {
    // The password is an argument of this short-lived local command only; it is not logged.
    const result = await runLauncher(layout, 'org.neo4j.server.startup.Neo4jAdminCommand', [
      'dbms',
      'set-initial-password',
      config.neo4j.password.reveal(),
    ]);
    if (result.code !== 0) {
      throw new UserError(
        `Neo4j: setting the initial password failed (exit ${result.code}): ${result.tail.join(' ').replaceAll(config.neo4j.password.reveal(), '[redacted]')}`,
      );
    }
  }
  const result = await runLauncher(layout, 'org.neo4j.server.startup.Neo4jCommand', ['start']);
  if (result.code !== 0) {
    throw new UserError(
      `Neo4j failed to start (launcher exit ${result.code}). Launcher log: ${layout.neo4jStdoutLog}; server log: ${layout.neo4jLog}\n` +
        [...result.tail, ...lastLines(layout.neo4jLog, 10)].join('\n'),
    );
  }
}

/** Our server's pid: Neo4j's own pid file, if it names a live server with this home folder. */
export function neo4jPid(layout: ServiceLayout): number | undefined {
  return ownedPid(layout.neo4jPidFile, `--home-dir=${layout.neo4jHome}`);
}

export interface Neo4jProbe {
  bolt: boolean;
  version?: string;
  error?: string;
  /** The server answered but refused the credentials: waiting will not help. */
  authFailed?: boolean;
}

/** Does Neo4j accept a Bolt query with the configured credentials? */
export async function probeNeo4j(config: Config, timeoutMs = 3000): Promise<Neo4jProbe> {
  const driver = createNeo4jDriver(config, { connectionTimeoutMs: timeoutMs });
  try {
    return { bolt: true, version: await pingNeo4j(config, driver) };
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    return { bolt: false, error: describeNeo4jError(config, error), authFailed: code.startsWith('Neo.ClientError.Security') };
  } finally {
    await driver.close();
  }
}
