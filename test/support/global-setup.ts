import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { ensureChromium } from '../../services/chromium';
import { llmServerUp } from '../../services/llm-server';
import { servicesUp } from '../../services/manager';
import { LOCAL_LLM_UNAVAILABLE_FILE, testConfig, WORKFLOW_BUNDLE_PATH } from './test-env';

/** Starts the test services (installing them on a fresh machine) and bundles the workflow code once. */
export default async function globalSetup(): Promise<void> {
  const log = (line: string) => process.stderr.write(`[services] ${line}\n`);
  const up = await servicesUp(testConfig(), log);
  log(`Temporal ${up.temporal.address} and Neo4j ${up.neo4j.uri} up in ${up.seconds.toFixed(1)} s`);
  // The HTML report's screenshot test needs a headless Chromium (Debian's package on a fresh machine).
  log(`Chromium: ${await ensureChromium((line) => log(line))}`);
  await startLocalLlm(log);
  const started = Date.now();
  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quietLogger });
  fs.writeFileSync(WORKFLOW_BUNDLE_PATH, bundle.code);
  log(`workflow bundle built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * The real LLM server of the local-LLM tests (installed on a fresh machine: pip builds llama.cpp, 10-25
 * minutes on 2 cores). Where it cannot be installed, the reason is written down and those tests say so.
 */
async function startLocalLlm(log: (line: string) => void): Promise<void> {
  fs.rmSync(LOCAL_LLM_UNAVAILABLE_FILE, { force: true });
  try {
    let lastLine = 0;
    const up = await llmServerUp(testConfig(), (line) => {
      // pip is chatty: its lines at most every 30 s.
      if (!line.startsWith('pip:') || Date.now() - lastLine > 30_000) {
        lastLine = Date.now();
        log(`[llm] ${line}`);
      }
    });
    log(`local LLM server ${up.url} (${up.models.join(', ')}) up in ${up.seconds.toFixed(1)} s`);
  } catch (error) {
    fs.mkdirSync(path.dirname(LOCAL_LLM_UNAVAILABLE_FILE), { recursive: true });
    fs.writeFileSync(LOCAL_LLM_UNAVAILABLE_FILE, (error as Error).message);
    log(`local LLM server unavailable: ${(error as Error).message.split('\n')[0]}`);
  }
}

const noop = () => undefined;
const quietLogger = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: (m: string) => process.stderr.write(`${m}\n`),
  log: noop,
};
