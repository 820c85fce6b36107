import type { FaultsConfig } from './config.js';

/**
 * Named places in the money paths where a test may make the process die on the spot, as kill -9
 * would: no finally block, no shutdown hook, no flushed buffer. Inert unless PAYGRAPH_CRASH_AT names one.
 */
export const CRASH_POINTS = [
  'payment.confirm.after-intent',
  'payment.confirm.after-provider',
  'payment.confirm.before-outcome-commit',
  'payment.capture.after-intent',
  'payment.capture.after-provider',
  'payment.capture.before-outcome-commit',
  'payment.cancel.after-intent',
  'payment.cancel.after-provider',
  'payment.cancel.before-outcome-commit',
  'payment.refund.after-intent',
  'payment.refund.after-provider',
  'payment.refund.before-outcome-commit',
  'relay.after-publish',
  'consumer.accounting.after-apply',
  'consumer.transaction.after-apply',
  'consumer.analytics.after-apply',
] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

let armed: { point: CrashPoint; remaining: number } | null = null;

/** Arms the configured point (lib/faults/config.ts), once at start-up. */
export function armCrashPoint(config: FaultsConfig): void {
  armed = config.crashAt ? { point: config.crashAt.point, remaining: config.crashAt.nth } : null;
}

/** Dies here when this point is armed and its turn has come; otherwise costs one comparison. */
export function crashPoint(point: CrashPoint): void {
  if (armed === null || armed.point !== point) return;
  armed.remaining -= 1;
  if (armed.remaining > 0) return;
  process.stderr.write(`crash point ${point}: dying now\n`);
  process.kill(process.pid, 'SIGKILL');
}
