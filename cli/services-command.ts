import { Command, Option } from 'commander';
import type { Config } from '../config';
import { servicesDown, servicesStatus, servicesUp, type ServicesStatus } from '../services/manager';
import { configFor } from './context';
import { emit, progressLine } from './output';

function describeStatus(s: ServicesStatus): string {
  const t = s.temporal;
  const n = s.neo4j;
  const state = (up: boolean) => (up ? 'up  ' : 'DOWN');
  const owner = (managed: boolean, pid: number | null) =>
    managed ? (pid !== null ? `pid ${pid}` : 'local, not started by medaction') : 'remote';
  return [
    `Temporal  ${state(t.up)}  ${t.deployment === 'cluster' ? 'cluster (server on PostgreSQL + UI server)  ' : t.deployment === 'dev' ? 'dev server  ' : ''}${t.address}  UI ${t.ui}${t.up ? '' : ` (gRPC ${t.grpcUp ? 'up' : 'down'}, UI ${t.uiUp ? 'up' : 'down'})`}  [${owner(t.managed, t.pid)}${t.log ? `, log ${t.log}` : ''}]`,
    `Neo4j     ${state(n.up)}  ${n.uri}${n.version ? `  ${n.version}` : ''}  [${owner(n.managed, n.pid)}${n.log ? `, log ${n.log}` : ''}]`,
    ...[t.up ? undefined : t.error, n.up ? undefined : n.error].filter((e): e is string => Boolean(e)).map((e) => `  ${e}`),
  ].join('\n');
}

const temporalOption = () =>
  new Option('--temporal <dev|cluster>', 'which local Temporal: the dev server (default) or a cluster on PostgreSQL').choices([
    'dev',
    'cluster',
  ]);

/** The configuration with `--temporal` applied (the config file's or MEDACTION_TEMPORAL_SERVER otherwise). */
function withTemporal(config: Config, temporal: 'dev' | 'cluster' | undefined): Config {
  return temporal === undefined ? config : { ...config, services: { ...config.services, temporal } };
}

export function servicesCommand(): Command {
  const services = new Command('services').description('install, start, stop and check the local Temporal dev server and Neo4j');

  services
    .command('up')
    .description(
      'install the servers if missing, start them in the background, and wait until they answer (a no-op when they already run)',
    )
    .addOption(temporalOption())
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean; temporal?: 'dev' | 'cluster' }, command: Command) => {
      const config = withTemporal(configFor(command), opts.temporal);
      const result = await servicesUp(config, progressLine);
      emit(Boolean(opts.json), result, (r) =>
        [
          describeStatus(r),
          `${r.started.temporal || r.started.neo4j ? 'started' : 'already running'} in ${r.seconds.toFixed(1)} s` +
            (r.installed.temporal || r.installed.neo4j ? ' (including installation)' : ''),
          `Temporal Web UI: ${r.temporal.ui}`,
        ].join('\n'),
      );
    });

  services
    .command('down')
    .description('stop the servers that `services up` started (their data is kept)')
    .addOption(temporalOption())
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean; temporal?: 'dev' | 'cluster' }, command: Command) => {
      const result = await servicesDown(withTemporal(configFor(command), opts.temporal));
      emit(Boolean(opts.json), result, (r) => `Temporal: ${r.temporal}\nNeo4j: ${r.neo4j}`);
    });

  services
    .command('status')
    .description('check whether Temporal (gRPC and Web UI) and Neo4j (Bolt) answer')
    .addOption(temporalOption())
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean; temporal?: 'dev' | 'cluster' }, command: Command) => {
      emit(Boolean(opts.json), await servicesStatus(withTemporal(configFor(command), opts.temporal)), describeStatus);
    });

  return services;
}
