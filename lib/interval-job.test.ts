import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IntervalJob } from './interval-job.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('IntervalJob', () => {
  it('runs every interval, never two runs at once, and reports a failed run without stopping', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    let finish: () => void = () => undefined;
    const job = new IntervalJob(
      () => {
        runs += 1;
        if (runs === 2) return Promise.reject(new Error('provider away'));
        return new Promise<void>((resolve) => (finish = resolve));
      },
      1_000,
      (error) => errors.push(error),
    );
    await vi.advanceTimersByTimeAsync(999);
    expect(runs).toBe(0);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(runs).toBe(1);
    finish();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(runs).toBe(3);
    expect(errors).toHaveLength(1);
    finish();
    await job.stop();
  });

  it('stop waits for the run in progress and schedules no other', async () => {
    let runs = 0;
    let finish: () => void = () => undefined;
    const job = new IntervalJob(() => {
      runs += 1;
      return new Promise<void>((resolve) => (finish = resolve));
    }, 100, () => undefined);
    await vi.advanceTimersByTimeAsync(100);
    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(stopped).toBe(false);
    finish();
    await stopping;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(1);
  });
});
