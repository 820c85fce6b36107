import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { startSystem, type System } from '../support/system.js';
import { card, confirm, createPayment, payerAction, paymentTable, selectRows, TEST_CARDS, uniqueKey } from '../support/payments.js';
import { expectNoErrors } from '../support/graphql.js';
import { logCapture } from '../support/log-capture.js';

/**
 * Card numbers travel through the gateway, the payment subgraph and on to the provider, but are
 * never written anywhere: not in logs (every server runs in this process), not in the database,
 * not in any GraphQL response. Only the brand and last four digits may be kept and shown.
 */
let system: System;
let key: string;
const numbers = [TEST_CARDS.succeeds, TEST_CARDS.threeDSecure, TEST_CARDS.declined];
const responses: string[] = [];
const paymentIds: string[] = [];
let output = '';
/** every log line of the services, at every level */
const logs = logCapture();

/** Everything the servers of this process write while `work` runs: stdout, stderr and console. */
async function captureOutput(work: () => Promise<void>): Promise<string> {
  const spies: MockInstance[] = [
    vi.spyOn(process.stdout, 'write'),
    vi.spyOn(process.stderr, 'write'),
    ...(['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) => vi.spyOn(console, method)),
  ];
  const text = (arg: unknown) => (typeof arg === 'string' ? arg : Buffer.isBuffer(arg) ? arg.toString('latin1') : format(arg));
  try {
    await work();
    return spies.flatMap((spy) => spy.mock.calls.map((args) => args.map(text).join(' '))).join('\n');
  } finally {
    spies.forEach((spy) => spy.mockRestore());
  }
}

/** The request and its answer are kept, as text, to be searched afterwards. */
async function kept<T>(result: Promise<T>): Promise<T> {
  const value = await result;
  responses.push(JSON.stringify(value));
  return value;
}

const confirmMutation = 'mutation($input: ConfirmPaymentInput!) { confirmPayment(input: $input) { id status card { brand last4 } } }';

beforeAll(async () => {
  system = await startSystem({ logs: logs.destination, env: { LOG_LEVEL: 'trace' } });
  key = (await system.seedMerchant()).apiKey;
  output = await captureOutput(async () => {
    console.info('capture-control: console');
    process.stderr.write('capture-control: stderr\n');
    for (const number of numbers) {
      const payment = await kept(createPayment(system, key, { captureMethod: 'MANUAL' }));
      paymentIds.push(payment.id);
      const confirmed = expectNoErrors(await kept(confirm(system, key, payment.id, number))).confirmPayment;
      if (confirmed.status === 'REQUIRES_ACTION') await kept(payerAction(system, key, payment.id, 'APPROVE'));
    }
    // The number written with spaces, and a card the API refuses: neither may come back or be logged.
    const spaced = await kept(createPayment(system, key));
    paymentIds.push(spaced.id);
    await kept(confirm(system, key, spaced.id, TEST_CARDS.succeeds.replace(/(\d{4})(?!$)/g, '$1 ')));
    const refused = await kept(createPayment(system, key));
    await kept(system.query(key, confirmMutation, { input: { paymentId: refused.id, card: { ...card(), expMonth: 13 }, idempotencyKey: uniqueKey() } }));
    await kept(system.query(key, confirmMutation, { input: { paymentId: refused.id, card: { ...card(), cvc: 123 }, idempotencyKey: uniqueKey() } }));
    await kept(system.query(key, confirmMutation, { input: { paymentId: refused.id, card: { ...card(), extra: true }, idempotencyKey: uniqueKey() } }));
    await kept(system.query(key, `query($id: ID!) { payment(id: $id) { id card { brand last4 expMonth expYear } } }`, { id: paymentIds[0] }));
  });
});
afterAll(async () => system?.stop());

/** Every byte the payment subgraph's database holds, as text: SQLite files (WAL included), or every row of schema payment. */
async function storedText(): Promise<string> {
  if (system.payment.database.dialect === 'sqlite') {
    const files = readdirSync(system.dataDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(files.map((file) => file.name)).toContain('payment.sqlite');
    return files.map((file) => readFileSync(join(file.parentPath, file.name)).toString('latin1')).join('\n');
  }
  const tables = await selectRows(system, "select table_name from information_schema.tables where table_schema = 'payment'");
  expect(tables.map((table) => table['table_name'])).toContain('payments');
  const rows = await Promise.all(
    tables.map(async (table) => selectRows(system, `select t::text as row_text from ${paymentTable(system, String(table['table_name']))} t`)),
  );
  return rows.flat().map((row) => String(row['row_text'])).join('\n');
}

describe('card numbers are never kept', () => {
  it('the payments went through: approved, 3-D Secure approved, declined', async () => {
    const statuses = responses.map((text) => JSON.parse(text)).flatMap((r) => [r.data?.confirmPayment?.status, r.data?.sandboxPayerAction?.status]);
    expect(statuses).toEqual(expect.arrayContaining(['REQUIRES_CAPTURE', 'REQUIRES_ACTION', 'FAILED']));
    expect(statuses.filter((status) => status === 'REQUIRES_CAPTURE')).toHaveLength(2);
  });

  it('no full card number in anything written to stdout, stderr, the console or the log', () => {
    expect(output).toContain('capture-control: console');
    expect(output).toContain('capture-control: stderr');
    expect(logs.text()).toContain('"msg":"request"');
    for (const number of numbers) expect(`${output}\n${logs.text()}`).not.toContain(number);
  });

  it('no full card number in the database; the scan does find what is stored', async () => {
    const stored = await storedText();
    for (const id of paymentIds) expect(stored).toContain(id);
    for (const number of numbers) expect(stored).not.toContain(number);
  });

  it('no full card number or CVC in any GraphQL response; the last four digits are shown', () => {
    const all = responses.join('\n');
    for (const number of numbers) expect(all).not.toContain(number);
    expect(all).not.toMatch(/4242 4242/);
    // The refusals say what was wrong and where, without quoting the card (its CVC is 123).
    const messages = responses.flatMap((text) => JSON.parse(text).errors ?? []).map((error: any) => String(error.message));
    expect(messages.filter((message) => message.includes('input.card'))).toHaveLength(3);
    expect(messages.join('\n')).not.toMatch(/4242|123/);
    const shown = responses.map((text) => JSON.parse(text)).map((r) => r.data?.confirmPayment?.card ?? r.data?.payment?.card);
    expect(shown).toContainEqual(expect.objectContaining({ brand: 'visa', last4: '4242' }));
    expect(shown).toContainEqual(expect.objectContaining({ last4: '3220' }));
    expect(shown).toContainEqual(expect.objectContaining({ last4: '0002' }));
  });
});
