import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventTransport } from '../../lib/events/event.js';
import { createInProcessTransport } from '../../lib/events/in-process-transport.js';
import { SHOW_STATEMENTS } from '../support/debug-settings.js';
import { expectNoErrors } from '../support/graphql.js';
import { confirm, createPayment } from '../support/payments.js';
import { startSystem, type System } from '../support/system.js';

/** Statements the payment subgraph runs for one card payment's createPayment and its confirmPayment (authentication included). */
const CREATE_BUDGET = 6;
const CONFIRM_BUDGET = 13;

const transport = createInProcessTransport();
let system: System;
let key: string;

beforeAll(async () => {
  // no relay in the payment subgraph (its events stay in the outbox): what is counted is the request path alone
  system = await startSystem({ transportFor: (service) => (service === 'payment' ? (undefined as unknown as EventTransport) : transport) });
  key = (await system.seedMerchant('Request path')).apiKey;
  await createPayment(system, key); // warm: the first request of a key
});
afterAll(async () => {
  await system?.stop();
  await transport.close();
});

async function statementsOf<T>(what: string, run: () => Promise<T>): Promise<{ value: T; statements: string[] }> {
  const from = system.paymentQueries.length;
  const value = await run();
  const statements = system.paymentQueries.slice(from);
  // STATEMENTS_SHOW=1 prints them
  if (SHOW_STATEMENTS) console.log(`-- ${what}: ${statements.length}\n${statements.join('\n')}`);
  return { value, statements };
}

describe('the payment request path', () => {
  it(`creates a card payment in at most ${CREATE_BUDGET} statements and confirms it in at most ${CONFIRM_BUDGET}`, async () => {
    const created = await statementsOf('createPayment', () => createPayment(system, key, { amount: '12.34' }));
    const confirmed = await statementsOf('confirmPayment', () => confirm(system, key, created.value.id));
    expect(expectNoErrors(confirmed.value).confirmPayment.status).toBe('SUCCEEDED');
    console.log(`payment request path: createPayment ${created.statements.length}, confirmPayment ${confirmed.statements.length}`);
    expect(created.statements.length).toBeLessThanOrEqual(CREATE_BUDGET);
    expect(confirmed.statements.length).toBeLessThanOrEqual(CONFIRM_BUDGET);
  });
});
