import { DefaultLogger, Runtime } from '@temporalio/worker';

// Worker state changes and polling are logged at INFO; tests only want warnings and errors.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed by an earlier test file in this process.
}
