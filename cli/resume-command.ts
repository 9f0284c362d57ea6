import { Command } from 'commander';
import { UserError } from '../core/errors';
import { runBuild } from './build-command';
import { flagsOf, readBuildManifest, resolveBuildSettings } from './resolve-settings';
import { configFor } from './context';
import { buildOutputFolder } from './status-command';

export function resumeCommand(): Command {
  return new Command('resume')
    .description('continue a build: run only its cases and branches that failed or never finished, under the same workflow ids')
    .argument('<build-id>', 'the build id')
    .option('--force', 'resume even if the configuration changed since the build started (recorded in the report)')
    .option('--detach', 'start it and return (workers started with `medaction worker` do the work)')
    .option('--no-worker', 'do not run a worker in this process')
    .option('--no-preflight', 'do not check the LLM endpoint, key and model before starting')
    .option('--json', 'print the final summary as one JSON object')
    .action(
      async (
        buildId: string,
        opts: { force?: boolean; detach?: boolean; worker: boolean; json?: boolean; preflight: boolean },
        command: Command,
      ) => {
        const config = configFor(command);
        const out = await buildOutputFolder(config, buildId);
        const manifest = readBuildManifest(out);
        if (!manifest) throw new UserError(`build ${buildId} has no manifest in ${out} (build.json): nothing to resume from`);
        // The recorded settings, with what the configuration says today for the rest: a change is refused.
        await runBuild(config, resolveBuildSettings(config, flagsOf(manifest.settings)), opts);
      },
    );
}
