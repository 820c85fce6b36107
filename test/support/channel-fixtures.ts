import { newId } from '../../lib/ids.js';
import { ChannelError } from '../../subgraphs/payment/channels/channel.js';
import type { Payment } from '../../subgraphs/payment/entities/Payment.js';
import type { Refund } from '../../subgraphs/payment/entities/Refund.js';

/** A payment as the payment service hands it to a connector (connector tests build their own, no database). */
export function connectorPayment(fields: Pick<Payment, 'channel' | 'currency' | 'amount'> & Partial<Payment>): Payment {
  const now = new Date();
  return {
    id: newId('pay'), merchantId: 'mer_test', amountCapturable: 0n, amountReceived: 0n, amountRefunded: 0n,
    captureMethod: 'AUTOMATIC', status: 'PROCESSING', nextAction: null, failureCode: null, failureMessage: null,
    description: 'Sandbox order', metadata: null, card: null, cancellationReason: null, providerReference: null, pendingOperation: null, pendingAmount: null, expiresAt: null, providerCheckedAt: null,
    createdAt: now, updatedAt: now, eventSequence: 0, version: 1, ...fields,
  };
}

/** A PENDING refund of `payment` as the refund service hands it to a connector. */
export function connectorRefund(payment: Payment, amount: bigint): Refund {
  const now = new Date();
  return {
    id: newId('re'), paymentId: payment.id, merchantId: payment.merchantId, currency: payment.currency, amount, status: 'PENDING', reason: null,
    failureCode: null, providerReference: null, providerCheckedAt: null, createdAt: now, updatedAt: now,
  };
}

/** The ChannelError a connector call fails with; any other outcome fails the test. */
export function channelRejection(promise: Promise<unknown>): Promise<ChannelError> {
  return promise.then(
    () => Promise.reject(new Error('expected a ChannelError')),
    (error: unknown) => (error instanceof ChannelError ? error : Promise.reject(error instanceof Error ? error : new Error(String(error)))),
  );
}
