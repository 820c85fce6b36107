import { absolute, isNegative, subtract, type Money } from '../../../lib/money.js';
import { accounts } from './accounts.js';
import { entry, type JournalDraft } from './journal-draft.js';

/** What the journals of one payment are about. */
export interface PaymentRef {
  paymentId: string;
  merchantId: string;
  channel: string;
  currency: string;
}

interface Origin {
  eventId: string | null;
  occurredAt: Date;
}

function header(type: JournalDraft['type'], payment: Omit<PaymentRef, 'channel'>, origin: Origin): Omit<JournalDraft, 'entries'> {
  const { paymentId, merchantId, currency } = payment;
  return { type, paymentId, merchantId, currency, eventId: origin.eventId, occurredAt: origin.occurredAt };
}

/**
 * A capture (automatic, or manual, full or partial): the provider owes the captured amount; the
 * merchant is owed it less the fee, pending until settlement; the platform earns the fee.
 */
export function captureJournal(payment: PaymentRef, captured: Money, fee: Money, origin: Origin): JournalDraft {
  return {
    ...header('capture', payment, origin),
    entries: [
      ...entry(accounts.providerClearing(payment.channel), 'DEBIT', captured),
      ...entry(accounts.merchantPending(payment.merchantId), 'CREDIT', subtract(captured, fee)),
      ...entry(accounts.platformFees, 'CREDIT', fee),
    ],
  };
}

/**
 * A refund: the merchant pays it back (from pending funds before settlement, from available ones
 * after); it leaves through the provider. The fee is not returned: the merchant bears it.
 */
export function refundJournal(payment: PaymentRef, amount: Money, settled: boolean, origin: Origin): JournalDraft {
  const { merchantId } = payment;
  const from = settled ? accounts.merchantAvailable(merchantId) : accounts.merchantPending(merchantId);
  return {
    ...header('refund', payment, origin),
    entries: [
      ...entry(from, 'DEBIT', amount),
      ...entry(accounts.providerClearing(payment.channel), 'CREDIT', amount),
    ],
  };
}

/**
 * Settlement moves what remains of a payment in pending to available. It is negative when refunds
 * exceeded the net (fees are kept): the shortfall then moves from available to pending.
 */
export function settlementJournal(payment: Omit<PaymentRef, 'channel'>, amount: Money, origin: Origin): JournalDraft {
  const { merchantId } = payment;
  const pending = accounts.merchantPending(merchantId);
  const available = accounts.merchantAvailable(merchantId);
  const shortfall = isNegative(amount);
  return {
    ...header('settlement', payment, origin),
    entries: [
      ...entry(shortfall ? available : pending, 'DEBIT', absolute(amount)),
      ...entry(shortfall ? pending : available, 'CREDIT', absolute(amount)),
    ],
  };
}
