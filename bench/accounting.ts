/**
 * Journals posted per second by the accounting consumer on PostgreSQL: capture events for N
 * payments are published at once and the consumer books them (inbox, journal, entries, balances,
 * hash chain) one after another, as the in-process transport delivers them.
 */
import { randomBytes } from 'node:crypto';
import { createInProcessTransport } from '../lib/events/in-process-transport.js';
import { PAYMENT_EVENTS, type EventEnvelope } from '../lib/events/event.js';
import { startPostgresCluster } from '../tools/postgres-cluster.js';
import { loadAccountingConfig } from '../subgraphs/accounting/config.js';
import { Journal } from '../subgraphs/accounting/entities/Journal.js';
import { startAccountingSubgraph } from '../subgraphs/accounting/index.js';

const payments = Number(process.env['BENCH_PAYMENTS'] ?? 3000);

function captureEvents(index: number, merchantId: string): EventEnvelope[] {
  const paymentId = `pay_bench_${index}`;
  const base = { source: 'payment', aggregateType: 'payment', aggregateId: paymentId, occurredAt: new Date().toISOString() };
  const payload = {
    paymentId,
    merchantId,
    channel: 'CARD',
    captureMethod: 'AUTOMATIC',
    currency: 'USD',
    amount: String(1000 + index),
    amountCapturable: '0',
    amountReceived: String(1000 + index),
    amountRefunded: '0',
    failureCode: null,
    createdAt: base.occurredAt,
  };
  return [
    { ...base, id: `payment:${index * 2}`, position: index * 2 + 1, type: 'payment.created', sequence: 1, payload: { ...payload, status: 'REQUIRES_CONFIRMATION', amountReceived: '0', previousStatus: null } },
    { ...base, id: `payment:${index * 2 + 1}`, position: index * 2 + 2, type: 'payment.status_changed', sequence: 2, payload: { ...payload, status: 'SUCCEEDED', previousStatus: 'PROCESSING' } },
  ];
}

export async function benchAccounting(): Promise<void> {
  const cluster = await startPostgresCluster();
  const transport = createInProcessTransport();
  try {
    const databaseUrl = await cluster.createDatabase('accounting');
    const accounting = await startAccountingSubgraph(
      loadAccountingConfig({ DATABASE_URL: databaseUrl, INTERNAL_SECRET: randomBytes(32).toString('hex'), ACCOUNTING_PORT: '0' }),
      { transport },
    );
    const events = Array.from({ length: payments }, (_, i) => captureEvents(i, `mer_bench_${i % 20}`)).flat();
    console.log(`accounting consumer: ${payments} captured payments (${events.length} events) on PostgreSQL …`);
    const started = performance.now();
    await transport.publish(PAYMENT_EVENTS, events);
    for (;;) {
      const journals = await accounting.database.fork().count(Journal, {});
      if (journals >= payments) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const seconds = (performance.now() - started) / 1000;
    console.log('');
    console.log(`journals posted              ${(payments / seconds).toFixed(1)} /s   (${payments} journals, ${events.length} events in ${seconds.toFixed(1)} s)`);
    console.log(`events consumed              ${(events.length / seconds).toFixed(1)} /s`);
    await accounting.close();
  } finally {
    await transport.close();
    await cluster.stop();
  }
}
