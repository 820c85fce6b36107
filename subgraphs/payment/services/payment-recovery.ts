import type { Clock } from '../../../lib/clock.js';
import type { Dialect, Em } from '../../../lib/database.js';
import type { RecoveryObserver } from '../../../lib/metrics/payment.js';
import { Payment, type PendingOperation } from '../entities/Payment.js';
import { Refund } from '../entities/Refund.js';
import { ChannelError, type ChannelConnector, type ChannelRegistry } from '../channels/channel.js';
import { completeRecoveryPoint } from './idempotency.js';
import { applyAuthorizationOutcome, expirePayment, hasExpired } from './payment-outcomes.js';
import {
  authorize,
  cancelDecision,
  cancelOnce,
  captureDecision,
  closedByProvider,
  commitPaymentOutcome,
  confirmationNotReceived,
  confirmDecision,
  isOutcome,
  resolveCapture,
  type PaymentAnswer,
  type PaymentDecision,
} from './payment-settlement.js';
import { lockPaymentIfExists } from './payment-store.js';
import { applyRefundOutcome } from './refund-outcomes.js';

export interface PaymentRecoveryDeps {
  em: Em;
  dialect: Dialect;
  clock: Clock;
  channels: ChannelRegistry;
  /** a payment or refund this long without news from its provider is asked about, at most once per this period */
  staleAfterMs: number;
  /** errors other than a provider's refusal or absence (those are retried next run) */
  onError: (error: unknown) => void;
  batchSize?: number;
  /** what each payment or refund looked at came to (metrics) */
  onResolution?: RecoveryObserver;
}

export interface RecoveryRun {
  payments: number;
  refunds: number;
}

/**
 * What a lost callback, an unanswered request or a process that died left waiting: asks the provider about
 * payments that wait for their payer, about every operation in flight (a confirmation, a capture, a cancel:
 * `pendingOperation`) and about PENDING refunds, and applies what it says; closes unpaid payments past their
 * expiry and cancels them with PAYMENT_EXPIRED. An operation in flight is carried on at the provider with its
 * own key (a capture captured, a cancel voided again) and ends in the provider's real state; the idempotency
 * key of its request is completed with that answer. Every change is made under the payment's lock and only
 * from the state it was decided on.
 */
export class PaymentRecovery {
  constructor(private readonly deps: PaymentRecoveryDeps) {}

  async run(): Promise<RecoveryRun> {
    const now = this.deps.clock.now();
    let payments = 0;
    for (const payment of await this.duePayments(now)) {
      const changed = await this.guard('payment', () => this.recoverPayment(payment), () => this.deps.em.fork().nativeUpdate(Payment, { id: payment.id }, this.checked()));
      if (changed) payments += 1;
    }
    let refunds = 0;
    for (const refund of await this.dueRefunds(now)) {
      const changed = await this.guard('refund', () => this.recoverRefund(refund), () => this.deps.em.fork().nativeUpdate(Refund, { id: refund.id }, this.checked()));
      if (changed) refunds += 1;
    }
    return { payments, refunds };
  }

  private async duePayments(now: Date): Promise<Payment[]> {
    const stale = new Date(now.getTime() - this.deps.staleAfterMs);
    const quiet = { updatedAt: { $lt: stale }, $or: [{ providerCheckedAt: null }, { providerCheckedAt: { $lt: stale } }] };
    const waiting = { $or: [{ status: { $in: ['REQUIRES_ACTION', 'PROCESSING'] as Payment['status'][] } }, { pendingOperation: { $ne: null } }] };
    return this.deps.em.fork().find(
      Payment,
      { $and: [waiting, { $or: [quiet, { expiresAt: { $lte: now } }] }] },
      { orderBy: { updatedAt: 'asc', id: 'asc' }, limit: this.deps.batchSize ?? 100 },
    );
  }

  private async dueRefunds(now: Date): Promise<Refund[]> {
    const stale = new Date(now.getTime() - this.deps.staleAfterMs);
    return this.deps.em.fork().find(
      Refund,
      { status: 'PENDING', updatedAt: { $lt: stale }, $or: [{ providerCheckedAt: null }, { providerCheckedAt: { $lt: stale } }] },
      { orderBy: { updatedAt: 'asc', id: 'asc' }, limit: this.deps.batchSize ?? 100 },
    );
  }

  private async recoverPayment(payment: Payment): Promise<boolean> {
    const connector = this.deps.channels[payment.channel];
    if (!connector) return false;
    switch (payment.pendingOperation) {
      case 'CAPTURE':
        return this.settle(payment, 'CAPTURE', await resolveCapture(connector, payment), captureDecision);
      case 'CANCEL':
        return this.settle(payment, 'CANCEL', await cancelOnce(connector, payment), cancelDecision);
      case 'CONFIRM':
        return this.recoverConfirmation(payment, connector);
      default:
        return this.recoverWaitingPayer(payment, connector);
    }
  }

  /**
   * A confirmation in flight: the provider is asked by our own reference (the payment id), so an authorization
   * whose id we never saved is found. A card confirmation the acquirer never received, stale by now, ends FAILED
   * (CONFIRMATION_NOT_RECEIVED); a wallet order the provider does not know, or knows only as unpaid, is placed
   * again with the same out_trade_no (its QR code was never saved); one past its expiry is closed and expires.
   */
  private async recoverConfirmation(payment: Payment, connector: ChannelConnector): Promise<boolean> {
    const result = await connector.query(payment);
    const now = this.deps.clock.now();
    if (isOutcome(result)) return this.settle(payment, 'CONFIRM', result, confirmDecision);
    if (hasExpired(payment, now)) {
      if (result.kind !== 'closed') await connector.cancel(payment);
      return this.settle(payment, 'CONFIRM', 'expired', () => expireDecision);
    }
    if (result.kind === 'closed') return this.settle(payment, 'CONFIRM', closedByProvider(result.providerReference), confirmDecision);
    if (payment.channel === 'CARD') {
      return this.settle(payment, 'CONFIRM', result.kind === 'not_found' ? confirmationNotReceived : null, confirmDecision);
    }
    return this.settle(payment, 'CONFIRM', await authorize(connector, payment, null, now), confirmDecision);
  }

  /** A payment waiting for its payer: a lost callback, or a QR code past its expiry. */
  private async recoverWaitingPayer(payment: Payment, connector: ChannelConnector): Promise<boolean> {
    const result = await connector.query(payment);
    const decided = payment.status;
    if (isOutcome(result) && result.kind !== 'requires_action') {
      return this.change(payment.id, decided, (tx, locked, now) => applyAuthorizationOutcome(tx, locked, result, now));
    }
    if (!isOutcome(result) && hasExpired(payment, this.deps.clock.now())) {
      // closed at the provider first, so that it can no longer be paid; refused when it was paid meanwhile
      if (result.kind !== 'closed') await connector.cancel(payment);
      return this.change(payment.id, decided, (tx, locked, now) => expirePayment(tx, locked, now));
    }
    if (result.kind === 'closed') {
      return this.change(payment.id, decided, (tx, locked, now) => applyAuthorizationOutcome(tx, locked, closedByProvider(result.providerReference), now));
    }
    await this.deps.em.fork().nativeUpdate(Payment, { id: payment.id }, this.checked());
    return false;
  }

  /**
   * Commits what the provider said of an operation in flight, under the payment's lock and only while that
   * operation is still pending, and completes the idempotency key whose work it was (a retry then gets this answer).
   * Null: no word yet; asked again a period later.
   */
  private async settle<V>(payment: Payment, operation: PendingOperation, verdict: V | null, decisionOf: (verdict: V) => PaymentDecision | null): Promise<boolean> {
    const decision = verdict === null ? null : decisionOf(verdict);
    if (decision === null) {
      await this.deps.em.fork().nativeUpdate(Payment, { id: payment.id }, this.checked());
      return false;
    }
    const write = async (tx: Em, answer: PaymentAnswer) => {
      await completeRecoveryPoint(tx, { resourceId: payment.id, operation }, answer);
      return true;
    };
    const result = await commitPaymentOutcome(this.deps, payment.id, operation, decision, { write });
    return result.applied;
  }

  private async recoverRefund(refund: Refund): Promise<boolean> {
    const { em, dialect, clock, channels } = this.deps;
    const payment = await em.fork().findOne(Payment, { id: refund.paymentId });
    const connector = payment ? channels[payment.channel] : undefined;
    if (!payment || !connector) return false;
    const outcome = await connector.queryRefund(payment, refund);
    const changed = await em.fork().transactional(async (tx) => {
      const locked = await lockPaymentIfExists(tx, dialect, payment.id);
      const current = await tx.findOne(Refund, { id: refund.id });
      if (!locked || !current) return false;
      current.providerCheckedAt = clock.now();
      const applied = applyRefundOutcome(tx, locked, current, outcome, clock.now());
      await tx.flush();
      if (applied) await completeRecoveryPoint(tx, { resourceId: current.id, operation: 'REFUND' }, { response: current });
      return applied;
    });
    return changed;
  }

  /** Applies `change` when the payment is still in the status the provider's answer was read for. */
  private async change(id: string, decided: Payment['status'], change: (tx: Em, payment: Payment, now: Date) => void): Promise<boolean> {
    const { em, dialect, clock } = this.deps;
    return em.fork().transactional(async (tx) => {
      const locked = await lockPaymentIfExists(tx, dialect, id);
      if (!locked || locked.status !== decided) return false;
      const now = clock.now();
      locked.providerCheckedAt = now;
      change(tx, locked, now);
      return true;
    });
  }

  private checked() {
    return { providerCheckedAt: this.deps.clock.now() };
  }

  /** A provider that refuses or cannot be reached now is asked again a period later; other faults are reported. */
  private async guard(subject: 'payment' | 'refund', work: () => Promise<boolean>, markChecked: () => Promise<unknown>): Promise<boolean> {
    try {
      const changed = await work();
      this.deps.onResolution?.(subject, changed ? 'resolved' : 'unresolved');
      return changed;
    } catch (error) {
      this.deps.onResolution?.(subject, error instanceof ChannelError ? 'provider_unavailable' : 'error');
      if (error instanceof ChannelError) await markChecked().catch(this.deps.onError);
      else this.deps.onError(error);
      return false;
    }
  }
}

const expireDecision: PaymentDecision = (tx, payment, now) => {
  expirePayment(tx, payment, now);
  return null;
};
