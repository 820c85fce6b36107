import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type System } from '../support/system.js';
import { confirm, createPayment } from '../support/payments.js';
import { settled } from '../support/accounting.js';

let system: System;
let key: string;

beforeAll(async () => {
  system = await startSystem();
  key = (await system.seedMerchant('Batching')).apiKey;
  for (let i = 0; i < 8; i++) {
    const payment = await createPayment(system, key, { amount: `${10 + i}.00` });
    await confirm(system, key, payment.id);
  }
  await settled(system);
});
afterAll(async () => system?.stop());

const page = `query($first: Int!) { payments(first: $first) { edges { node { id amountReceived { amount } fee { amount } net { amount } ledgerEntries { account side amount { amount } } } } } }`;

/** The SQL statements the accounting subgraph runs while the gateway answers one query. */
async function statementsFor(first: number): Promise<{ statements: string[]; result: any }> {
  const before = system.accountingQueries.length;
  const result = await system.query(key, page, { first });
  // the outbox relay polls accounting's outbox meanwhile (taking its turn by an advisory lock on PostgreSQL): not the query's
  const relay = (sql: string) => sql.includes('outbox') || sql.includes('pg_advisory_xact_lock');
  return { statements: system.accountingQueries.slice(before).filter((sql) => /select/i.test(sql) && !relay(sql)), result };
}

describe('accounting fields of a page of payments are fetched in one batch', () => {
  it('one SQL statement per entity type, whatever the page size', async () => {
    const small = await statementsFor(2);
    const large = await statementsFor(8);
    expect(large.result.data.payments.edges).toHaveLength(8);
    for (const edge of large.result.data.payments.edges) {
      expect(edge.node.ledgerEntries).toHaveLength(3);
      expect(edge.node.fee).not.toBeNull();
    }
    expect(large.statements.length).toBe(small.statements.length);
    // payment figures (fee, net, owner) and ledger entries: two entity types, two statements
    expect(large.statements.length).toBeLessThanOrEqual(2);
    expect(large.statements.some((sql) => sql.includes('ledger_entries'))).toBe(true);
  });
});
