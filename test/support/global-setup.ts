import fs from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { ensureChromium } from '../../services/chromium';
import { servicesUp } from '../../services/manager';
import { testConfig, WORKFLOW_BUNDLE_PATH } from './test-env';

/** Starts the test services (installing them on a fresh machine) and bundles the workflow code once. */
export default async function globalSetup(): Promise<void> {
  const log = (line: string) => process.stderr.write(`[services] ${line}\n`);
  const up = await servicesUp(testConfig(), log);
  log(`Temporal ${up.temporal.address} and Neo4j ${up.neo4j.uri} up in ${up.seconds.toFixed(1)} s`);
  // The HTML report's screenshot test needs a headless Chromium (Debian's package on a fresh machine).
  log(`Chromium: ${await ensureChromium((line) => log(line))}`);
  const started = Date.now();
  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quietLogger });
  fs.writeFileSync(WORKFLOW_BUNDLE_PATH, bundle.code);
  log(`workflow bundle built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
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
