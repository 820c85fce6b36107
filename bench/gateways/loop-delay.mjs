// Preloaded into each gateway process by `npm run bench -- gateways` (NODE_OPTIONS=--import): on
// SIGUSR2 it appends the event-loop delay and the GC pauses seen since the last signal to
// $LOOP_DELAY_DIR/<pid>.jsonl, then starts counting afresh. Plain JavaScript: it loads before tsx.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

const dir = process.env.LOOP_DELAY_DIR;
if (dir) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let gc = { count: 0, totalMs: 0, maxMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.count++;
      gc.totalMs += entry.duration;
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  process.on('SIGUSR2', () => {
    const ms = (ns) => ns / 1e6;
    const line = { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max), gc };
    appendFileSync(join(dir, `${process.pid}.jsonl`), `${JSON.stringify(line)}\n`);
    delay.reset();
    gc = { count: 0, totalMs: 0, maxMs: 0 };
  });
}
