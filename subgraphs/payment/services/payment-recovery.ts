import type { Clock } from '../../../lib/clock.js';
import type { Dialect, Em } from '../../../lib/database.js';
import { Payment } from '../entities/Payment.js';
import { Refund } from '../entities/Refund.js';
import { ChannelError, type ChannelRegistry, type PaymentQueryResult } from '../channels/channel.js';
import { applyAuthorizationOutcome, expirePayment, hasExpired } from './payment-outcomes.js';
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
}

export interface RecoveryRun {
  payments: number;
  refunds: number;
}

/**
 * What a lost callback or an unanswered request left waiting: asks the provider about payments that wait
 * for their payer (or for the answer to their confirmation) and about PENDING refunds, and applies what
 * it says; closes unpaid payments past their expiry and cancels them with PAYMENT_EXPIRED.
 * Every change is made under the payment's lock and only from the status it was decided on.
 */
export class PaymentRecovery {
  constructor(private readonly deps: PaymentRecoveryDeps) {}

  async run(): Promise<RecoveryRun> {
    const now = this.deps.clock.now();
    let payments = 0;
    for (const payment of await this.duePayments(now)) {
      const changed = await this.guard(() => this.recoverPayment(payment), () => this.deps.em.fork().nativeUpdate(Payment, { id: payment.id }, this.checked()));
      if (changed) payments += 1;
    }
    let refunds = 0;
    for (const refund of await this.dueRefunds(now)) {
      const changed = await this.guard(() => this.recoverRefund(refund), () => this.deps.em.fork().nativeUpdate(Refund, { id: refund.id }, this.checked()));
      if (changed) refunds += 1;
    }
    return { payments, refunds };
  }

  private async duePayments(now: Date): Promise<Payment[]> {
    const stale = new Date(now.getTime() - this.deps.staleAfterMs);
    const quiet = { updatedAt: { $lt: stale }, $or: [{ providerCheckedAt: null }, { providerCheckedAt: { $lt: stale } }] };
    const rows = await this.deps.em.fork().find(
      Payment,
      { status: { $in: ['REQUIRES_ACTION', 'PROCESSING'] }, $or: [quiet, { expiresAt: { $lte: now } }] },
      { orderBy: { updatedAt: 'asc', id: 'asc' }, limit: this.deps.batchSize ?? 100 },
    );
    // A PROCESSING payment with something capturable is being captured, not confirmed: its capture decides.
    return rows.filter((payment) => payment.status === 'REQUIRES_ACTION' || payment.amountCapturable === 0n);
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
    const result = await connector.query(payment);
    const decided = payment.status;
    if (isOutcome(result) && (result.kind !== 'requires_action' || decided === 'PROCESSING')) {
      return this.change(payment.id, decided, (tx, locked, now) => applyAuthorizationOutcome(tx, locked, result, now));
    }
    if (!isOutcome(result) && hasExpired(payment, this.deps.clock.now())) {
      // closed at the provider first, so that it can no longer be paid; refused when it was paid meanwhile
      if (result.kind !== 'closed') await connector.cancel(payment);
      return this.change(payment.id, decided, (tx, locked, now) => expirePayment(tx, locked, now));
    }
    if (result.kind === 'closed') {
      const declined = { kind: 'declined' as const, providerReference: result.providerReference, failureCode: 'PAYER_DECLINED', failureMessage: 'The provider closed the order before it was paid' };
      return this.change(payment.id, decided, (tx, locked, now) => applyAuthorizationOutcome(tx, locked, declined, now));
    }
    await this.deps.em.fork().nativeUpdate(Payment, { id: payment.id }, this.checked());
    return false;
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
      return applyRefundOutcome(tx, locked, current, outcome, clock.now());
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
  private async guard(work: () => Promise<boolean>, markChecked: () => Promise<unknown>): Promise<boolean> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ChannelError) await markChecked().catch(this.deps.onError);
      else this.deps.onError(error);
      return false;
    }
  }
}

function isOutcome(result: PaymentQueryResult): result is Extract<PaymentQueryResult, { kind: 'authorized' | 'captured' | 'requires_action' | 'declined' }> {
  return result.kind === 'authorized' || result.kind === 'captured' || result.kind === 'requires_action' || result.kind === 'declined';
}
