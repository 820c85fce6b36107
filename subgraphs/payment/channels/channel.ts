import type { NextAction, Payment } from '../entities/Payment.js';
import type { Refund } from '../entities/Refund.js';
import type { ValidatedCard } from '../services/card-validation.js';

/** What a provider answered to a confirmation, or later in a callback. */
export type AuthorizationOutcome =
  | { kind: 'authorized'; providerReference: string }
  | { kind: 'captured'; providerReference: string }
  | { kind: 'requires_action'; providerReference: string; nextAction: NextAction }
  | { kind: 'declined'; providerReference: string | null; failureCode: string; failureMessage: string };

export interface RefundOutcome {
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  providerReference: string | null;
  failureCode: string | null;
}

export interface ProviderCallback {
  paymentId: string;
  outcome: AuthorizationOutcome;
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
  capture(payment: Payment, amount: bigint): Promise<void>;
  cancel(payment: Payment): Promise<void>;
  refund(payment: Payment, refund: Refund): Promise<RefundOutcome>;
  /** sandbox only: the simulator acts as the payer; its result arrives as a signed callback */
  sandboxPayerAction(payment: Payment, outcome: 'APPROVE' | 'DECLINE'): Promise<void>;
  /** verifies a provider's signed callback; null when it is not authentic */
  parseCallback(rawBody: Buffer, headers: Record<string, string | undefined>): ProviderCallback | null;
}

export type ChannelRegistry = Partial<Record<Payment['channel'], ChannelConnector>>;
