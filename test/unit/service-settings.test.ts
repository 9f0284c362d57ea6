import { workflowUiLink } from '../../clients/temporal';
import { loadConfig } from '../../config';
import { isLoopback, parseHostPort } from '../../services/address';
import { serviceLayout } from '../../services/layout';
import { neo4jConf, neo4jIsLocal } from '../../services/neo4j-server';
import {
  clusterLayout,
  clusterPorts,
  clusterServerConfig,
  clusterUiConfig,
  membershipPort,
} from '../../services/temporal-cluster';
import { temporalDevServerArgs, temporalIsLocal } from '../../services/temporal-server';

const config = loadConfig({
  env: {
    MEDACTION_STATE_DIR: '/srv/medaction/state',
    MEDACTION_TOOLS_DIR: '/srv/medaction/tools',
    MEDACTION_TEMPORAL_ADDRESS: '127.0.0.1:17233',
    MEDACTION_TEMPORAL_UI_URL: 'http://127.0.0.1:18233',
    MEDACTION_TEMPORAL_NAMESPACE: 'medaction',
    MEDACTION_NEO4J_URI: 'bolt://localhost:17687',
    MEDACTION_NEO4J_HEAP: '2g',
  },
});
const layout = serviceLayout(config);

function flagValues(args: string[], flag: string): string[] {
  return args.flatMap((arg, i) => (arg === flag ? [args[i + 1] as string] : []));
}

describe('Temporal dev server arguments', () => {
  const args = temporalDevServerArgs(config, layout);

  it('serves the configured address and UI port from a persistent SQLite file in the state folder', () => {
    expect(args.slice(0, 2)).toEqual(['server', 'start-dev']);
    expect(flagValues(args, '--ip')).toEqual(['127.0.0.1']);
    expect(flagValues(args, '--port')).toEqual(['17233']);
    expect(flagValues(args, '--ui-port')).toEqual(['18233']);
    expect(flagValues(args, '--db-filename')).toEqual(['/srv/medaction/state/temporal/temporal.db']);
    expect(flagValues(args, '--namespace')).toEqual(['medaction']);
  });

  it('registers the search attributes the workflows set, with the CLI type names', () => {
    expect(flagValues(args, '--search-attribute')).toEqual([
      'BuildId=Keyword',
      'CaseId=Keyword',
      'BranchPath=Keyword',
      'CasesDone=Int',
      'CasesFailed=Int',
      'TrajectoriesKept=Int',
    ]);
  });

  it('tunes SQLite for throughput', () => {
    expect(flagValues(args, '--sqlite-pragma')).toEqual(['journal_mode=wal', 'synchronous=normal']);
  });
});

describe('Neo4j configuration', () => {
  const conf = neo4jConf(config, layout);

  it('listens for Bolt on the configured host and port only, with authentication on', () => {
    expect(conf).toContain('server.bolt.listen_address=localhost:17687');
    expect(conf).toContain('server.http.enabled=false');
    expect(conf).toContain('dbms.security.auth_enabled=true');
  });

  it('uses the shared jars and the configured memory', () => {
    expect(conf).toContain('server.directories.lib=/srv/medaction/tools/neo4j-5.26.25/lib');
    expect(conf).toContain('server.memory.heap.max_size=2g');
  });
});

describe('local or remote', () => {
  it('manages loopback servers only', () => {
    expect(temporalIsLocal(config)).toBe(true);
    expect(neo4jIsLocal(config)).toBe(true);
    const remote = loadConfig({
      env: { MEDACTION_TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', MEDACTION_NEO4J_URI: 'neo4j+s://abc.databases.neo4j.io' },
    });
    expect(temporalIsLocal(remote)).toBe(false);
    expect(neo4jIsLocal(remote)).toBe(false);
  });

  it('parses host:port including IPv6', () => {
    expect(parseHostPort('[::1]:7233')).toEqual({ host: '::1', port: 7233 });
    expect(isLoopback('127.0.0.2')).toBe(true);
    expect(isLoopback('10.0.0.1')).toBe(false);
  });
});

describe('workflowUiLink', () => {
  it('points into the configured namespace of the Web UI', () => {
    expect(workflowUiLink(config, 'build/b1 case#7', 'run-1')).toBe(
      'http://127.0.0.1:18233/namespaces/medaction/workflows/build%2Fb1%20case%237/run-1/history',
    );
  });
});

describe('the Temporal cluster (services up --temporal cluster)', () => {
  const cluster = loadConfig({
    env: {
      MEDACTION_STATE_DIR: '/srv/medaction/state',
      MEDACTION_TOOLS_DIR: '/srv/medaction/tools',
      MEDACTION_TEMPORAL_ADDRESS: '127.0.0.1:17233',
      MEDACTION_TEMPORAL_UI_URL: 'http://127.0.0.1:18233',
      MEDACTION_TEMPORAL_SERVER: 'cluster',
      MEDACTION_POSTGRES_PORT: '15433',
      MEDACTION_POSTGRES_PASSWORD: 'pg-secret-7',
    },
  });
  const layout = clusterLayout(cluster);

  it('runs its own PostgreSQL in the state folder on the configured port, never the system instance', () => {
    expect(cluster.services.temporal).toBe('cluster');
    expect(layout.postgres).toMatchObject({ dataDir: '/srv/medaction/state/postgres/data', port: 15433, user: 'temporal' });
    expect(() => loadConfig({ env: { MEDACTION_TEMPORAL_SERVER: 'cloud' } })).toThrow('expected dev or cluster');
  });

  it('gives the server PostgreSQL persistence and SQL visibility, its services ports beside the frontend', () => {
    const yaml = clusterServerConfig(cluster, layout);
    expect(yaml).toContain('connectAddr: "127.0.0.1:15433"');
    expect(yaml).toContain('password: "pg-secret-7"');
    expect(yaml.match(/pluginName: "postgres12"/g)).toHaveLength(2);
    expect(yaml).toContain('databaseName: "temporal_visibility"');
    expect(clusterPorts(cluster)).toEqual({
      frontend: 17233,
      history: 17234,
      matching: 17235,
      worker: 17239,
      http: 17243,
      ui: 18233,
    });
    // Every gRPC and membership port differs (membership 300 below gRPC).
    const ports = [...yaml.matchAll(/(?:grpcPort|membershipPort|httpPort): (\d+)/g)].map((m) => m[1]);
    expect(new Set(ports).size).toBe(ports.length);
    expect(clusterUiConfig(cluster)).toContain('temporalGrpcAddress: 127.0.0.1:17233\nhost: 127.0.0.1\nport: 18233');
  });

  it('keeps membership ports below 32768, which the SQL stores hold in a smallint', () => {
    expect([7233, 27233, 37233, 37239].map(membershipPort)).toEqual([6933, 26933, 20549, 20555]);
    const yaml = clusterServerConfig(loadConfig({ env: { MEDACTION_TEMPORAL_ADDRESS: '127.0.0.1:37233' } }), layout);
    const membership = [...yaml.matchAll(/membershipPort: (\d+)/g)].map((m) => Number(m[1]));
    expect(membership.every((p) => p < 32768)).toBe(true);
  });
});
