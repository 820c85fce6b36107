import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SettlementTimer } from './settlement-timer.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SettlementTimer', () => {
  it('runs the job every interval, never two runs at once', async () => {
    let runs = 0;
    let finish: () => void = () => undefined;
    const timer = new SettlementTimer(
      () => {
        runs += 1;
        return new Promise<void>((resolve) => (finish = resolve));
      },
      1_000,
      () => undefined,
    );
    await vi.advanceTimersByTimeAsync(999);
    expect(runs).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(runs).toBe(1);
    finish();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(2);
    finish();
    await timer.stop();
  });

  it('reports a failed run and tries again at the next interval', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const timer = new SettlementTimer(
      async () => {
        runs += 1;
        throw new Error('database away');
      },
      100,
      (error) => errors.push(error),
    );
    await vi.advanceTimersByTimeAsync(250);
    expect(runs).toBe(2);
    expect(errors).toHaveLength(2);
    await timer.stop();
  });

  it('stops scheduling, and stop waits for the run in progress', async () => {
    let runs = 0;
    let finish: () => void = () => undefined;
    const timer = new SettlementTimer(
      () => {
        runs += 1;
        return new Promise<void>((resolve) => (finish = resolve));
      },
      100,
      () => undefined,
    );
    await vi.advanceTimersByTimeAsync(100);
    let stopped = false;
    const stopping = timer.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    finish();
    await stopping;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(1);
  });
});
