import { Runtime, DefaultLogger, type LogLevel } from '@temporalio/worker';
import type { Command } from 'commander';
import { type Config, loadConfig } from '../config';

/** The configuration for a command, honouring the global --config option. */
export function configFor(command: Command): Config {
  const globals = command.optsWithGlobals<{ config?: string }>();
  return loadConfig(globals.config ? { configFile: globals.config } : {});
}

let runtimeInstalled = false;

/** Sets the Temporal worker runtime's log level once per process (before any worker is created). */
export function installWorkerRuntime(level: LogLevel): void {
  if (runtimeInstalled) return;
  Runtime.install({ logger: new DefaultLogger(level) });
  runtimeInstalled = true;
}
