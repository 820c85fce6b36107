/** `npm run bench -- <name>`: the benchmarks, each printing its figures. */
import { benchAccounting } from './accounting.js';
import { benchGateways } from './gateways.js';
import { benchHistoryMetrics } from './history-metrics.js';
import { benchIdle } from './idle.js';
import { benchPayments } from './payments.js';
import { benchSubscriptions } from './subscriptions.js';

const benchmarks: Record<string, () => Promise<void>> = {
  payments: benchPayments,
  accounting: benchAccounting,
  gateways: benchGateways,
  subscriptions: benchSubscriptions,
  'history-metrics': benchHistoryMetrics,
  idle: benchIdle,
};

const name = process.argv[2] ?? 'payments';
const benchmark = benchmarks[name];
if (!benchmark) {
  console.error(`usage: npm run bench -- <${Object.keys(benchmarks).join('|')}>`);
  process.exit(2);
}
await benchmark();
