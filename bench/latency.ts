import { percentile } from './load.js';

export interface Latency {
  p50: number;
  p99: number;
  samples: number;
}

/**
 * Times each case `iterations` times, one request at a time, after `warmup` untimed rounds; the cases
 * take turns in every round, so that they meet the same machine and the same caches.
 */
export async function measureInTurns<K extends string>(iterations: number, warmup: number, cases: Record<K, (round: number) => Promise<void>>): Promise<Record<K, Latency>> {
  const names = Object.keys(cases) as K[];
  const timings = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let round = -warmup; round < iterations; round++) {
    for (const name of names) {
      const started = performance.now();
      await cases[name](round);
      if (round >= 0) timings[name].push(performance.now() - started);
    }
  }
  return Object.fromEntries(names.map((name) => [name, { p50: percentile(timings[name], 50), p99: percentile(timings[name], 99), samples: timings[name].length }])) as Record<K, Latency>;
}
