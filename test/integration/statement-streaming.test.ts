import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../lib/ids.js';
import { add, money, subtract } from '../../lib/money.js';
import { signedHeaders } from '../../lib/internal-signature.js';
import { statementRoute } from '../../subgraphs/transaction/contract/internal-routes.js';
import { encodePrincipal } from '../../lib/principal.js';
import { TransactionRecord } from '../../subgraphs/transaction/entities/TransactionRecord.js';
import { eventually } from '../support/eventually.js';
import { startSystem, type System } from '../support/system.js';

// More than the kernel's socket buffers on loopback hold (several MB), so that a paused reader is felt.
const ROWS = 80_000;
const BATCH = 1000;
const merchantId = 'mer_bulk';

let system: System;

beforeAll(async () => {
  system = await startSystem({ statementBatchSize: BATCH });
  // Written behind the API, in bulk: what matters here is how a long statement is read and sent.
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  const em = system.transaction.database.fork();
  for (let offset = 0; offset < ROWS; offset += 1000) {
    const rows = Array.from({ length: Math.min(1000, ROWS - offset) }, (_, i) => {
      const n = offset + i + 1;
      const at = new Date(start + n * 1000);
      const amount = add(money(10_000n, 'USD'), money(BigInt(n), 'USD'));
      const fee = money(320n, 'USD');
      return {
        id: newId('txn', at.getTime()),
        tradeNo: `PG20260101${String(n).padStart(12, '0')}`,
        type: 'PAYMENT' as const,
        direction: 'INCOME' as const,
        movementId: `pay_bulk_${n}`,
        merchantId,
        paymentId: `pay_bulk_${n}`,
        refundId: null,
        channel: 'CARD' as const,
        currency: 'USD',
        amount: amount.minor,
        fee: fee.minor,
        net: subtract(amount, fee).minor,
        status: 'SUCCEEDED' as const,
        occurredAt: at,
        createdAt: at,
        updatedAt: at,
      };
    });
    await em.insertMany(TransactionRecord, rows);
  }
});
afterAll(async () => system?.stop());

/** The reads of the statement so far: one SELECT on the transactions table per batch. */
const statementReads = () => system.transactionQueries.filter((sql) => /select/i.test(sql) && sql.includes('transactions')).length;

describe('statements are streamed with backpressure', () => {
  it('a reader that stops reading stops the reads; once it reads on it gets every row, in order', async () => {
    const body = JSON.stringify({ from: '2026-01-01', to: '2027-01-01' });
    const principal = encodePrincipal({ role: 'MERCHANT', merchantId, keyId: 'key_bulk' });
    const readsBefore = statementReads();
    const response = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      const req = request(`${system.transaction.url}/internal/statements/transactions.csv`, {
        method: 'POST',
        headers: signedHeaders(system.internalSecret, { method: 'POST', service: 'transaction', path: statementRoute.path, principal, body }),
      });
      req.on('response', resolve);
      req.on('error', reject);
      req.end(body);
    });
    response.pause();
    expect(response.statusCode).toBe(200);
    // The subgraph reads until the buffers between it and the paused reader are full, then waits.
    const stalled = await eventually(
      async () => {
        const before = statementReads();
        await new Promise((resolve) => setTimeout(resolve, 300));
        return { before, after: statementReads() };
      },
      ({ before, after }) => before === after,
    );
    const allBatches = ROWS / BATCH;
    expect(stalled.after - readsBefore).toBeGreaterThan(0);
    expect(stalled.after - readsBefore).toBeLessThan(allBatches * 0.75);
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = new Promise((resolve) => response.on('end', resolve));
    response.resume();
    await ended;
    const lines = Buffer.concat(chunks).toString('utf8').split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(ROWS + 2);
    expect(lines[1]!.startsWith('PG20260101000000000001,2026-01-01T00:00:01.000Z,PAYMENT,INCOME,SUCCEEDED,CARD,USD,100.01,3.20,96.81,')).toBe(true);
    expect(lines[ROWS]!.startsWith(`PG20260101${String(ROWS).padStart(12, '0')},`)).toBe(true);
    expect(statementReads() - readsBefore).toBe(allBatches + 1);
  });

  it('through the gateway too, whole', async () => {
    const response = await fetch(`${system.gatewayUrl}/statements/transactions.csv?from=2026-01-01&to=2027-01-01&merchantId=${merchantId}`, {
      headers: { authorization: `Bearer ${system.adminKey}` },
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text.split('\r\n')).toHaveLength(ROWS + 2);
  });
});
