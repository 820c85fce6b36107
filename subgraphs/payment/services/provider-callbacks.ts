import type { Clock } from '../../../lib/clock.js';
import type { Dialect, Em } from '../../../lib/database.js';
import type { Payment, PaymentChannel } from '../entities/Payment.js';
import { ProviderNotification } from '../entities/ProviderNotification.js';
import { Refund } from '../entities/Refund.js';
import type { AuthorizationOutcome, ProviderCallback } from '../channels/channel.js';
import { fail } from '../../../lib/errors.js';
import { completeRecoveryPoint } from './idempotency.js';
import { applyAuthorizationOutcome } from './payment-outcomes.js';
import { lockPaymentIfExists } from './payment-store.js';
import { applyRefundOutcome } from './refund-outcomes.js';

/** applied: it changed something; ignored: accepted, nothing to change (late, out of order, unknown); replayed: refused. */
export type CallbackResult = 'applied' | 'ignored' | 'replayed';

/**
 * Applies providers' callbacks, already verified by their connectors, under the payment's lock:
 * a redelivered, late or out-of-order callback changes nothing twice, and a notification already
 * accepted (same provider id) is a replay, refused without writing anything.
 */
export class ProviderCallbackService {
  constructor(private readonly deps: { em: Em; dialect: Dialect; clock: Clock }) {}

  async apply(channel: PaymentChannel, callback: ProviderCallback): Promise<CallbackResult> {
    const { em, dialect, clock } = this.deps;
    return em.fork().transactional(async (tx) => {
      const payment = await lockPaymentIfExists(tx, dialect, callback.paymentId);
      if (!payment || payment.channel !== channel) return 'ignored';
      const notificationId = callback.notificationId;
      if (notificationId && (await tx.findOne(ProviderNotification, { channel, notificationId }))) return 'replayed';
      const now = clock.now();
      let applied: boolean;
      if (callback.kind === 'payment') {
        const pendingCancel = payment.pendingOperation === 'CANCEL';
        applied = applyPaymentCallback(tx, payment, callback.outcome, now);
        // the payer paid (or declined) while a cancel was in flight: that cancel did not happen, and its key says so
        if (applied && pendingCancel) {
          const refusal = fail.invalidState(`The cancellation did not happen: the payment is ${payment.status}`, { status: payment.status });
          await completeRecoveryPoint(tx, { resourceId: payment.id, operation: 'CANCEL' }, { error: refusal });
        }
      } else {
        const refund = await tx.findOne(Refund, { id: callback.refundId, paymentId: payment.id });
        applied = refund ? applyRefundOutcome(tx, payment, refund, callback.outcome, now) : false;
        // the refund's request may still wait for this word (PENDING): its key gets the final refund
        if (applied && refund) {
          await tx.flush();
          await completeRecoveryPoint(tx, { resourceId: refund.id, operation: 'REFUND' }, { response: refund });
        }
      }
      if (notificationId) tx.create(ProviderNotification, { channel, notificationId, paymentId: payment.id, receivedAt: now });
      return applied ? 'applied' : 'ignored';
    });
  }
}

/** Only a payment waiting for its payer takes a callback's final outcome, and only about the provider's own order. */
function applyPaymentCallback(tx: Em, payment: Payment, outcome: AuthorizationOutcome, now: Date): boolean {
  if (payment.status !== 'REQUIRES_ACTION' || outcome.kind === 'requires_action') return false;
  if (payment.providerReference && outcome.providerReference && payment.providerReference !== outcome.providerReference) return false;
  applyAuthorizationOutcome(tx, payment, outcome, now);
  return true;
}
