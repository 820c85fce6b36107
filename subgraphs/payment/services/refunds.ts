import type { Clock } from '../../../lib/clock.js';
import type { Dialect, Em } from '../../../lib/database.js';
import { fail } from '../../../lib/errors.js';
import { newId } from '../../../lib/ids.js';
import { add, formatAmount, greaterThan, isPositive, money, subtract } from '../../../lib/money.js';
import { parseMoneyInput } from '../../../lib/money-input.js';
import type { Principal } from '../../../lib/principal.js';
import { crashPoint } from '../../../lib/faults/crash-points.js';
import { Payment } from '../entities/Payment.js';
import { Refund } from '../entities/Refund.js';
import { ChannelError, type RefundOutcome } from '../channels/channel.js';
import { assertMayWrite, idempotencyScope } from './access.js';
import type { IdempotencyKeyUse, IdempotencyService } from './idempotency.js';
import { recordRefundEvent } from './payment-events.js';
import { applyRefundOutcome } from './refund-outcomes.js';
import { validateDescription } from './payment-input.js';
import { lockPayment } from './payment-store.js';
import type { MoneyInput, PaymentService } from './payments.js';
import { assertOperationAllowed } from './status-machine.js';

export interface RefundServiceDeps {
  em: Em;
  dialect: Dialect;
  clock: Clock;
  idempotency: IdempotencyService;
  payments: PaymentService;
}

/**
 * Refunds reserve their amount on the payment (amountRefunded counts PENDING and SUCCEEDED refunds)
 * under the payment's row lock before the provider is asked, so concurrent refunds can never
 * exceed what was captured; a refund the provider refuses releases its reservation.
 */
export class RefundService {
  constructor(private readonly deps: RefundServiceDeps) {}

  async refund(
    principal: Principal,
    input: { paymentId: string; amount?: MoneyInput | null; reason?: string | null; idempotencyKey: string },
  ): Promise<Refund> {
    assertMayWrite(principal);
    const requested = input.amount ? parseMoneyInput(input.amount, 'input.amount') : null;
    const reason = validateDescription(input.reason, 'input.reason');
    const { idempotency, em, dialect, clock } = this.deps;
    const fingerprint = idempotency.fingerprint('refundPayment', { ...input, idempotencyKey: undefined });
    return idempotency.run<Refund>(idempotencyScope(principal, 'refundPayment'), input.idempotencyKey, fingerprint, {
      start: async (key) => {
        const { payment, refund, connector } = await em.fork().transactional(async (tx) => {
          await key.claim(tx);
          const payment = await lockPayment(tx, dialect, principal, input.paymentId);
          if (requested && requested.currency !== payment.currency) {
            throw fail.badInput('input.amount.currency', `must be the payment's currency ${payment.currency}`);
          }
          const connector = this.deps.payments.connectorFor(payment.channel);
          assertOperationAllowed('refund', payment.status);
          const refunded = money(payment.amountRefunded, payment.currency);
          const remaining = subtract(money(payment.amountReceived, payment.currency), refunded);
          const amount = requested ?? remaining;
          if (greaterThan(amount, remaining) || !isPositive(amount)) {
            throw fail.amountTooLarge(`At most ${formatAmount(remaining)} ${payment.currency} remains refundable`);
          }
          const now = clock.now();
          const refund = tx.create(Refund, {
            id: newId('re', now.getTime()),
            paymentId: payment.id,
            merchantId: payment.merchantId,
            currency: payment.currency,
            amount: amount.minor,
            status: 'PENDING',
            reason,
            failureCode: null,
            providerReference: null,
            providerCheckedAt: null,
            createdAt: now,
            updatedAt: now,
          });
          payment.amountRefunded = add(refunded, amount).minor;
          payment.updatedAt = now;
          recordRefundEvent(tx, payment, refund, 'refund.created', now);
          await tx.flush();
          await key.commitIntent(tx, { resourceType: 'REFUND', resourceId: refund.id, operation: 'REFUND' });
          return { payment, refund, connector };
        });
        crashPoint('payment.refund.after-intent');
        return this.finish(key, refund.id, await askProvider(() => connector.refund(payment, refund)));
      },
      // the same refund id, so the same provider key (refund:<id>, out_request_no, out_refund_no): the provider pays once
      resume: async (point, key) => {
        const refund = await em.fork().findOne(Refund, { id: point.resourceId });
        const payment = refund ? await em.fork().findOne(Payment, { id: refund.paymentId }) : null;
        if (!refund || !payment) throw fail.notFound('Refund', point.resourceId);
        if (refund.status !== 'PENDING') return this.finish(key, refund.id, null);
        const connector = this.deps.payments.connectorFor(payment.channel);
        return this.finish(key, refund.id, await askProvider(() => connector.refund(payment, refund)));
      },
    });
  }

  /**
   * Phase (c): applies the provider's word once (a callback or recovery may have settled the refund already).
   * A settled refund completes the key; a PENDING one answers as it is and leaves the key in flight, so that a
   * retry, a callback or recovery completes it with the refund's final state.
   */
  private async finish(key: IdempotencyKeyUse<Refund>, refundId: string, outcome: RefundOutcome | null): Promise<Refund> {
    if (outcome) crashPoint('payment.refund.after-provider');
    const { em, dialect, clock } = this.deps;
    const refund = await em.fork().transactional(async (tx) => {
      const current = await tx.findOneOrFail(Refund, { id: refundId });
      const locked = await lockPayment(tx, dialect, null, current.paymentId);
      if (outcome) applyRefundOutcome(tx, locked, current, outcome, clock.now());
      await tx.flush();
      if (current.status !== 'PENDING') await key.complete(tx, current);
      crashPoint('payment.refund.before-outcome-commit');
      return current;
    });
    if (refund.status === 'PENDING') await key.release();
    return refund;
  }
}

/** A refused refund fails; an unanswered one stays PENDING, its amount reserved, until the provider is asked again. */
async function askProvider(call: () => Promise<RefundOutcome>): Promise<RefundOutcome> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof ChannelError)) throw error;
    if (error.code === 'PROVIDER_UNAVAILABLE') return { status: 'PENDING', providerReference: null, failureCode: null };
    return { status: 'FAILED', providerReference: null, failureCode: error.code };
  }
}
