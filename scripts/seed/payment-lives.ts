import { currencyExponent, isPositive, money, subtract } from '../../lib/money.js';
import type { CaptureMethod, CardSummary, NextAction, PaymentChannel, PaymentStatus } from '../../subgraphs/payment/entities/Payment.js';
import type { RefundStatus } from '../../subgraphs/payment/entities/Refund.js';
import { medianTicket, type MerchantProfile } from './merchants.js';
import { weighted, type Random } from './random.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** how long a wallet's QR code waits for its payer (PAYMENT_QR_TTL's default) */
const QR_TTL = 15 * MINUTE;

export interface RefundLife {
  id: string;
  amount: bigint;
  status: RefundStatus;
  reason: string | null;
  failureCode: string | null;
  providerReference: string | null;
  createdAt: Date;
  /** when the provider answered: SUCCEEDED or FAILED; null while PENDING */
  endedAt: Date | null;
}

/** A payment as it stands at the end of the period, with everything that happened to it on the way. */
export interface PaymentLife {
  id: string;
  merchant: MerchantProfile;
  channel: PaymentChannel;
  captureMethod: CaptureMethod;
  currency: string;
  amount: bigint;
  status: PaymentStatus;
  amountCapturable: bigint;
  amountReceived: bigint;
  capturedAt: Date | null;
  failureCode: string | null;
  failureMessage: string | null;
  cancellationReason: string | null;
  nextAction: NextAction | null;
  card: CardSummary | null;
  providerReference: string | null;
  expiresAt: Date | null;
  description: string;
  createdAt: Date;
  updatedAt: Date;
  refunds: RefundLife[];
}

const cardDeclines = weighted({ CARD_DECLINED: 55, INSUFFICIENT_FUNDS: 25, EXPIRED_CARD: 10, INCORRECT_NUMBER: 5, PAYER_DECLINED: 5 });
const declineMessages: Record<string, string> = {
  CARD_DECLINED: 'The card was declined',
  INSUFFICIENT_FUNDS: 'The card has insufficient funds',
  EXPIRED_CARD: 'The card has expired',
  INCORRECT_NUMBER: 'The card number is incorrect',
  PAYER_DECLINED: 'The payer did not complete 3-D Secure authentication',
};
const walletDeclines: Record<string, string> = { ALIPAY: 'The order was closed at Alipay before it was paid', WECHAT_PAY: 'The payer did not complete the WeChat Pay payment' };
const cardEnds = weighted({ SUCCEEDED: 85, FAILED: 9, CANCELED: 2, REQUIRES_ACTION: 2, REQUIRES_CONFIRMATION: 2 });
const manualCardEnds = weighted({ SUCCEEDED: 84, CANCELED: 10, FAILED: 6 });
const walletEnds = weighted({ SUCCEEDED: 87, UNPAID: 7, FAILED: 4, REQUIRES_CONFIRMATION: 2 });
const brands = weighted({ visa: 55, mastercard: 35, amex: 10 });

const digits = (random: Random, n: number) => Array.from({ length: n }, () => random.below(10)).join('');

/** A ticket of the merchant's currency, log-normal around the currency's median, in minor units (at least one). */
function ticket(random: Random, merchant: MerchantProfile, currency: string): bigint {
  const decimals = currencyExponent(currency)!;
  const major = random.logNormal((medianTicket[currency] ?? 50) * merchant.ticketScale, 0.9);
  return BigInt(Math.max(1, Math.round(major * 10 ** decimals)));
}

/** Changes a life, checked against its type. */
const update = (life: PaymentLife, changes: Partial<PaymentLife>) => void Object.assign(life, changes);

/** `at` plus `ms`, but never at or after the end of the period. */
const before = (end: Date, at: number, ms: number) => new Date(Math.min(at + ms, end.getTime() - 1));

/**
 * One payment's whole life, created at `createdAt` by one of the merchant's customers, as seen at `end`:
 * how it ended (most succeed, some fail or are canceled, a few still wait), what was captured, and
 * its refunds. A wallet payment is CNY and captured when the payer pays; a card may be captured later,
 * in part. Nothing happens at or after `end`: what would is still pending then.
 */
export function livePayment(random: Random, merchant: MerchantProfile, createdAt: Date, end: Date): PaymentLife {
  const channel = merchant.channels.draw(random);
  const wallet = channel !== 'CARD';
  const currency = wallet ? 'CNY' : merchant.cardCurrencies.draw(random);
  const captureMethod: CaptureMethod = !wallet && random.chance(0.1) ? 'MANUAL' : 'AUTOMATIC';
  const t = createdAt.getTime();
  const life: PaymentLife = {
    id: random.id('pay', t),
    merchant,
    channel,
    captureMethod,
    currency,
    amount: ticket(random, merchant, currency),
    status: 'REQUIRES_CONFIRMATION',
    amountCapturable: 0n,
    amountReceived: 0n,
    capturedAt: null,
    failureCode: null,
    failureMessage: null,
    cancellationReason: null,
    nextAction: null,
    card: null,
    providerReference: null,
    expiresAt: null,
    description: random.pick(merchant.region.products),
    createdAt,
    updatedAt: createdAt,
    refunds: [],
  };
  if (wallet) walletLife(random, life, end);
  else cardLife(random, life, end);
  if (life.status === 'SUCCEEDED') refundsOf(random, life, end);
  return life;
}

function cardLife(random: Random, life: PaymentLife, end: Date): void {
  const t = life.createdAt.getTime();
  const ending = life.captureMethod === 'MANUAL' ? manualCardEnds.draw(random) : cardEnds.draw(random);
  if (ending === 'REQUIRES_CONFIRMATION') return;
  if (ending === 'CANCELED' && life.captureMethod === 'AUTOMATIC') {
    update(life, { status: 'CANCELED', cancellationReason: 'abandoned', updatedAt: before(end, t, random.between(1, 120) * MINUTE) });
    return;
  }
  const brand = brands.draw(random);
  const year = life.createdAt.getUTCFullYear();
  life.card = { brand, last4: digits(random, 4), expMonth: random.between(1, 12), expYear: random.between(year + 1, year + 5) };
  life.providerReference = `auth_${random.id('', t).slice(1)}`;
  const answered = before(end, t, random.between(800, 6_000));
  if (ending === 'FAILED') {
    const code = cardDeclines.draw(random);
    update(life, { status: 'FAILED', failureCode: code, failureMessage: declineMessages[code], updatedAt: answered });
  } else if (ending === 'REQUIRES_ACTION') {
    update(life, { status: 'REQUIRES_ACTION', nextAction: { type: 'REDIRECT', url: `http://127.0.0.1:4101/3ds/${life.providerReference}` }, updatedAt: answered });
  } else if (life.captureMethod === 'AUTOMATIC') {
    // a twelfth of the cards ask for 3-D Secure first, which the payer passes within minutes
    const at = random.chance(1 / 12) ? before(end, t, random.between(20, 240) * SECOND) : answered;
    update(life, { status: 'SUCCEEDED', amountReceived: life.amount, capturedAt: at, updatedAt: at });
  } else {
    manualCapture(random, life, ending, answered, end);
  }
}

/** A card authorized for later capture: captured (in part, sometimes) hours later, canceled, or still waiting at the end. */
function manualCapture(random: Random, life: PaymentLife, ending: string, authorized: Date, end: Date): void {
  const later = authorized.getTime() + Math.min(6 * DAY, random.logNormal(6 * HOUR, 1));
  if (later >= end.getTime()) {
    update(life, { status: 'REQUIRES_CAPTURE', amountCapturable: life.amount, updatedAt: authorized });
  } else if (ending === 'CANCELED') {
    update(life, { status: 'CANCELED', cancellationReason: random.pick(['requested_by_customer', 'out_of_stock', null]), updatedAt: new Date(later) });
  } else {
    const partial = random.chance(0.25) ? BigInt(Math.max(1, Math.round(Number(life.amount) * (0.5 + random.next() / 2)))) : life.amount;
    update(life, { status: 'SUCCEEDED', amountReceived: partial, capturedAt: new Date(later), updatedAt: new Date(later) });
  }
}

/** A wallet payment: a QR code the payer scans and pays (or declines, or leaves until it expires). */
function walletLife(random: Random, life: PaymentLife, end: Date): void {
  const t = life.createdAt.getTime();
  const ending = walletEnds.draw(random);
  if (ending === 'REQUIRES_CONFIRMATION') return;
  life.expiresAt = new Date(t + QR_TTL);
  const qr = life.channel === 'ALIPAY' ? `https://qr.alipay.com/bax0${random.id('', t).slice(1, 21)}` : `weixin://wxpay/bizpayurl?pr=${random.id('', t).slice(1, 12)}`;
  const waiting = { status: 'REQUIRES_ACTION' as const, nextAction: { type: 'QR_CODE' as const, url: qr }, updatedAt: life.createdAt };
  const paidAt = t + Math.min(QR_TTL - SECOND, Math.max(5 * SECOND, random.logNormal(40 * SECOND, 0.8)));
  const reference = () => (life.channel === 'ALIPAY' ? `${tradeDate(life.createdAt)}2200${digits(random, 16)}` : `4200${digits(random, 6)}${tradeDate(life.createdAt)}${digits(random, 10)}`);
  if (ending === 'SUCCEEDED') {
    if (paidAt >= end.getTime()) update(life, waiting);
    else update(life, { status: 'SUCCEEDED', amountReceived: life.amount, capturedAt: new Date(paidAt), updatedAt: new Date(paidAt), providerReference: reference() });
  } else if (ending === 'FAILED') {
    if (paidAt >= end.getTime()) update(life, waiting);
    else update(life, { status: 'FAILED', failureCode: 'PAYER_DECLINED', failureMessage: walletDeclines[life.channel], updatedAt: new Date(paidAt), providerReference: reference() });
  } else if (t + QR_TTL + 30 * SECOND >= end.getTime()) {
    update(life, waiting);
  } else {
    // the recovery job closes it at the provider once it has expired
    update(life, { status: 'CANCELED', failureCode: 'PAYMENT_EXPIRED', failureMessage: 'The payer did not pay before the payment expired', updatedAt: new Date(t + QR_TTL + 30 * SECOND) });
  }
}

const tradeDate = (at: Date) => at.toISOString().slice(0, 10).replaceAll('-', '');

/**
 * Refunds of a captured payment: a few payments have one, some of those a second, days later; each
 * whole or in part of what is left. Most succeed, a few are refused; one the provider has not answered
 * by the end stays PENDING. A refund that would be asked after the end is not there.
 */
function refundsOf(random: Random, life: PaymentLife, end: Date): void {
  if (!random.chance(life.channel === 'CARD' ? 0.07 : 0.05)) return;
  const count = random.chance(0.2) ? 2 : 1;
  let left = life.amountReceived;
  let at = life.capturedAt!.getTime() + Math.max(10 * MINUTE, Math.min(60 * DAY, random.logNormal(2 * DAY, 1.2)));
  for (let i = 0; i < count && isPositive(money(left, life.currency)) && at < end.getTime(); i++) {
    const amount = random.chance(0.35) ? left : BigInt(Math.max(1, Math.round(Number(left) * (0.1 + 0.8 * random.next()))));
    const status: RefundStatus = random.chance(0.04) ? 'FAILED' : 'SUCCEEDED';
    const answeredAt = at + (life.channel === 'WECHAT_PAY' ? random.between(5, 120) * SECOND : random.between(800, 3_000));
    const refund: RefundLife = {
      id: random.id('re', at),
      amount,
      status: answeredAt >= end.getTime() ? 'PENDING' : status,
      reason: random.pick(['requested_by_customer', 'duplicate', 'damaged', null]),
      failureCode: null,
      providerReference: null,
      createdAt: new Date(at),
      endedAt: answeredAt >= end.getTime() ? null : new Date(answeredAt),
    };
    if (refund.status === 'FAILED') refund.failureCode = 'REFUND_REJECTED';
    if (refund.status === 'SUCCEEDED') refund.providerReference = `rf_${random.id('', answeredAt).slice(1, 21)}`;
    // a refused refund gives its amount back; a pending one keeps it reserved
    if (refund.status !== 'FAILED') left = subtract(money(left, life.currency), money(amount, life.currency)).minor;
    life.refunds.push(refund);
    const touched = refund.endedAt ?? refund.createdAt;
    if (touched > life.updatedAt) life.updatedAt = touched;
    at += Math.max(10 * MINUTE, random.logNormal(DAY, 1));
  }
}
