import type { AuthorizationOutcome, PaymentQueryResult, RefundOutcome } from '../channel.js';
import type { Transaction, WechatRefund } from './wire.js';

/** Our failure codes, as docs/channels.md lists them for WeChat Pay. */
export const failureMessages = {
  PAYER_DECLINED: 'The payer did not complete the WeChat Pay payment',
  PAYMENT_EXPIRED: 'The WeChat Pay order was closed before it was paid',
  PROVIDER_DECLINED: 'WeChat Pay refused the order',
  REFUND_REJECTED: 'WeChat Pay refused the refund',
} as const;

export function declined(failureCode: keyof typeof failureMessages, providerReference: string | null, detail?: string): AuthorizationOutcome {
  const message = failureMessages[failureCode];
  return { kind: 'declined', providerReference, failureCode, failureMessage: detail ? `${message}: ${detail}` : message };
}

/** A paid order's outcome (its schema guarantees a transaction_id): Native payments are captured when paid. */
export function transactionOutcome(transaction: Transaction): AuthorizationOutcome {
  return { kind: 'captured', providerReference: transaction.transaction_id ?? '' };
}

/** trade_state in our terms. */
export function queryResultOf(transaction: Transaction): PaymentQueryResult {
  const reference = transaction.transaction_id ?? null;
  switch (transaction.trade_state) {
    case 'SUCCESS':
    case 'REFUND':
      return transactionOutcome(transaction);
    case 'NOTPAY':
    case 'USERPAYING':
      return { kind: 'pending', providerReference: reference };
    case 'CLOSED':
    case 'REVOKED':
      return { kind: 'closed', providerReference: reference };
    case 'PAYERROR':
      return declined('PAYER_DECLINED', reference, transaction.trade_state_desc);
  }
}

/** A refund's status in our terms: ABNORMAL (the payer's account refused the money) ends it like CLOSED. */
export function refundOutcomeOf(status: WechatRefund['status'], refundId: string): RefundOutcome {
  switch (status) {
    case 'SUCCESS':
      return { status: 'SUCCEEDED', providerReference: refundId, failureCode: null };
    case 'PROCESSING':
      return { status: 'PENDING', providerReference: refundId, failureCode: null };
    case 'CLOSED':
    case 'ABNORMAL':
      return { status: 'FAILED', providerReference: refundId, failureCode: 'REFUND_REJECTED' };
  }
}
