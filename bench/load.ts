/** Runs `worker` from `concurrency` loops until `seconds` pass; counts completed iterations and failures. */
export async function runLoad(
  seconds: number,
  concurrency: number,
  worker: (index: number) => Promise<void>,
): Promise<{ completed: number; failed: number; seconds: number; latenciesMs: number[] }> {
  const deadline = performance.now() + seconds * 1000;
  let completed = 0;
  let failed = 0;
  let counter = 0;
  const latenciesMs: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const begin = performance.now();
        try {
          await worker(counter++);
          completed++;
          latenciesMs.push(performance.now() - begin);
        } catch {
          failed++;
        }
      }
    }),
  );
  return { completed, failed, seconds: (performance.now() - started) / 1000, latenciesMs };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
