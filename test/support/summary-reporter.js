/**
 * Prints one plain closing line, `tests: N passed, N failed` (plus skipped), after Jest's own
 * summary, so CI logs end with a count any tool can read. Jest prints its summary after the
 * reporters' onRunComplete, hence the exit hook.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `tests: ${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`;
    process.once('exit', () => process.stderr.write(line));
  }
}
module.exports = SummaryReporter;
