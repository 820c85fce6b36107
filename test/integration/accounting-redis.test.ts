import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventTransport } from '../../lib/events/event.js';
import { createRedisTransport } from '../../lib/events/redis-transport.js';
import { Journal } from '../../subgraphs/accounting/entities/Journal.js';
import { startSystem, type System } from '../support/system.js';
import { confirm, createPayment, refund } from '../support/payments.js';
import { settled } from '../support/accounting.js';
import { allTransactions, recorded } from '../support/transactions.js';
import { redisServerAvailable, redisServerRequired, startRedisServer } from '../../tools/redis-server.js';
import { expectNoErrors } from '../support/graphql.js';

const runs = redisServerAvailable() || redisServerRequired();
let redis: Awaited<ReturnType<typeof startRedisServer>>;
let system: System;
const transports: EventTransport[] = [];
const handledBy = [0, 0];

/** A replica's own Redis connection, counting what its consumer handles. */
function replicaTransport(url: string, replica: number | null): EventTransport {
  const inner = createRedisTransport({ url, claimIdleMs: 500, blockMs: 200 });
  transports.push(inner);
  if (replica === null) return inner;
  return {
    ...inner,
    subscribe: (stream, group, consumer, handler) =>
      inner.subscribe(stream, group, consumer, async (events) => {
        const unhandled = await handler(events);
        handledBy[replica]! += events.length - unhandled.length;
        return unhandled;
      }),
  };
}

describe.runIf(runs)('two accounting replicas in one Redis consumer group', () => {
  beforeAll(async () => {
    redis = await startRedisServer();
    system = await startSystem({
      accountingReplicas: 2,
      transportFor: (service, replica) => replicaTransport(redis.url, service === 'accounting' ? replica : null),
    });
  });
  afterAll(async () => {
    await system?.stop();
    for (const transport of transports) await transport.close();
    await redis?.stop();
  });

  it('book each event exactly once, sharing the work', async () => {
    const { apiKey } = await system.seedMerchant('Redis merchant');
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const payment = await createPayment(system, apiKey, { amount: `${20 + i}.00` });
      await confirm(system, apiKey, payment.id);
      if (i % 3 === 0) await refund(system, apiKey, payment.id, { amount: '5.00', currency: 'USD' });
      ids.push(payment.id);
    }
    await settled(system);
    const journals = await system.accounting.database.fork().find(Journal, { paymentId: { $in: ids } });
    expect(journals.filter((j) => j.type === 'capture')).toHaveLength(12);
    expect(journals.filter((j) => j.type === 'refund')).toHaveLength(4);
    expect(new Set(journals.map((j) => j.eventId)).size).toBe(journals.length);
    // 12 payments × 3 events + 4 refunds × 2 events, each handled once by one replica or the other
    expect(handledBy[0]! + handledBy[1]!).toBeGreaterThanOrEqual(12 * 3 + 4 * 2);
    expect(handledBy[0]).toBeGreaterThan(0);
    expect(handledBy[1]).toBeGreaterThan(0);
    const verification = expectNoErrors(await system.query<{ verifyLedger: { ok: boolean } }>(system.adminKey, '{ verifyLedger { ok } }')).verifyLedger;
    expect(verification.ok).toBe(true);
    // accounting's own events, relayed by both replicas through Redis, are recorded once each
    await recorded(system);
    const records = await allTransactions(system, apiKey);
    expect(records.filter((r) => r.type === 'PAYMENT' && r.fee.amount !== '0.00')).toHaveLength(12);
    expect(records.filter((r) => r.type === 'REFUND' && r.status === 'SUCCEEDED')).toHaveLength(4);
  });
});
