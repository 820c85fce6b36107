import type { System } from './system.js';
import { eventually } from './eventually.js';
import { expectNoErrors } from './graphql.js';
import type { LedgerPaymentResult } from './operations.js';

export const LEDGER_FIELDS = `
  id status amountReceived { amount currency }
  fee { amount currency minorUnits } net { amount currency minorUnits }
  ledgerEntries { id journalId account side amount { amount currency minorUnits } postedAt }
`;

/** The payment's ledger, which the caller must be able to see. */
export async function ledgerOf(system: System, apiKey: string, paymentId: string): Promise<LedgerPaymentResult> {
  const { payment } = expectNoErrors(await system.query<{ payment: LedgerPaymentResult | null }>(apiKey, `query($id: ID!) { payment(id: $id) { ${LEDGER_FIELDS} } }`, { id: paymentId }));
  if (!payment) throw new Error(`payment ${paymentId} is not visible to this key`);
  return payment;
}

/** Waits until every event the payment subgraph wrote has been booked by accounting. */
export async function settled(system: System): Promise<void> {
  await system.payment.flushOutbox();
  const pending = async () => {
    const payment = system.payment.database.fork().getConnection();
    const accounting = system.accounting.database.fork().getConnection();
    const sequences = await payment.execute<{ aggregate_id: string; n: number }[]>(
      `select aggregate_id, max(sequence) as n from ${schemaOf(system, 'payment')}outbox group by aggregate_id`,
    );
    const positions = await accounting.execute<{ aggregate_id: string; last_sequence: number }[]>(
      `select aggregate_id, last_sequence from ${schemaOf(system, 'accounting')}inbox`,
    );
    const done = new Map(positions.map((row) => [row.aggregate_id, Number(row.last_sequence)]));
    return sequences.filter((row) => (done.get(row.aggregate_id) ?? 0) < Number(row.n)).length;
  };
  await eventually(pending, (count) => count === 0, { what: 'every payment event booked by accounting' });
}

export function balanceQuery(merchantId: string) {
  return [`query($id: ID!) { merchant(id: $id) { id balance { available { amount currency } pending { amount currency } } } }`, { id: merchantId }] as const;
}

const schemaOf = (system: System, name: string) => (system.payment.database.dialect === 'postgresql' ? `"${name}".` : '');

/** Per payment, the sequence of the last event a subgraph's outbox holds. */
async function outboxHeads(system: System, source: 'payment' | 'accounting'): Promise<Map<string, number>> {
  const database = source === 'payment' ? system.payment.database : system.accounting.database;
  const rows = await database
    .fork()
    .getConnection()
    .execute<{ aggregate_id: string; n: number }[]>(`select aggregate_id, max(sequence) as n from ${schemaOf(system, source)}outbox group by aggregate_id`);
  return new Map(rows.map((row) => [row.aggregate_id, Number(row.n)]));
}

/**
 * Waits until accounting has booked every payment event and `consumer` (a subgraph fed by both
 * streams, with inbox consumers `<consumer>:payment` and `<consumer>:accounting`) has applied every
 * event of both.
 */
export async function consumerCaughtUp(system: System, consumer: 'transaction' | 'analytics'): Promise<void> {
  await settled(system);
  await system.accounting.flushOutbox();
  const behind = async () => {
    const positions = await system[consumer].database
      .fork()
      .getConnection()
      .execute<{ consumer: string; aggregate_id: string; last_sequence: number }[]>(
        `select consumer, aggregate_id, last_sequence from ${schemaOf(system, consumer)}inbox`,
      );
    const done = new Map(positions.map((row) => [`${row.consumer} ${row.aggregate_id}`, Number(row.last_sequence)]));
    let count = 0;
    for (const source of ['payment', 'accounting'] as const) {
      for (const [paymentId, head] of await outboxHeads(system, source)) {
        if ((done.get(`${consumer}:${source} ${paymentId}`) ?? 0) < head) count += 1;
      }
    }
    return count;
  };
  await eventually(behind, (count) => count === 0, { what: `every event applied by ${consumer}` });
}
