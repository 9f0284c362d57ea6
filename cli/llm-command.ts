import { Command } from 'commander';
import { llmServerDown, llmServerStatus, llmServerUp, type LlmServerStatus } from '../services/llm-server';
import { configFor } from './context';
import { emit, progressLine } from './output';

function describe(s: LlmServerStatus): string {
  return [
    `LLM server  ${s.up ? 'up  ' : 'DOWN'}  ${s.url}${s.models.length ? `  models: ${s.models.join(', ')}` : ''}  ` +
      `[${s.pid !== null ? `pid ${s.pid}` : 'not started by medaction'}, log ${s.log}]`,
    ...(s.up || !s.error ? [] : [`  ${s.error}`]),
  ].join('\n');
}

export function llmCommand(): Command {
  const llm = new Command('llm').description(
    'install, start, stop and check a local OpenAI-compatible LLM server (llama.cpp, SmolLM2-135M-Instruct by default)',
  );

  llm
    .command('up')
    .description(
      'install the server if missing (the first time pip builds llama.cpp: 10-25 minutes), start it, wait until it answers, ' +
        'and print the MEDACTION_LLM_* settings to use',
    )
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const result = await llmServerUp(configFor(command), progressLine);
      emit(Boolean(opts.json), result, (r) =>
        [
          describe(r),
          `${r.started ? 'started' : 'already running'} in ${r.seconds.toFixed(1)} s${r.installed ? ' (including installation)' : ''}`,
          'Builds against it: set',
          ...Object.entries(r.settings).map(([k, v]) => `  export ${k}=${v}`),
        ].join('\n'),
      );
    });

  llm
    .command('down')
    .description('stop the server that `llm up` started')
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const server = await llmServerDown(configFor(command));
      emit(Boolean(opts.json), { server }, (r) => `LLM server: ${r.server}`);
    });

  llm
    .command('status')
    .description('check whether the local LLM server answers, and which models it serves')
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean }, command: Command) => {
      emit(Boolean(opts.json), await llmServerStatus(configFor(command)), describe);
    });

  return llm;
}
