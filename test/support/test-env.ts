import path from 'node:path';
import { type Config, loadConfig } from '../../config';
import { PROJECT_ROOT } from '../../config/project-root';

/**
 * The integration tests' own services: a separate state folder and ports, so `npm test` never touches
 * the data of services a user started with `medaction services up`. Installed tools are shared.
 */
export const TEST_STATE_DIR = path.join(PROJECT_ROOT, '.medaction', 'test-services');

export const TEST_ENV: Record<string, string> = {
  MEDACTION_STATE_DIR: TEST_STATE_DIR,
  MEDACTION_TEMPORAL_ADDRESS: '127.0.0.1:17233',
  MEDACTION_TEMPORAL_UI_URL: 'http://127.0.0.1:18233',
  MEDACTION_TEMPORAL_NAMESPACE: 'default',
  MEDACTION_NEO4J_URI: 'bolt://127.0.0.1:17687',
  MEDACTION_NEO4J_PASSWORD: 'medaction-test-password',
  MEDACTION_NEO4J_HEAP: '768m',
  MEDACTION_NEO4J_PAGECACHE: '256m',
  MEDACTION_TASK_QUEUE: 'medaction-test',
  MEDACTION_KG_TASK_QUEUE: 'medaction-test-kg',
  MEDACTION_LLM_TASK_QUEUE: 'medaction-test-llm',
  MEDACTION_LOCAL_LLM_PORT: '18088',
};

/** Why the local LLM server could not be set up (written by global setup; absent when it is up). */
export const LOCAL_LLM_UNAVAILABLE_FILE = path.join(TEST_STATE_DIR, 'local-llm-unavailable.txt');

/** Environment for a child `medaction` process pointed at the test services. */
export function testProcessEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...TEST_ENV, ...extra };
  delete env.MEDACTION_CONFIG;
  return env;
}

export function testConfig(extra: Record<string, string> = {}): Config {
  return loadConfig({ env: testProcessEnv(extra) });
}

/** The workflow bundle that global setup builds once per test run. */
export const WORKFLOW_BUNDLE_PATH = path.join(TEST_STATE_DIR, 'workflow-bundle.js');
