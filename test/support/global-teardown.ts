import { llmServerDown } from '../../services/llm-server';
import { servicesDown } from '../../services/manager';
import { testConfig } from './test-env';

/** Stops the test services (set MEDACTION_TEST_KEEP_SERVICES=1 to keep them for faster reruns). */
export default async function globalTeardown(): Promise<void> {
  if (process.env.MEDACTION_TEST_KEEP_SERVICES === '1') return;
  await Promise.all([servicesDown(testConfig()), llmServerDown(testConfig())]);
}
