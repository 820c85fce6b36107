import type { Clock } from '../../lib/clock.js';

/**
 * A clock tests move instead of sleeping: fixed at `start` when one is given (unit tests), else real
 * time (a running system, whose timestamps must still advance); `advance` and `set` move it.
 */
export class TestClock implements Clock {
  private offset = 0;
  private fixed: Date | null;

  constructor(start?: Date) {
    this.fixed = start ? new Date(start.getTime()) : null;
  }

  now(): Date {
    return new Date((this.fixed?.getTime() ?? Date.now()) + this.offset);
  }

  advance(ms: number): void {
    this.offset += ms;
  }

  /** from now on the clock stands at `at` (until moved again) */
  set(at: Date): void {
    this.fixed = new Date(at.getTime());
    this.offset = 0;
  }
}

/** Real time, moved forward by the test. */
export function createTestClock(): TestClock {
  return new TestClock();
}
