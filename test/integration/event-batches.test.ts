import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventTransport } from '../../lib/events/event.js';
import { createInProcessTransport } from '../../lib/events/in-process-transport.js';
import { OutboxEvent } from '../../lib/events/outbox.js';
import { Journal } from '../../subgraphs/accounting/entities/Journal.js';
import { PaymentFact } from '../../subgraphs/analytics/entities/PaymentFact.js';
import { TransactionRecord } from '../../subgraphs/transaction/entities/TransactionRecord.js';
import { settled } from '../support/accounting.js';
import { analyticsCaughtUp } from '../support/analytics.js';
import { pollUntil } from '../support/eventually.js';
import { expectNoErrors } from '../support/graphql.js';
import { confirm, createPayment, refund } from '../support/payments.js';
import { startSystem, type System } from '../support/system.js';
import { recorded } from '../support/transactions.js';

/** An in-process transport whose consumers wait, while the gate is shut, with the batch they were handed, and record the size of each batch. */
function gatedTransport() {
  const inner = createInProcessTransport();
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const batches = new Map<string, number[]>();
  const transport: EventTransport = {
    ...inner,
    subscribe: (stream, group, consumer, handler, options) =>
      inner.subscribe(
        stream,
        group,
        consumer,
        async (events) => {
          await opened;
          batches.set(`${stream} ${group}`, [...(batches.get(`${stream} ${group}`) ?? []), events.length]);
          return handler(events);
        },
        options,
      ),
  };
  return { transport, open, batches };
}

describe('consumers applying a backlog in batches', () => {
  const gate = gatedTransport();
  let system: System;
  let key: string;

  beforeAll(async () => {
    system = await startSystem({ transportFor: () => gate.transport });
    key = (await system.seedMerchant('Batches')).apiKey;
  });
  afterAll(async () => {
    await system?.stop();
    await gate.transport.close();
  });

  it('books, records and counts every event of the backlog once, several payments and several events each per transaction', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const payment = await createPayment(system, key, { amount: `${30 + i}.00` });
      expectNoErrors(await confirm(system, key, payment.id));
      if (i % 2 === 0) expectNoErrors(await refund(system, key, payment.id, { amount: '5.00', currency: 'USD' }));
      ids.push(payment.id);
    }
    await pollUntil(async () => (await system.payment.database.fork().count(OutboxEvent, { publishedAt: null })) === 0, { what: 'every payment event published' });
    const inboxStatementsBefore = system.accountingQueries.filter((sql) => /\binbox\b/.test(sql)).length;
    gate.open();
    await settled(system);
    await recorded(system);
    await analyticsCaughtUp(system);

    // the first batch each group was handed waited at the gate; the backlog came behind it in one batch
    const accountingBatches = gate.batches.get('payment-events accounting') ?? [];
    expect(Math.max(...accountingBatches)).toBeGreaterThan(1);
    const paymentEvents = await system.payment.database.fork().count(OutboxEvent, { aggregateId: { $in: ids } });
    expect(system.accountingQueries.filter((sql) => /\binbox\b/.test(sql)).length - inboxStatementsBefore).toBeLessThan(paymentEvents);

    const journals = await system.accounting.database.fork().find(Journal, { paymentId: { $in: ids } });
    expect(journals.filter((j) => j.type === 'capture')).toHaveLength(8);
    expect(journals.filter((j) => j.type === 'refund')).toHaveLength(4);
    expect(new Set(journals.map((j) => j.eventId)).size).toBe(journals.length);
    const verification = expectNoErrors(await system.query<{ verifyLedger: { ok: boolean } }>(system.adminKey, '{ verifyLedger { ok } }')).verifyLedger;
    expect(verification.ok).toBe(true);

    const records = await system.transaction.database.fork().find(TransactionRecord, { paymentId: { $in: ids } });
    expect(records.filter((r) => r.type === 'PAYMENT' && r.status === 'SUCCEEDED')).toHaveLength(8);
    expect(records.filter((r) => r.type === 'REFUND' && r.status === 'SUCCEEDED')).toHaveLength(4);
    expect(records.filter((r) => r.type === 'PAYMENT').every((r) => r.fee > 0n)).toBe(true);

    const facts = await system.analytics.database.fork().find(PaymentFact, { paymentId: { $in: ids } }, { orderBy: { captured: 'asc' } });
    expect(facts.map((f) => [f.status, f.captured, f.refunded])).toEqual(
      Array.from({ length: 8 }, (_, i) => ['SUCCEEDED', BigInt((30 + i) * 100), i % 2 === 0 ? 500n : 0n]),
    );
    expect({ ...(await system.accounting.events.deadLetters()), ...(await system.transaction.events.deadLetters()), ...(await system.analytics.events.deadLetters()) }).toEqual({});
  }, 180_000);
});
