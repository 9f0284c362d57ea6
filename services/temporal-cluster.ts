import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import type { Config } from '../config';
import { temporalConnectionOptions } from '../clients/temporal';
import { UserError } from '../core/errors';
import { MEDACTION_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { parseHostPort, parseUrlHostPort } from './address';
import { initPostgres, installPostgres, postgresPid, startPostgres, stopPostgres, type PostgresLayout } from './postgres-server';
import { goInstall, isInstalled, markInstalled } from './install';
import { lastLines, ownedPid, runStreaming, spawnDetached, stopProcess, type Progress } from './process';
import { TEMPORAL_SERVER_VERSION, TEMPORAL_UI_SERVER_VERSION } from './versions';

/**
 * `medaction services up --temporal cluster`: Temporal as it runs in production, on one machine — the
 * Temporal server built from its Go module (the version the CLI's dev server embeds) with PostgreSQL
 * persistence and SQL visibility, its SQL schema tool creating and updating both schemas, and the
 * Temporal UI server, so the Web UI works as with the dev server. Three processes, each with a log and
 * a pid file in the state folder; PostgreSQL is a cluster of its own (services/postgres-server.ts).
 */

export interface ClusterLayout {
  serverBin: string;
  sqlToolBin: string;
  uiBin: string;
  /** The server's PostgreSQL schemas, copied from its module at install. */
  schemaDir: string;
  /** The versioned tools folder; its stamp file marks a finished install. */
  toolsDir: string;
  /** The server's root folder (its configuration in config/development.yaml): also how its process is recognised. */
  serverRoot: string;
  serverLog: string;
  serverPidFile: string;
  uiRoot: string;
  uiLog: string;
  uiPidFile: string;
  postgres: PostgresLayout;
}

export function clusterLayout(config: Config): ClusterLayout {
  const { toolsDir, stateDir } = config.services;
  const tools = path.join(toolsDir, `temporal-server-${TEMPORAL_SERVER_VERSION}`);
  const cluster = path.join(stateDir, 'temporal-cluster');
  return {
    serverBin: path.join(tools, 'bin', 'temporal-server'),
    sqlToolBin: path.join(tools, 'bin', 'temporal-sql-tool'),
    uiBin: path.join(tools, 'bin', 'temporal-ui-server'),
    schemaDir: path.join(tools, 'schema', 'postgresql', 'v12'),
    toolsDir: tools,
    serverRoot: path.join(cluster, 'server'),
    serverLog: path.join(stateDir, 'logs', 'temporal-server.log'),
    serverPidFile: path.join(stateDir, 'run', 'temporal-server.pid'),
    uiRoot: path.join(cluster, 'ui'),
    uiLog: path.join(stateDir, 'logs', 'temporal-ui.log'),
    uiPidFile: path.join(stateDir, 'run', 'temporal-ui.pid'),
    postgres: {
      dataDir: path.join(stateDir, 'postgres', 'data'),
      socketDir: path.join(stateDir, 'postgres', 'run'),
      log: path.join(stateDir, 'logs', 'postgres.log'),
      port: config.services.postgresPort,
      user: 'temporal',
      password: config.services.postgresPassword.reveal(),
    },
  };
}

/** The ports of the server's four services, from the frontend's: the layout of Temporal's own sample configs. */
export function clusterPorts(config: Config): {
  frontend: number;
  history: number;
  matching: number;
  worker: number;
  http: number;
  ui: number;
} {
  const { port } = parseHostPort(config.temporal.address);
  return {
    frontend: port,
    history: port + 1,
    matching: port + 2,
    worker: port + 6,
    http: port + 10,
    ui: parseUrlHostPort(config.temporal.uiUrl, port + 1000).port,
  };
}

/**
 * A service's membership (ringpop) port: 300 below its gRPC port, as in Temporal's sample configs
 * (7233 → 6933), brought below 32768 — the SQL stores keep it in a smallint column, and a server on
 * 37233 dies at start with "value 36933 is out of range for type smallint".
 */
export function membershipPort(grpcPort: number): number {
  let port = grpcPort - 300;
  while (port > 32767) port -= 16384;
  return port;
}

/** The server's configuration (config/development.yaml under its root): PostgreSQL for persistence and visibility. */
export function clusterServerConfig(config: Config, layout: ClusterLayout): string {
  const ports = clusterPorts(config);
  const { host } = parseHostPort(config.temporal.address);
  const store = (db: string, conns: number) => [
    `      sql:`,
    `        pluginName: "postgres12"`,
    `        databaseName: "${db}"`,
    `        connectAddr: "127.0.0.1:${layout.postgres.port}"`,
    `        connectProtocol: "tcp"`,
    `        user: "${layout.postgres.user}"`,
    `        password: "${layout.postgres.password}"`,
    `        maxConns: ${conns}`,
    `        maxIdleConns: ${conns}`,
    `        maxConnLifetime: "1h"`,
  ];
  const service = (name: string, grpc: number, extra: string[] = []) => [
    `  ${name}:`,
    `    rpc:`,
    `      grpcPort: ${grpc}`,
    `      membershipPort: ${membershipPort(grpc)}`,
    `      bindOnIP: "${host}"`,
    ...extra,
  ];
  return [
    'log:',
    '  stdout: true',
    '  level: warn',
    'persistence:',
    '  defaultStore: postgres-default',
    '  visibilityStore: postgres-visibility',
    '  numHistoryShards: 4',
    '  datastores:',
    '    postgres-default:',
    ...store('temporal', 20),
    '    postgres-visibility:',
    ...store('temporal_visibility', 10),
    'global:',
    '  membership:',
    '    maxJoinDuration: 30s',
    `    broadcastAddress: "${host}"`,
    'services:',
    ...service('frontend', ports.frontend, [`      httpPort: ${ports.http}`]),
    ...service('history', ports.history),
    ...service('matching', ports.matching),
    ...service('worker', ports.worker),
    'clusterMetadata:',
    '  enableGlobalNamespace: false',
    '  failoverVersionIncrement: 10',
    '  masterClusterName: "active"',
    '  currentClusterName: "active"',
    '  clusterInformation:',
    '    active:',
    '      enabled: true',
    '      initialFailoverVersion: 1',
    '      rpcName: "frontend"',
    `      rpcAddress: "${host}:${ports.frontend}"`,
    'dcRedirectionPolicy:',
    '  policy: "noop"',
    '',
  ].join('\n');
}

/** The UI server's configuration (development.yaml under its config folder). */
export function clusterUiConfig(config: Config): string {
  const ports = clusterPorts(config);
  const ui = parseUrlHostPort(config.temporal.uiUrl, ports.ui);
  return [
    `temporalGrpcAddress: ${config.temporal.address}`,
    `host: ${ui.host}`,
    `port: ${ui.port}`,
    'enableUi: true',
    `defaultNamespace: ${config.temporal.namespace}`,
    'cors:',
    '  cookieInsecure: true',
    '',
  ].join('\n');
}

const INSTALLED = `server ${TEMPORAL_SERVER_VERSION} ui-server ${TEMPORAL_UI_SERVER_VERSION}`;

/** Builds the server, its SQL tool and the UI server with `go install` (first time: 5-15 minutes), and copies the schemas. */
export async function installCluster(config: Config, progress: Progress): Promise<'present' | 'installed'> {
  const layout = clusterLayout(config);
  await installPostgres(progress);
  const bins = [layout.serverBin, layout.sqlToolBin, layout.uiBin];
  if (isInstalled(layout.toolsDir, INSTALLED) && bins.every((f) => fs.existsSync(f))) return 'present';
  const staging = path.join(path.dirname(layout.serverBin), '.staging');
  fs.rmSync(staging, { recursive: true, force: true });
  progress(
    `building the Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool with go install (first time: several minutes)`,
  );
  await goInstall(
    `go.temporal.io/server/cmd/server@${TEMPORAL_SERVER_VERSION}`,
    path.join(staging, 'server'),
    progress,
    'Building the Temporal server',
  );
  await goInstall(
    `go.temporal.io/server/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`,
    path.join(staging, 'sql'),
    progress,
    'Building the Temporal SQL tool',
  );
  progress(`building the Temporal UI server ${TEMPORAL_UI_SERVER_VERSION}`);
  await goInstall(
    `github.com/temporalio/ui-server/v2/cmd/server@${TEMPORAL_UI_SERVER_VERSION}`,
    path.join(staging, 'ui'),
    progress,
    'Building the Temporal UI server',
  );
  fs.renameSync(path.join(staging, 'server', 'server'), layout.serverBin);
  fs.renameSync(path.join(staging, 'sql', 'sql'), layout.sqlToolBin);
  fs.renameSync(path.join(staging, 'ui', 'server'), layout.uiBin);
  fs.rmSync(staging, { recursive: true, force: true });
  // The schemas ship in the server's module; keep a copy, the module cache may be cleaned.
  const modCache = (await runStreaming('go', ['env', 'GOMODCACHE'])).tail.join('').trim();
  const source = path.join(modCache, `go.temporal.io/server@${TEMPORAL_SERVER_VERSION}`, 'schema', 'postgresql', 'v12');
  fs.rmSync(layout.schemaDir, { recursive: true, force: true });
  fs.cpSync(source, layout.schemaDir, { recursive: true });
  fs.chmodSync(layout.schemaDir, 0o755);
  markInstalled(layout.toolsDir, INSTALLED);
  return 'installed';
}

/** Creates both databases if missing and brings their schemas to the server's version (idempotent). */
async function setupSchemas(layout: ClusterLayout, progress: Progress): Promise<void> {
  const { port, user, password } = layout.postgres;
  const base = ['--plugin', 'postgres12', '--ep', '127.0.0.1', '-p', String(port), '-u', user];
  for (const [db, dir] of [
    ['temporal', 'temporal'],
    ['temporal_visibility', 'visibility'],
  ] as const) {
    const tool = async (args: string[], what: string, allowFail = false) => {
      // The password in the environment (SQL_PASSWORD), not on a command line other users can read.
      const result = await runStreaming(layout.sqlToolBin, [...base, '--db', db, ...args], {
        env: { ...process.env, SQL_PASSWORD: password },
      });
      if (result.code !== 0 && !allowFail)
        throw new UserError(`temporal-sql-tool ${what} (${db}) failed:\n${result.tail.join('\n')}`);
      return result.code === 0;
    };
    // create-database fails when it exists; setup-schema -v 0.0 is a no-op on an existing schema.
    await tool(['create-database'], 'create-database', true);
    await tool(['setup-schema', '-v', '0.0'], 'setup-schema');
    await tool(['update-schema', '-d', path.join(layout.schemaDir, dir, 'versioned')], 'update-schema');
    progress(`PostgreSQL database ${db}: schema up to date`);
  }
}

export function clusterServerPid(layout: ClusterLayout): number | undefined {
  return ownedPid(layout.serverPidFile, layout.serverRoot);
}

export function clusterUiPid(layout: ClusterLayout): number | undefined {
  return ownedPid(layout.uiPidFile, layout.uiRoot);
}

/** Registers the namespace and MedAction's search attributes, which a new cluster lacks (the dev server takes flags). */
async function registerNamespaceAndAttributes(config: Config, timeoutMs: number, serverAlive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let connection: Connection | undefined;
  for (;;) {
    try {
      connection = await Connection.connect({ ...temporalConnectionOptions(config), connectTimeout: 2000 });
      await connection.workflowService.getSystemInfo({});
      break;
    } catch (error) {
      await connection?.close();
      connection = undefined;
      if (!serverAlive()) throw new UserError('the Temporal server exited during start-up');
      if (Date.now() > deadline)
        throw new UserError(`the Temporal server does not answer on ${config.temporal.address}: ${(error as Error).message}`);
      await sleep(500);
    }
  }
  try {
    const namespace = config.temporal.namespace;
    try {
      await connection.workflowService.describeNamespace({ namespace });
    } catch {
      await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('7 days') });
    }
    const TYPES: Record<string, number> = { TEXT: 1, KEYWORD: 2, INT: 3, DOUBLE: 4, BOOL: 5, DATETIME: 6, KEYWORD_LIST: 7 };
    // A namespace just registered takes a moment to reach every service: retry until it is there.
    for (;;) {
      try {
        const existing = await connection.operatorService.listSearchAttributes({ namespace });
        const missing = MEDACTION_SEARCH_ATTRIBUTES.filter((a) => !(a.name in (existing.customAttributes ?? {})));
        if (missing.length > 0) {
          await connection.operatorService.addSearchAttributes({
            namespace,
            searchAttributes: Object.fromEntries(missing.map((a) => [a.name, TYPES[a.type] as number])),
          });
        }
        return;
      } catch (error) {
        if (Date.now() > deadline)
          throw new UserError(`registering MedAction's search attributes failed: ${(error as Error).message}`);
        await sleep(1000);
      }
    }
  } finally {
    await connection.close();
  }
}

/** Starts PostgreSQL, sets up the schemas, starts the server and the UI server, registers namespace and attributes. */
export async function startCluster(config: Config, progress: Progress): Promise<void> {
  const layout = clusterLayout(config);
  if (initPostgres(layout.postgres) === 'created') progress(`created a PostgreSQL cluster in ${layout.postgres.dataDir}`);
  progress(`starting PostgreSQL on 127.0.0.1:${layout.postgres.port}; log ${layout.postgres.log}`);
  await startPostgres(layout.postgres);
  await setupSchemas(layout, progress);
  fs.mkdirSync(path.join(layout.serverRoot, 'config'), { recursive: true });
  fs.mkdirSync(path.dirname(layout.serverLog), { recursive: true });
  fs.mkdirSync(path.dirname(layout.serverPidFile), { recursive: true });
  fs.writeFileSync(path.join(layout.serverRoot, 'config', 'development.yaml'), clusterServerConfig(config, layout), {
    mode: 0o600,
  });
  if (clusterServerPid(layout) === undefined) {
    progress(`starting the Temporal server ${TEMPORAL_SERVER_VERSION} on ${config.temporal.address}; log ${layout.serverLog}`);
    const pid = spawnDetached(
      layout.serverBin,
      ['--root', layout.serverRoot, '--config', 'config', '--env', 'development', '--allow-no-auth', 'start'],
      layout.serverLog,
    );
    fs.writeFileSync(layout.serverPidFile, `${pid}\n`);
  }
  try {
    await registerNamespaceAndAttributes(
      config,
      config.services.startTimeoutSeconds * 1000,
      () => clusterServerPid(layout) !== undefined,
    );
  } catch (error) {
    throw new UserError(`${(error as Error).message}\nLog: ${layout.serverLog}\n${lastLines(layout.serverLog).join('\n')}`);
  }
  fs.mkdirSync(path.join(layout.uiRoot, 'config'), { recursive: true });
  fs.writeFileSync(path.join(layout.uiRoot, 'config', 'development.yaml'), clusterUiConfig(config));
  if (clusterUiPid(layout) === undefined) {
    progress(`starting the Temporal UI server ${TEMPORAL_UI_SERVER_VERSION} at ${config.temporal.uiUrl}; log ${layout.uiLog}`);
    const pid = spawnDetached(
      layout.uiBin,
      ['--root', layout.uiRoot, '--config', 'config', '--env', 'development', 'start'],
      layout.uiLog,
    );
    fs.writeFileSync(layout.uiPidFile, `${pid}\n`);
  }
}

export async function stopCluster(config: Config): Promise<{ ui: string; server: string; postgres: string }> {
  const layout = clusterLayout(config);
  const stop = async (pid: number | undefined, pidFile: string) => {
    if (pid === undefined) return 'not running';
    const how = await stopProcess(pid, 60_000);
    fs.rmSync(pidFile, { force: true });
    return how;
  };
  const ui = await stop(clusterUiPid(layout), layout.uiPidFile);
  const server = await stop(clusterServerPid(layout), layout.serverPidFile);
  const postgres = postgresPid(layout.postgres) === undefined ? 'not running' : stopPostgres(layout.postgres);
  return { ui, server, postgres };
}
