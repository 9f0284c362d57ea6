import fs from 'node:fs';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import type { Config } from '../config';
import { UserError } from '../core/errors';
import { dataConverterFor } from './payload-codec';

/**
 * Connection settings shared by the client (CLI) and the worker's NativeConnection: a local dev
 * server needs none of the TLS options; Temporal Cloud takes an API key (TLS implied) or mTLS
 * certificate files.
 */
export interface TemporalConnectionSettings {
  address: string;
  tls?: ConnectionOptions['tls'];
  apiKey?: string;
  metadata?: Record<string, string>;
}

export function temporalConnectionOptions(config: Config): TemporalConnectionSettings {
  const t = config.temporal;
  const mtls =
    t.tlsCertPath && t.tlsKeyPath
      ? {
          clientCertPair: {
            crt: readFile(t.tlsCertPath, 'temporal.tlsCertPath'),
            key: readFile(t.tlsKeyPath, 'temporal.tlsKeyPath'),
          },
        }
      : undefined;
  const tls = mtls ?? (t.tls || t.apiKey !== undefined ? true : undefined);
  return {
    address: t.address,
    ...(tls !== undefined ? { tls } : {}),
    ...(t.apiKey ? { apiKey: t.apiKey.reveal(), metadata: { 'temporal-namespace': t.namespace } } : {}),
  };
}

function readFile(file: string, setting: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new UserError(`${setting}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? error})`, 2);
  }
}

/** Connects the client, turning an unreachable server into one clear message. */
export async function connectTemporalClient(config: Config, connectTimeoutMs = 10_000): Promise<Client> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...temporalConnectionOptions(config), connectTimeout: connectTimeoutMs });
  } catch (error) {
    throw new UserError(
      `Temporal at ${config.temporal.address} is unreachable (${(error as Error).message.split('\n')[0]}). ` +
        'Start the local services with `npx medaction services up`, or set MEDACTION_TEMPORAL_ADDRESS.',
    );
  }
  const dataConverter = dataConverterFor(config);
  return new Client({ connection, namespace: config.temporal.namespace, ...(dataConverter ? { dataConverter } : {}) });
}

/** A link into the Temporal Web UI for one workflow execution. */
export function workflowUiLink(config: Config, workflowId: string, runId?: string): string {
  const base = config.temporal.uiUrl.replace(/\/+$/, '');
  const ns = encodeURIComponent(config.temporal.namespace);
  const id = encodeURIComponent(workflowId);
  return runId
    ? `${base}/namespaces/${ns}/workflows/${id}/${encodeURIComponent(runId)}/history`
    : `${base}/namespaces/${ns}/workflows/${id}`;
}
