import type { SerializedError } from 'vitest';
import type { Reporter, TestModule, TestRunEndReason, TestSuite, Vitest } from 'vitest/node';

export interface RunCounts {
  passed: number;
  failed: number;
  skipped: number;
}

/**
 * Counts test cases over every module of every project. A failure that belongs to no test case
 * (a module that did not load, a failing beforeAll, an unhandled error, a run that failed for
 * another reason) still counts as one failure, so the line never reads "0 failed" on a red run.
 */
export function countRun(
  testModules: ReadonlyArray<TestModule>,
  unhandledErrors: ReadonlyArray<SerializedError>,
  reason: TestRunEndReason,
): RunCounts {
  const counts: RunCounts = { passed: 0, failed: 0, skipped: 0 };
  for (const testModule of testModules) countSuite(testModule, counts);
  counts.failed += unhandledErrors.length;
  if (reason !== 'passed' && counts.failed === 0) counts.failed = 1;
  return counts;
}

/** Adds a module's or suite's test cases to counts; one failure if it failed with no failed test. */
function countSuite(suite: TestModule | TestSuite, counts: RunCounts): void {
  const failedBefore = counts.failed;
  for (const child of suite.children) {
    if (child.type === 'suite') {
      countSuite(child, counts);
      continue;
    }
    const state = child.result().state;
    if (state === 'passed') counts.passed += 1;
    else if (state === 'failed') counts.failed += 1;
    else counts.skipped += 1; // skipped, todo, or never reached (pending)
  }
  const suiteFailed = suite.state() === 'failed' || suite.errors().length > 0;
  if (suiteFailed && counts.failed === failedBefore) counts.failed += 1;
}

export function summaryLine({ passed, failed, skipped }: RunCounts): string {
  return `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
}

/** Prints `N passed, M failed[, K skipped]` as the last line of a run, for CI to read. */
export class SummaryReporter implements Reporter {
  private vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
    reason: TestRunEndReason,
  ): void {
    const line = summaryLine(countRun(testModules, unhandledErrors, reason));
    if (this.vitest) this.vitest.logger.log(line);
    else process.stdout.write(`${line}\n`);
  }
}
