import { LEDGER_FIELDS } from './accounting.js';
import type { CrashSystem } from './crash-harness.js';
import { eventually } from './eventually.js';
import { expectNoErrors, type GraphQLResponse } from './graphql.js';
import type { LedgerPaymentResult, PaymentResult, ReconciliationReportResult, RefundResult } from './operations.js';
import { card, PAYMENT_FIELDS, uniqueKey } from './payments.js';
import { REPORT_FIELDS, utcToday } from './reconciliation.js';

/** Refusals that are the operation's answer; anything else (a key in use, a subgraph that is down) is retried. */
const ANSWERING_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND', 'IDEMPOTENCY_KEY_REUSED', 'INVALID_STATE', 'AMOUNT_TOO_LARGE']);

function answers(response: GraphQLResponse): boolean {
  if (response.data) return true;
  const code = response.errors?.[0]?.extensions?.code;
  return code !== undefined && ANSWERING_CODES.has(code);
}

/**
 * What a client that retries with its idempotency key ends up with: sends until the answer is the
 * operation's own (data, or a refusal of the request), as a partner's client would, within a deadline.
 */
export async function retryUntilAnswered<T>(send: () => Promise<GraphQLResponse<T>>, what: string, timeoutMs = 90_000): Promise<GraphQLResponse<T>> {
  const attempt = async (): Promise<GraphQLResponse<T>> => {
    try {
      return await send();
    } catch (error) {
      return { errors: [{ message: error instanceof Error ? error.message : String(error) }] };
    }
  };
  return eventually(attempt, answers, { what: `an answer to ${what}`, timeoutMs, intervalMs: 200 });
}

type Amount = { amount: string; currency: string };

/** The money-moving mutations as a partner sends them, through the crash system's gateway. */
export const moneyOperations = {
  create(system: CrashSystem, apiKey: string, input: { amount: Amount; captureMethod: 'AUTOMATIC' | 'MANUAL'; idempotencyKey?: string }) {
    const { idempotencyKey = uniqueKey('create'), ...rest } = input;
    return system.query<{ createPayment: PaymentResult }>(apiKey, `mutation($input: CreatePaymentInput!) { createPayment(input: $input) { ${PAYMENT_FIELDS} } }`, {
      input: { ...rest, channel: 'CARD', idempotencyKey },
    });
  },
  confirm(system: CrashSystem, apiKey: string, paymentId: string, idempotencyKey: string) {
    return system.query<{ confirmPayment: PaymentResult }>(apiKey, `mutation($input: ConfirmPaymentInput!) { confirmPayment(input: $input) { ${PAYMENT_FIELDS} } }`, {
      input: { paymentId, card: card(), idempotencyKey },
    });
  },
  capture(system: CrashSystem, apiKey: string, paymentId: string, amount: Amount, idempotencyKey: string) {
    return system.query<{ capturePayment: PaymentResult }>(apiKey, `mutation($input: CapturePaymentInput!) { capturePayment(input: $input) { ${PAYMENT_FIELDS} } }`, {
      input: { paymentId, amount, idempotencyKey },
    });
  },
  cancel(system: CrashSystem, apiKey: string, paymentId: string, idempotencyKey: string) {
    return system.query<{ cancelPayment: PaymentResult }>(apiKey, `mutation($input: CancelPaymentInput!) { cancelPayment(input: $input) { ${PAYMENT_FIELDS} } }`, {
      input: { paymentId, reason: 'requested by customer', idempotencyKey },
    });
  },
  refund(system: CrashSystem, apiKey: string, paymentId: string, amount: Amount, idempotencyKey: string) {
    return system.query<{ refundPayment: RefundResult }>(
      apiKey,
      `mutation($input: RefundPaymentInput!) { refundPayment(input: $input) { id status amount { amount currency minorUnits } payment { ${PAYMENT_FIELDS} } } }`,
      { input: { paymentId, amount, idempotencyKey } },
    );
  },
};

export async function paymentOf(system: CrashSystem, apiKey: string, id: string): Promise<PaymentResult> {
  const { payment } = expectNoErrors(await system.query<{ payment: PaymentResult | null }>(apiKey, `query($id: ID!) { payment(id: $id) { ${PAYMENT_FIELDS} } }`, { id }));
  if (!payment) throw new Error(`payment ${id} is not visible to this key`);
  return payment;
}

export async function ledgerOfPayment(system: CrashSystem, apiKey: string, id: string): Promise<LedgerPaymentResult> {
  const { payment } = expectNoErrors(await system.query<{ payment: LedgerPaymentResult | null }>(apiKey, `query($id: ID!) { payment(id: $id) { ${LEDGER_FIELDS} } }`, { id }));
  if (!payment) throw new Error(`payment ${id} is not visible to this key`);
  return payment;
}

/** The ledger's own verification (hash chain, balanced journals), as the API answers it. */
export async function verifyLedger(system: CrashSystem): Promise<{ ok: boolean; entriesChecked: number; firstInvalidEntryId: string | null }> {
  return expectNoErrors(await system.query<{ verifyLedger: { ok: boolean; entriesChecked: number; firstInvalidEntryId: string | null } }>(
    system.adminKey,
    '{ verifyLedger { ok entriesChecked firstInvalidEntryId } }',
  )).verifyLedger;
}

/** Today's card settlement report reconciled against the ledger, as the ADMIN runs it. */
export async function reconcileCardToday(system: CrashSystem): Promise<ReconciliationReportResult> {
  const result = await system.query<{ runReconciliation: ReconciliationReportResult }>(
    system.adminKey,
    `mutation($input: RunReconciliationInput!) { runReconciliation(input: $input) { ${REPORT_FIELDS} } }`,
    { input: { channel: 'CARD', date: utcToday() } },
  );
  return expectNoErrors(result).runReconciliation;
}

const schemaOf = (dialect: string, name: string) => (dialect === 'postgresql' ? `"${name}".` : '');

/**
 * Waits until the relays have published every event of the producers' outboxes and `consumer` has
 * applied each (its inbox has reached every aggregate's last sequence): accounting reads the payment
 * events, transaction and analytics both streams.
 */
export async function consumerCaughtUp(system: CrashSystem, consumer: 'accounting' | 'transaction' | 'analytics'): Promise<void> {
  const producers = consumer === 'accounting' ? (['payment'] as const) : (['payment', 'accounting'] as const);
  const inbox = await system.database(consumer);
  const behind = async () => {
    const positions = await inbox
      .fork()
      .getConnection()
      .execute<{ consumer: string; aggregate_id: string; last_sequence: number }[]>(`select consumer, aggregate_id, last_sequence from ${schemaOf(inbox.dialect, consumer)}inbox`);
    const done = new Map<string, number>();
    for (const row of positions) {
      const key = `${row.consumer.includes(':') ? row.consumer.split(':')[1] : 'payment'} ${row.aggregate_id}`;
      done.set(key, Math.max(done.get(key) ?? 0, Number(row.last_sequence)));
    }
    const lagging: string[] = [];
    for (const producer of producers) {
      const outbox = await system.database(producer);
      const heads = await outbox
        .fork()
        .getConnection()
        .execute<{ aggregate_id: string; n: number }[]>(`select aggregate_id, max(sequence) as n from ${schemaOf(outbox.dialect, producer)}outbox group by aggregate_id`);
      for (const head of heads) if ((done.get(`${producer} ${head.aggregate_id}`) ?? 0) < Number(head.n)) lagging.push(`${producer} ${head.aggregate_id}`);
    }
    return lagging;
  };
  await eventually(behind, (lagging) => lagging.length === 0, { what: `every event applied by ${consumer}`, timeoutMs: 60_000, intervalMs: 100 });
}
