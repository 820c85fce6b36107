/**
 * What each client does, over and over: real partner flows through the gateway, every mutation with
 * an idempotency key and retried with it until the answer is definitive.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Mutator, Outcome } from './api.js';

const CREATE = `mutation($input: CreatePaymentInput!) { createPayment(input: $input) { id status } }`;
const CONFIRM = `mutation($input: ConfirmPaymentInput!) { confirmPayment(input: $input) { id status amountReceived { amount } } }`;
const CAPTURE = `mutation($input: CapturePaymentInput!) { capturePayment(input: $input) { id status amountReceived { amount } } }`;
const CANCEL = `mutation($input: CancelPaymentInput!) { cancelPayment(input: $input) { id status } }`;
const REFUND = `mutation($input: RefundPaymentInput!) { refundPayment(input: $input) { id status amount { amount } } }`;
const PAYER = `mutation($paymentId: ID!) { sandboxPayerAction(paymentId: $paymentId, outcome: APPROVE) { id status } }`;
const STATUS = `query($id: ID!) { payment(id: $id) { id status amountReceived { amount } } }`;

const CARD_OK = { number: '4242424242424242', expMonth: 12, expYear: 2035, cvc: '123' };
const CARD_DECLINED = { number: '4000000000000002', expMonth: 12, expYear: 2035, cvc: '123' };

/** What the clients were told, for the checks: each payment's channel and each refund they got. */
export interface ClientView {
  payments: Map<string, { channel: string; createdAt: number }>;
  refunds: { key: string; paymentId: string; refundId: string; amountCents: number }[];
  flows: Map<string, number>;
  abandoned: Map<string, number>;
}

export function newClientView(): ClientView {
  return { payments: new Map(), refunds: [], flows: new Map(), abandoned: new Map() };
}

/** cents as a decimal amount of a two-decimal currency */
export function decimal(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

const cents = (amount: unknown) => Math.round(Number(amount) * 100);
const receivedOf = (node: Record<string, unknown> | null) => cents((node?.['amountReceived'] as { amount?: string } | undefined)?.amount ?? '0');
const statusOf = (node: Record<string, unknown> | null) => (typeof node?.['status'] === 'string' ? node['status'] : '');
const onlyId = () => '';
const refundAmount = (node: Record<string, unknown>) => String((node['amount'] as { amount?: string } | undefined)?.amount ?? '');

/** What of an answer must be the same on every retry, besides the id: a refund's amount; nothing else (a payment's status moves on) */
export const outcomeDetail = (operation: string) => (operation === 'refundPayment' ? refundAmount : onlyId);

class Abandon extends Error {}

export interface FlowContext {
  api: Mutator;
  view: ClientView;
  random: () => number;
  /** a unique prefix for this client's idempotency keys */
  prefix: string;
}

/** each client's keys are numbered across all its flows: a key is never sent for two requests */
const serials = new WeakMap<FlowContext, number>();

function keyMaker(context: FlowContext) {
  return (what: string) => {
    const n = serials.get(context) ?? 0;
    serials.set(context, n + 1);
    return `${context.prefix}-${what}-${n}`;
  };
}

async function create(context: FlowContext, key: string, channel: string, amount: string, currency: string, captureMethod: 'AUTOMATIC' | 'MANUAL'): Promise<string> {
  const { node } = await context.api.mutate('createPayment', CREATE, { input: { amount: { amount, currency }, channel, captureMethod, idempotencyKey: key } }, key, 'createPayment', onlyId);
  if (!node) throw new Abandon('createPayment');
  const id = String(node['id']);
  context.view.payments.set(id, { channel, createdAt: Date.now() });
  return id;
}

async function refund(context: FlowContext, key: string, paymentId: string, amountCents: number | null): Promise<Outcome | null> {
  const input = { paymentId, idempotencyKey: key, ...(amountCents === null ? {} : { amount: { amount: decimal(amountCents), currency: 'USD' } }) };
  const { outcome, node } = await context.api.mutate('refundPayment', REFUND, { input }, key, 'refundPayment', refundAmount);
  if (outcome?.ok && node) context.view.refunds.push({ key, paymentId, refundId: outcome.id, amountCents: cents((node['amount'] as { amount: string }).amount) });
  return outcome;
}

/** create + confirm by card; AUTOMATIC captures at once, MANUAL then captures (whole or part) or cancels; then refunds some */
async function cardPayment(context: FlowContext, captureMethod: 'AUTOMATIC' | 'MANUAL', declined: boolean): Promise<void> {
  const key = keyMaker(context);
  const amountCents = 100 + Math.floor(context.random() * 49_900);
  const id = await create(context, key('create'), 'CARD', decimal(amountCents), 'USD', captureMethod);
  const confirmKey = key('confirm');
  const confirmed = await context.api.mutate('confirmPayment', CONFIRM, { input: { paymentId: id, card: declined ? CARD_DECLINED : CARD_OK, idempotencyKey: confirmKey } }, confirmKey, 'confirmPayment', onlyId);
  let received = receivedOf(confirmed.node);
  if (statusOf(confirmed.node) === 'REQUIRES_CAPTURE') {
    if (context.random() < 0.3) {
      const cancelKey = key('cancel');
      await context.api.mutate('cancelPayment', CANCEL, { input: { paymentId: id, idempotencyKey: cancelKey } }, cancelKey, 'cancelPayment', onlyId);
      return;
    }
    const partial = context.random() < 0.4 ? 1 + Math.floor(context.random() * (amountCents - 1)) : null;
    const captureKey = key('capture');
    const input = { paymentId: id, idempotencyKey: captureKey, ...(partial === null ? {} : { amount: { amount: decimal(partial), currency: 'USD' } }) };
    const captured = await context.api.mutate('capturePayment', CAPTURE, { input }, captureKey, 'capturePayment', onlyId);
    received = receivedOf(captured.node);
  }
  if (received <= 1 || context.random() < 0.4) return;
  if (context.random() < 0.5) {
    // a partial refund, then (sometimes) what remains
    const first = 1 + Math.floor(context.random() * (received - 1));
    const outcome = await refund(context, key('refund'), id, first);
    if (outcome?.ok && context.random() < 0.5) await refund(context, key('refund'), id, null);
  } else {
    await refund(context, key('refund'), id, null);
  }
}

/** a wallet payment: create, confirm (a QR code), the payer approves in the sandbox, then sometimes a full refund */
async function walletPayment(context: FlowContext, channel: 'ALIPAY' | 'WECHAT_PAY'): Promise<void> {
  const key = keyMaker(context);
  const id = await create(context, key('create'), channel, decimal(100 + Math.floor(context.random() * 99_900)), 'CNY', 'AUTOMATIC');
  const confirmKey = key('confirm');
  const confirmed = await context.api.mutate('confirmPayment', CONFIRM, { input: { paymentId: id, idempotencyKey: confirmKey } }, confirmKey, 'confirmPayment', onlyId);
  if (statusOf(confirmed.node) !== 'REQUIRES_ACTION') return;
  await context.api.act(PAYER, { paymentId: id });
  // the wallet's notification reaches the payment service on its own; wait a little for it
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const read = await context.api.read(STATUS, { id });
    const payment = read?.['payment'] as Record<string, unknown> | null | undefined;
    if (statusOf(payment ?? null) === 'SUCCEEDED') {
      if (context.random() < 0.4) {
        await refund(context, key('refund'), id, null);
      }
      return;
    }
    await delay(500);
  }
}

/** One refund key sent by 20 concurrent requests, each retrying until definitive: one refund, every answer the same. */
async function refundStorm(context: FlowContext): Promise<void> {
  const key = keyMaker(context);
  const id = await create(context, key('create'), 'CARD', '10.00', 'USD', 'AUTOMATIC');
  const confirmKey = key('confirm');
  const confirmed = await context.api.mutate('confirmPayment', CONFIRM, { input: { paymentId: id, card: CARD_OK, idempotencyKey: confirmKey } }, confirmKey, 'confirmPayment', onlyId);
  if (statusOf(confirmed.node) !== 'SUCCEEDED') return;
  const stormKey = key('storm-refund');
  await Promise.all(Array.from({ length: 20 }, () => refund(context, stormKey, id, 1000)));
}

const FLOWS: { name: string; weight: number; run: (context: FlowContext) => Promise<void> }[] = [
  { name: 'card automatic', weight: 40, run: (c) => cardPayment(c, 'AUTOMATIC', false) },
  { name: 'card manual', weight: 30, run: (c) => cardPayment(c, 'MANUAL', false) },
  { name: 'card declined', weight: 6, run: (c) => cardPayment(c, 'AUTOMATIC', true) },
  { name: 'alipay', weight: 12, run: (c) => walletPayment(c, 'ALIPAY') },
  { name: 'wechat pay', weight: 12, run: (c) => walletPayment(c, 'WECHAT_PAY') },
];

async function counted(context: FlowContext, name: string, run: (context: FlowContext) => Promise<void>): Promise<void> {
  context.view.flows.set(name, (context.view.flows.get(name) ?? 0) + 1);
  try {
    await run(context);
  } catch (error) {
    if (!(error instanceof Abandon)) throw error;
    context.view.abandoned.set(name, (context.view.abandoned.get(name) ?? 0) + 1);
  }
}

export function runOneFlow(context: FlowContext): Promise<void> {
  let pick = context.random() * FLOWS.reduce((sum, flow) => sum + flow.weight, 0);
  const flow = FLOWS.find((one) => (pick -= one.weight) < 0) ?? FLOWS[0]!;
  return counted(context, flow.name, flow.run);
}

export function runRefundStorm(context: FlowContext): Promise<void> {
  return counted(context, 'refund storm', refundStorm);
}

/** A card payment made to see events flow: its id once SUCCEEDED, else null. */
export async function probePayment(context: FlowContext): Promise<string | null> {
  const key = keyMaker(context);
  const id = await create(context, key('create'), 'CARD', '1.00', 'USD', 'AUTOMATIC');
  const confirmKey = key('confirm');
  const confirmed = await context.api.mutate('confirmPayment', CONFIRM, { input: { paymentId: id, card: CARD_OK, idempotencyKey: confirmKey } }, confirmKey, 'confirmPayment', onlyId);
  return statusOf(confirmed.node) === 'SUCCEEDED' ? id : null;
}
