import type { CardSummary, NextAction, Payment } from '../entities/Payment.js';
import type { Money } from '../../../lib/money.js';
import type { Refund } from '../entities/Refund.js';

/** A card as a channel receives it to confirm a payment, checked: the number only in memory, never stored. */
export interface ValidatedCard {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
  summary: CardSummary;
}

/** What a provider answered to a confirmation, or later in a callback. */
export type AuthorizationOutcome =
  | { kind: 'authorized'; providerReference: string }
  | { kind: 'captured'; providerReference: string }
  // null: the provider names the payment only once it is paid (Alipay's precreate has no trade_no yet)
  | { kind: 'requires_action'; providerReference: string | null; nextAction: NextAction }
  | { kind: 'declined'; providerReference: string | null; failureCode: string; failureMessage: string };

export interface RefundOutcome {
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  providerReference: string | null;
  failureCode: string | null;
}

/** What a provider says of a payment when asked (lost callback, uncertain answer, expiry). */
export type PaymentQueryResult =
  | AuthorizationOutcome
  | { kind: 'pending'; providerReference: string | null }
  | { kind: 'closed'; providerReference: string | null }
  | { kind: 'not_found' };

/**
 * A verified callback: about a payment, or about one of its refunds. `notificationId` is the
 * provider's id of the notification where it has one (Alipay notify_id): one already accepted is a replay.
 */
export type ProviderCallback =
  | { kind: 'payment'; paymentId: string; outcome: AuthorizationOutcome; notificationId?: string }
  | { kind: 'refund'; paymentId: string; refundId: string; outcome: RefundOutcome; notificationId?: string };

/** The HTTP answer a provider expects to a callback (Alipay: text `success`/`fail`; WeChat v3: 200/204 or 4xx/5xx with JSON {code,message}). */
export interface CallbackAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** One row of a provider's daily statement, parsed into our terms. */
export interface StatementLine {
  kind: 'PAYMENT' | 'REFUND';
  /** the provider's trade number (Alipay trade_no, WeChat transaction_id, card authorization id) */
  providerReference: string;
  /** our payment id as the provider echoes it (out_trade_no / reference) */
  paymentId: string;
  /** our refund id (out_request_no / out_refund_no) for REFUND rows */
  refundId: string | null;
  amount: Money;
  /** the provider's status in our terms */
  status: 'SUCCEEDED' | 'FAILED' | 'PENDING' | 'CLOSED';
  occurredAt: Date;
}

/** Our failure codes for provider faults (declines are outcomes, not errors). */
export type ChannelErrorCode = 'PROVIDER_UNAVAILABLE' | 'PROVIDER_REJECTED' | 'PROVIDER_INVALID_STATE';

export class ChannelError extends Error {
  constructor(
    readonly code: ChannelErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ChannelError';
  }
}

/**
 * One payment channel behind one interface: adding a channel adds an implementation and touches
 * no other channel's code.
 */
export interface ChannelConnector {
  confirm(payment: Payment, card: ValidatedCard | null): Promise<AuthorizationOutcome>;
  query(payment: Payment): Promise<PaymentQueryResult>;
  capture(payment: Payment, amount: Money): Promise<void>;
  /** voids an authorization, or closes an unpaid order (Alipay trade.close, WeChat close) */
  cancel(payment: Payment): Promise<void>;
  /** may return PENDING (asynchronous providers, or an answer that did not arrive) */
  refund(payment: Payment, refund: Refund): Promise<RefundOutcome>;
  queryRefund(payment: Payment, refund: Refund): Promise<RefundOutcome>;
  /** the provider's statement of one day (YYYY-MM-DD, the provider's time zone), fetched, integrity-checked and parsed */
  fetchStatement(date: string): Promise<StatementLine[]>;
  /** sandbox only: the simulator acts as the payer; its result arrives as a signed callback */
  sandboxPayerAction(payment: Payment, outcome: 'APPROVE' | 'DECLINE'): Promise<void>;
  /** verifies a callback; null when it is not authentic (unsigned, forged, tampered, stale) */
  parseCallback(rawBody: Buffer, headers: Record<string, string | undefined>): Promise<ProviderCallback | null>;
  callbackAnswer(accepted: boolean): CallbackAnswer;
}

export type ChannelRegistry = Partial<Record<Payment['channel'], ChannelConnector>>;
