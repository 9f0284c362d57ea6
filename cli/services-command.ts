import { Command } from 'commander';
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
    `Temporal  ${state(t.up)}  ${t.address}  UI ${t.ui}${t.up ? '' : ` (gRPC ${t.grpcUp ? 'up' : 'down'}, UI ${t.uiUp ? 'up' : 'down'})`}  [${owner(t.managed, t.pid)}${t.log ? `, log ${t.log}` : ''}]`,
    `Neo4j     ${state(n.up)}  ${n.uri}${n.version ? `  ${n.version}` : ''}  [${owner(n.managed, n.pid)}${n.log ? `, log ${n.log}` : ''}]`,
    ...[t.up ? undefined : t.error, n.up ? undefined : n.error].filter((e): e is string => Boolean(e)).map((e) => `  ${e}`),
  ].join('\n');
}

export function servicesCommand(): Command {
  const services = new Command('services').description('install, start, stop and check the local Temporal dev server and Neo4j');

  services
    .command('up')
    .description(
      'install the servers if missing, start them in the background, and wait until they answer (a no-op when they already run)',
    )
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const config = configFor(command);
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
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const result = await servicesDown(configFor(command));
      emit(Boolean(opts.json), result, (r) => `Temporal: ${r.temporal}\nNeo4j: ${r.neo4j}`);
    });

  services
    .command('status')
    .description('check whether Temporal (gRPC and Web UI) and Neo4j (Bolt) answer')
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean }, command: Command) => {
      emit(Boolean(opts.json), await servicesStatus(configFor(command)), describeStatus);
    });

  return services;
}
