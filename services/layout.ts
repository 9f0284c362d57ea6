import path from 'node:path';
import type { Config } from '../config';
import { NEO4J_VERSION, TEMPORAL_CLI_VERSION } from './versions';

/** Where the local services' files live: installed tools (shared) and per-state-folder data, logs, pids. */
export interface ServiceLayout {
  temporalBin: string;
  temporalInstallDir: string;
  neo4jLibDir: string;
  neo4jInstallDir: string;
  stateDir: string;
  logsDir: string;
  runDir: string;
  temporalDbFile: string;
  temporalLog: string;
  temporalPidFile: string;
  neo4jHome: string;
  neo4jConfDir: string;
  neo4jLog: string;
  neo4jPidFile: string;
  neo4jStdoutLog: string;
}

export function serviceLayout(config: Config): ServiceLayout {
  const { toolsDir, stateDir } = config.services;
  const temporalInstallDir = path.join(toolsDir, `temporal-cli-${TEMPORAL_CLI_VERSION}`);
  const neo4jInstallDir = path.join(toolsDir, `neo4j-${NEO4J_VERSION}`);
  const logsDir = path.join(stateDir, 'logs');
  const runDir = path.join(stateDir, 'run');
  const neo4jHome = path.join(stateDir, 'neo4j');
  return {
    temporalInstallDir,
    temporalBin: path.join(temporalInstallDir, 'bin', 'temporal'),
    neo4jInstallDir,
    neo4jLibDir: path.join(neo4jInstallDir, 'lib'),
    stateDir,
    logsDir,
    runDir,
    temporalDbFile: path.join(stateDir, 'temporal', 'temporal.db'),
    temporalLog: path.join(logsDir, 'temporal.log'),
    temporalPidFile: path.join(runDir, 'temporal.pid'),
    neo4jHome,
    neo4jConfDir: path.join(neo4jHome, 'conf'),
    // Neo4j writes its own logs and pid file under its home.
    neo4jLog: path.join(neo4jHome, 'logs', 'neo4j.log'),
    neo4jPidFile: path.join(neo4jHome, 'run', 'neo4j.pid'),
    neo4jStdoutLog: path.join(logsDir, 'neo4j-launcher.log'),
  };
}
