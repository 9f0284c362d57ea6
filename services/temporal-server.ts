import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { Config } from '../config';
import { temporalConnectionOptions } from '../clients/temporal';
import { MEDACTION_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { isLoopback, parseHostPort, parseUrlHostPort } from './address';
import type { ServiceLayout } from './layout';
import { ownedPid, spawnDetached } from './process';

/** The Temporal CLI's names for search attribute types (`--search-attribute KEY=Type`). */
const CLI_TYPE_NAMES: Record<string, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

export function temporalIsLocal(config: Config): boolean {
  return isLoopback(parseHostPort(config.temporal.address).host);
}

/** Arguments of `temporal server start-dev` for this configuration (pure, unit-tested). */
export function temporalDevServerArgs(config: Config, layout: ServiceLayout): string[] {
  const { host, port } = parseHostPort(config.temporal.address);
  const ui = parseUrlHostPort(config.temporal.uiUrl, port + 1000);
  const args = [
    'server',
    'start-dev',
    '--db-filename',
    layout.temporalDbFile,
    '--ip',
    host,
    '--port',
    String(port),
    '--ui-ip',
    ui.host,
    '--ui-port',
    String(ui.port),
    // WAL + synchronous=NORMAL: the SQLite defaults fsync every transaction and cap throughput.
    '--sqlite-pragma',
    'journal_mode=wal',
    '--sqlite-pragma',
    'synchronous=normal',
    '--log-level',
    'warn',
  ];
  if (config.temporal.namespace !== 'default') args.push('--namespace', config.temporal.namespace);
  for (const attr of MEDACTION_SEARCH_ATTRIBUTES) {
    args.push('--search-attribute', `${attr.name}=${CLI_TYPE_NAMES[attr.type]}`);
  }
  return args;
}

export function startTemporalDevServer(config: Config, layout: ServiceLayout): number {
  fs.mkdirSync(path.dirname(layout.temporalDbFile), { recursive: true });
  fs.mkdirSync(layout.logsDir, { recursive: true });
  fs.mkdirSync(layout.runDir, { recursive: true });
  const pid = spawnDetached(layout.temporalBin, temporalDevServerArgs(config, layout), layout.temporalLog);
  fs.writeFileSync(layout.temporalPidFile, `${pid}\n`);
  return pid;
}

/** Our dev server's pid, if the pid file names a live process serving this state folder's database. */
export function temporalPid(layout: ServiceLayout): number | undefined {
  return ownedPid(layout.temporalPidFile, layout.temporalDbFile);
}

export interface TemporalProbe {
  grpc: boolean;
  ui: boolean;
  error?: string;
}

/** Does the frontend answer gRPC (and know our namespace), and does the Web UI answer HTTP 200? */
export async function probeTemporal(config: Config, timeoutMs = 3000): Promise<TemporalProbe> {
  const [grpc, ui] = await Promise.all([probeGrpc(config, timeoutMs), probeUi(config.temporal.uiUrl, timeoutMs)]);
  const error = grpc.error ?? ui.error;
  return { grpc: grpc.ok, ui: ui.ok, ...(error ? { error } : {}) };
}

async function probeGrpc(config: Config, timeoutMs: number): Promise<{ ok: boolean; error?: string }> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ ...temporalConnectionOptions(config), connectTimeout: timeoutMs });
    await connection.workflowService.describeNamespace({ namespace: config.temporal.namespace });
    return { ok: true };
  } catch (error) {
    return { ok: false, error: `gRPC ${config.temporal.address}: ${(error as Error).message.split('\n')[0]}` };
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

async function probeUi(url: string, timeoutMs: number): Promise<{ ok: boolean; error?: string }> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return response.status === 200 ? { ok: true } : { ok: false, error: `UI ${url}: HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, error: `UI ${url}: ${(error as Error).message}` };
  }
}
