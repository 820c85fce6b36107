import type { ConsumerLag } from '../events/consumer-lag.js';
import type { ReadinessCheck } from './readiness.js';

/** Every consumer is at most `maxLag` events behind its producer (READINESS_MAX_LAG). */
export function consumersCheck(measure: (window: number) => Promise<ConsumerLag[]>, maxLag: number): ReadinessCheck {
  return async () => {
    const lags = await measure(maxLag + 1);
    const behind = lags.filter((entry) => entry.lag > maxLag);
    const lag = Object.fromEntries(lags.map((entry) => [entry.consumer, entry.lag]));
    if (behind.length === 0) return { ok: true, lag, maxLag };
    const names = behind.map((entry) => `${entry.consumer} is ${entry.atLeast ? 'at least ' : ''}${entry.lag} events behind ${entry.source}`);
    return { ok: false, detail: `${names.join('; ')} (READINESS_MAX_LAG ${maxLag})`, lag, maxLag };
  };
}
