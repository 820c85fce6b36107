import { parseDecimalAmount, sum } from '../../lib/money.js';
import { expectNoErrors, type GraphQLResponse } from './graphql.js';
import type {
  CancelPaymentResult,
  CapturePaymentResult,
  ConfirmPaymentResult,
  CreateApiKeyResult,
  CreatePaymentResult,
  PaymentQueryResult,
  PaymentResult,
  PaymentsPageResult,
  RefundPaymentResult,
  SandboxPayerActionResult,
} from './operations.js';
import type { System } from './system.js';

/** Operations the integration tests share, written once against the public contract. */
export const PAYMENT_FIELDS = `
  id status channel captureMethod failureCode failureMessage
  amount { amount currency minorUnits }
  amountCapturable { amount currency minorUnits }
  amountReceived { amount currency minorUnits }
  amountRefunded { amount currency minorUnits }
  nextAction { type url }
  card { brand last4 expMonth expYear }
  merchant { id }
  refunds { id status amount { amount } }
  createdAt updatedAt
`;

export const TEST_CARDS = {
  succeeds: '4242424242424242',
  declined: '4000000000000002',
  threeDSecure: '4000000000003220',
  insufficientFunds: '4000000000009995',
  refundsDeclined: '4000000000005126',
} as const;

let counter = 0;
export function uniqueKey(prefix = 'key'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now()}-${counter}`;
}

export function errorCode(result: GraphQLResponse): string | undefined {
  return result.errors?.[0]?.extensions?.code;
}

export function card(number: string = TEST_CARDS.succeeds) {
  return { number, expMonth: 12, expYear: new Date().getUTCFullYear() + 3, cvc: '123' };
}

export async function createPayment(
  system: System,
  apiKey: string,
  input: { amount?: string; currency?: string; captureMethod?: 'AUTOMATIC' | 'MANUAL'; idempotencyKey?: string } = {},
): Promise<PaymentResult> {
  const result = await system.query<CreatePaymentResult>(apiKey, `mutation($input: CreatePaymentInput!) { createPayment(input: $input) { ${PAYMENT_FIELDS} } }`, {
    input: {
      amount: { amount: input.amount ?? '100.00', currency: input.currency ?? 'USD' },
      channel: 'CARD',
      captureMethod: input.captureMethod ?? 'AUTOMATIC',
      idempotencyKey: input.idempotencyKey ?? uniqueKey('create'),
    },
  });
  return expectNoErrors(result).createPayment;
}

export function confirm(system: System, apiKey: string, paymentId: string, number: string = TEST_CARDS.succeeds, idempotencyKey = uniqueKey('confirm')) {
  return system.query<ConfirmPaymentResult>(apiKey, `mutation($input: ConfirmPaymentInput!) { confirmPayment(input: $input) { ${PAYMENT_FIELDS} } }`, {
    input: { paymentId, card: card(number), idempotencyKey },
  });
}

export function capture(system: System, apiKey: string, paymentId: string, amount?: { amount: string; currency: string }, idempotencyKey = uniqueKey('capture')) {
  return system.query<CapturePaymentResult>(apiKey, `mutation($input: CapturePaymentInput!) { capturePayment(input: $input) { ${PAYMENT_FIELDS} } }`, {
    input: { paymentId, amount, idempotencyKey },
  });
}

export function cancel(system: System, apiKey: string, paymentId: string, idempotencyKey = uniqueKey('cancel')) {
  return system.query<CancelPaymentResult>(apiKey, `mutation($input: CancelPaymentInput!) { cancelPayment(input: $input) { ${PAYMENT_FIELDS} } }`, {
    input: { paymentId, reason: 'requested by customer', idempotencyKey },
  });
}

export function refund(system: System, apiKey: string, paymentId: string, amount?: { amount: string; currency: string }, idempotencyKey = uniqueKey('refund')) {
  return system.query<RefundPaymentResult>(
    apiKey,
    `mutation($input: RefundPaymentInput!) { refundPayment(input: $input) { id status amount { amount currency minorUnits } payment { ${PAYMENT_FIELDS} } } }`,
    { input: { paymentId, amount, idempotencyKey } },
  );
}

export function payerAction(system: System, apiKey: string, paymentId: string, outcome: 'APPROVE' | 'DECLINE') {
  return system.query<SandboxPayerActionResult>(apiKey, `mutation($id: ID!, $outcome: SandboxOutcome!) { sandboxPayerAction(paymentId: $id, outcome: $outcome) { ${PAYMENT_FIELDS} } }`, {
    id: paymentId,
    outcome,
  });
}

/** The payment as the caller sees it; null when it cannot (not its payment, or no such payment). */
export async function findPayment(system: System, apiKey: string, id: string): Promise<PaymentResult | null> {
  const result = await system.query<PaymentQueryResult>(apiKey, `query($id: ID!) { payment(id: $id) { ${PAYMENT_FIELDS} } }`, { id });
  return result.data?.payment ?? null;
}

/** The payment, which the caller must be able to see. */
export async function getPayment(system: System, apiKey: string, id: string): Promise<PaymentResult> {
  const payment = await findPayment(system, apiKey, id);
  if (!payment) throw new Error(`payment ${id} is not visible to this key`);
  return payment;
}

/** A payment already in the given status, reached through the API. */
export async function paymentIn(system: System, apiKey: string, status: string): Promise<PaymentResult> {
  const manual = status === 'REQUIRES_CAPTURE';
  const payment = await createPayment(system, apiKey, { captureMethod: manual ? 'MANUAL' : 'AUTOMATIC' });
  if (status === 'REQUIRES_CONFIRMATION') return payment;
  if (status === 'CANCELED') return expectNoErrors(await cancel(system, apiKey, payment.id)).cancelPayment;
  const number = { REQUIRES_ACTION: TEST_CARDS.threeDSecure, FAILED: TEST_CARDS.declined }[status] ?? TEST_CARDS.succeeds;
  const result = await confirm(system, apiKey, payment.id, number);
  if (result.data?.confirmPayment.status !== status) throw new Error(`could not reach ${status}: ${JSON.stringify(result)}`);
  return result.data.confirmPayment;
}

/** A new API key issued by the ADMIN key through the API. */
export async function issueApiKey(system: System, role: 'MERCHANT' | 'ANALYST', merchantId?: string | null): Promise<string> {
  const result = await system.query<CreateApiKeyResult>(system.adminKey, 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey } }', {
    input: { role, merchantId },
  });
  return expectNoErrors(result).createApiKey.apiKey;
}

/** A table of the payment subgraph's database, as SQL names it (in schema "payment" on PostgreSQL). */
export function paymentTable(system: System, name: string): string {
  return system.payment.database.dialect === 'postgresql' ? `payment."${name}"` : `"${name}"`;
}

/** Rows of a read-only SQL query on the payment subgraph's database, behind the API's back. */
export async function selectRows(system: System, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  return system.payment.database.fork().getConnection().execute(sql, params, 'all');
}

/** How many rows of a payment subgraph table match `where` (SQL with ? placeholders). */
export async function countRows(system: System, table: string, where = '1 = 1', params: unknown[] = []): Promise<number> {
  const rows = await selectRows(system, `select count(*) as n from ${paymentTable(system, table)} where ${where}`, params);
  return Number(rows[0]?.['n']);
}

/** What the payment subgraph has written: the row counts of every table a provider callback could change. */
export function writtenRows(system: System): Promise<number[]> {
  return Promise.all(['outbox', 'provider_notifications', 'payments', 'refunds'].map((table) => countRows(system, table)));
}

/** How many payments the caller can list, page after page through the `payments` query. */
export async function countPayments(system: System, apiKey: string): Promise<number> {
  let count = 0;
  let after: string | null = null;
  for (;;) {
    const { payments }: PaymentsPageResult = expectNoErrors(
      await system.query<PaymentsPageResult>(
        apiKey,
        'query($after: String) { payments(first: 100, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }',
        { after },
      ),
    );
    count += payments.edges.length;
    if (!payments.pageInfo.hasNextPage) return count;
    after = payments.pageInfo.endCursor;
  }
}

/** A decimal amount of `currency` as its minor units ("5.55" USD is 555n). */
export function minor(amount: string, currency: string): bigint {
  return parseDecimalAmount(amount, currency).minor;
}

/** The sum, in minor units, of a payment's refunds that count towards amountRefunded: PENDING and SUCCEEDED. */
export function liveRefundsMinor(payment: {
  amountRefunded: { currency: string };
  refunds: { status: string; amount: { amount: string } }[];
}): bigint {
  const { currency } = payment.amountRefunded;
  const live = payment.refunds.filter((refund) => refund.status === 'PENDING' || refund.status === 'SUCCEEDED');
  return sum(live.map((refund) => parseDecimalAmount(refund.amount.amount, currency)), currency).minor;
}
