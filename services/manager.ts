import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config';
import { UserError } from '../core/errors';
import { installServices } from './install';
import { serviceLayout, type ServiceLayout } from './layout';
import { neo4jIsLocal, neo4jPid, probeNeo4j, startNeo4j } from './neo4j-server';
import { isAlive, lastLines, type Progress, stopProcess } from './process';
import { postgresPid } from './postgres-server';
import { clusterLayout, clusterServerPid, installCluster, startCluster, stopCluster } from './temporal-cluster';
import { probeTemporal, startTemporalDevServer, temporalIsLocal, temporalPid } from './temporal-server';

/**
 * `medaction services up | down | status`: the local Temporal dev server and Neo4j, installed on
 * first use, started in the background, checked until they answer. Servers configured at a remote
 * address are only probed, never started or stopped.
 */

export interface TemporalStatus {
  up: boolean;
  /** Which local Temporal: the CLI's dev server, or the cluster (server on PostgreSQL + UI server); null when remote. */
  deployment: 'dev' | 'cluster' | null;
  address: string;
  ui: string;
  grpcUp: boolean;
  uiUp: boolean;
  /** True when the address is local, so `services up/down` manage this server. */
  managed: boolean;
  pid: number | null;
  log: string | null;
  error?: string;
}

export interface Neo4jStatus {
  up: boolean;
  uri: string;
  managed: boolean;
  pid: number | null;
  log: string | null;
  version?: string;
  error?: string;
  /** Neo4j answered but refused the configured credentials: waiting will not help. */
  authFailed?: boolean;
}

export interface ServicesStatus {
  temporal: TemporalStatus;
  neo4j: Neo4jStatus;
}

/**
 * The local Temporal `services` manages: the configured one, or the cluster when its server or its
 * PostgreSQL is running (so `status` and `down` find a cluster that `up --temporal cluster` started,
 * even one whose server died).
 */
export function localTemporalDeployment(config: Config): 'dev' | 'cluster' {
  const cluster = clusterLayout(config);
  const running = clusterServerPid(cluster) !== undefined || postgresPid(cluster.postgres) !== undefined;
  return config.services.temporal === 'cluster' || running ? 'cluster' : 'dev';
}

export async function servicesStatus(config: Config, probeTimeoutMs = 3000): Promise<ServicesStatus> {
  const layout = serviceLayout(config);
  const cluster = clusterLayout(config);
  const deployment = localTemporalDeployment(config);
  const [t, n] = await Promise.all([probeTemporal(config, probeTimeoutMs), probeNeo4j(config, probeTimeoutMs)]);
  const tLocal = temporalIsLocal(config);
  const nLocal = neo4jIsLocal(config);
  return {
    temporal: {
      up: t.grpc && t.ui,
      address: config.temporal.address,
      ui: config.temporal.uiUrl,
      grpcUp: t.grpc,
      uiUp: t.ui,
      managed: tLocal,
      deployment: tLocal ? deployment : null,
      pid: tLocal ? ((deployment === 'cluster' ? clusterServerPid(cluster) : temporalPid(layout)) ?? null) : null,
      log: tLocal ? (deployment === 'cluster' ? cluster.serverLog : layout.temporalLog) : null,
      ...(t.error ? { error: t.error } : {}),
    },
    neo4j: {
      up: n.bolt,
      uri: config.neo4j.uri,
      managed: nLocal,
      pid: nLocal ? (neo4jPid(layout) ?? null) : null,
      log: nLocal ? layout.neo4jLog : null,
      ...(n.version ? { version: n.version } : {}),
      ...(n.error ? { error: n.error } : {}),
      ...(n.authFailed ? { authFailed: true } : {}),
    },
  };
}

export interface UpResult extends ServicesStatus {
  started: { temporal: boolean; neo4j: boolean };
  installed: { temporal: boolean; neo4j: boolean };
  seconds: number;
}

export async function servicesUp(config: Config, progress: Progress = () => undefined): Promise<UpResult> {
  const began = Date.now();
  const layout = serviceLayout(config);
  const before = await servicesStatus(config, 1500);
  const needTemporal = before.temporal.managed && !before.temporal.up && before.temporal.pid === null;
  const needNeo4j = before.neo4j.managed && !before.neo4j.up && before.neo4j.pid === null;

  const cluster = localTemporalDeployment(config) === 'cluster';
  const installed = await installServices(layout, progress, { temporal: needTemporal && !cluster, neo4j: needNeo4j });
  if (needTemporal && cluster) {
    if ((await installCluster(config, progress)) === 'installed') installed.temporal = 'installed';
    await startCluster(config, progress);
  } else if (needTemporal) {
    progress(
      `starting Temporal dev server on ${config.temporal.address} (UI ${config.temporal.uiUrl}); log ${layout.temporalLog}`,
    );
    startTemporalDevServer(config, layout);
  }
  if (needNeo4j) {
    progress(`starting Neo4j on ${config.neo4j.uri}; log ${layout.neo4jLog}`);
    await startNeo4j(config, layout);
  }
  const status = await waitUntilUp(config, layout, progress);
  return {
    ...status,
    started: { temporal: needTemporal, neo4j: needNeo4j },
    installed: { temporal: installed.temporal === 'installed', neo4j: installed.neo4j === 'installed' },
    seconds: (Date.now() - began) / 1000,
  };
}

async function waitUntilUp(config: Config, layout: ServiceLayout, progress: Progress): Promise<ServicesStatus> {
  const deadline = Date.now() + config.services.startTimeoutSeconds * 1000;
  let announced = false;
  for (;;) {
    const status = await servicesStatus(config, 2000);
    if (status.temporal.up && status.neo4j.up) return status;

    const failure = startFailure(status, layout);
    if (failure) throw new UserError(failure);
    if (Date.now() > deadline) {
      throw new UserError(
        [
          `Timed out after ${config.services.startTimeoutSeconds} s waiting for the services:`,
          ...describeDown(status),
          '(raise MEDACTION_START_TIMEOUT_S on a slow machine)',
        ].join('\n'),
      );
    }
    if (!announced) {
      progress('waiting for the servers to answer…');
      announced = true;
    }
    await sleep(500);
  }
}

/** A reason to stop waiting: a managed server whose process died, or credentials Neo4j refuses. */
function startFailure(status: ServicesStatus, layout: ServiceLayout): string | undefined {
  if (status.temporal.managed && !status.temporal.up && status.temporal.pid === null) {
    const log = status.temporal.log ?? layout.temporalLog;
    const which = status.temporal.deployment === 'cluster' ? 'The Temporal server' : 'The Temporal dev server';
    return `${which} exited during start-up (${status.temporal.error ?? 'no answer'}). Log: ${log}\n${lastLines(log).join('\n')}`;
  }
  if (status.neo4j.managed && !status.neo4j.up && status.neo4j.pid === null) {
    return `Neo4j exited during start-up (${status.neo4j.error ?? 'no answer'}). Log: ${layout.neo4jLog}\n${lastLines(layout.neo4jLog).join('\n')}`;
  }
  if (status.neo4j.authFailed) return status.neo4j.error;
  if (!status.temporal.managed && !status.temporal.up)
    return `Temporal (remote, not managed here) does not answer: ${status.temporal.error}`;
  if (!status.neo4j.managed && !status.neo4j.up) return `Neo4j (remote, not managed here) does not answer: ${status.neo4j.error}`;
  return undefined;
}

function describeDown(status: ServicesStatus): string[] {
  const lines: string[] = [];
  if (!status.temporal.up)
    lines.push(
      `  - Temporal ${status.temporal.address}: ${status.temporal.error ?? 'not answering'} (log ${status.temporal.log ?? 'n/a'})`,
    );
  if (!status.neo4j.up)
    lines.push(`  - Neo4j ${status.neo4j.uri}: ${status.neo4j.error ?? 'not answering'} (log ${status.neo4j.log ?? 'n/a'})`);
  return lines;
}

export interface DownResult {
  temporal: 'stopped' | 'killed' | 'not running' | 'not managed';
  neo4j: 'stopped' | 'killed' | 'not running' | 'not managed';
}

/** Stops the servers that `up` started in this state folder (by pid file), and nothing else. */
export async function servicesDown(config: Config): Promise<DownResult> {
  const layout = serviceLayout(config);
  const stop = async (managed: boolean, pid: number | undefined, pidFile: string) => {
    if (!managed) return 'not managed' as const;
    if (pid === undefined) return 'not running' as const;
    const how = await stopProcess(pid, 60_000);
    if (!isAlive(pid)) fs.rmSync(pidFile, { force: true });
    return how;
  };
  const stopTemporal = async () => {
    if (!temporalIsLocal(config)) return 'not managed' as const;
    if (localTemporalDeployment(config) === 'dev') return stop(true, temporalPid(layout), layout.temporalPidFile);
    const { server } = await stopCluster(config);
    return server as DownResult['temporal'];
  };
  const [temporal, neo4j] = await Promise.all([
    stopTemporal(),
    stop(neo4jIsLocal(config), neo4jPid(layout), layout.neo4jPidFile),
  ]);
  return { temporal, neo4j };
}
