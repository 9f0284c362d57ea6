import { WorkflowFailedError } from '@temporalio/client';
import { Command, CommanderError } from 'commander';
import { buildCommand } from './cli/build-command';
import { casesCommand } from './cli/cases-command';
import { codecServerCommand } from './cli/codec-server-command';
import { envCommand } from './cli/env-command';
import { evalCommand } from './cli/eval-command';
import { exportCommand } from './cli/export-command';
import { hardsetCommand } from './cli/hardset-command';
import { scoreCommand } from './cli/score-command';
import { judgeCommand } from './cli/judge-command';
import { kgCommand } from './cli/kg-command';
import { resumeCommand } from './cli/resume-command';
import { servicesCommand } from './cli/services-command';
import { llmCommand } from './cli/llm-command';
import { smokeCommand } from './cli/smoke-command';
import { statusCommand } from './cli/status-command';
import { workerCommand } from './cli/worker-command';
import { UserError } from './core/errors';

/** The `medaction` command line. Every command has --help; every reporting command has --json. */
export function buildProgram(): Command {
  const program = new Command('medaction')
    .description('MedAction: durable synthesis of multi-turn active-diagnosis trajectories (Temporal + Neo4j)')
    .option('--config <file>', 'JSON config file (settings also come from MEDACTION_* environment variables)')
    .option('--debug', 'print stack traces of unexpected errors')
    .showHelpAfterError()
    .exitOverride();
  program.addCommand(servicesCommand());
  program.addCommand(llmCommand());
  program.addCommand(workerCommand());
  program.addCommand(smokeCommand());
  program.addCommand(buildCommand());
  program.addCommand(resumeCommand());
  program.addCommand(statusCommand());
  program.addCommand(evalCommand());
  program.addCommand(judgeCommand());
  program.addCommand(scoreCommand());
  program.addCommand(exportCommand());
  program.addCommand(hardsetCommand());
  program.addCommand(casesCommand());
  program.addCommand(kgCommand());
  program.addCommand(envCommand());
  program.addCommand(codecServerCommand());
  exitOverrideAll(program);
  return program;
}

/**
 * Commander settings are not inherited by commands built apart and added: every command throws instead
 * of exiting, so that `main` decides the exit code (and the program can run in a test's process).
 */
function exitOverrideAll(command: Command): void {
  command.exitOverride();
  for (const sub of command.commands) exitOverrideAll(sub);
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode; // commander has printed its message
    if (error instanceof UserError) {
      process.stderr.write(`medaction: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof WorkflowFailedError) {
      process.stderr.write(`medaction: ${describeCauses(error).join(': ')}\n`);
      return 1;
    }
    const debug = program.opts<{ debug?: boolean }>().debug || argv.includes('--debug');
    process.stderr.write(
      debug
        ? `medaction: unexpected error:\n${(error as Error).stack ?? String(error)}\n`
        : `medaction: unexpected error: ${(error as Error).message ?? String(error)} (rerun with --debug for details)\n`,
    );
    return 1;
  }
}

/** "Workflow execution failed: Activity task failed: <what actually went wrong>". */
function describeCauses(error: unknown): string[] {
  const messages: string[] = [];
  for (let e = error as { message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.message) messages.push(e.message.split('\n')[0] as string);
  }
  return messages;
}

if (require.main === module) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
