import type { Clock } from '../../lib/clock.js';

/** Real time plus an offset that tests move forward, instead of sleeping. */
export interface TestClock extends Clock {
  advance: (ms: number) => void;
}

export function createTestClock(): TestClock {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance: (ms) => {
      offset += ms;
    },
  };
}
