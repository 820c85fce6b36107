export type AuthorizationStatus = 'requires_action' | 'authorized' | 'captured' | 'declined' | 'voided';

/** What the simulator keeps about one authorization; amounts are minor units. */
export interface AuthorizationRecord {
  id: string;
  reference: string;
  status: AuthorizationStatus;
  amount: bigint;
  currency: string;
  capture: boolean;
  capturedAmount: bigint;
  /** when it was captured: its day (UTC) is the settlement report that lists the capture */
  capturedAt: Date | null;
  refundedAmount: bigint;
  /** a test card whose issuer refuses refunds */
  refundsDeclined: boolean;
  declineCode: string | null;
  actionUrl: string | null;
  brand: string;
  last4: string;
  notifyUrl: string;
}

const allowedTransitions: Record<AuthorizationStatus, readonly AuthorizationStatus[]> = {
  requires_action: ['authorized', 'captured', 'declined', 'voided'],
  authorized: ['captured', 'voided'],
  captured: [],
  declined: [],
  voided: [],
};

export function canTransition(from: AuthorizationStatus, to: AuthorizationStatus): boolean {
  return allowedTransitions[from].includes(to);
}

/** The authorization as the protocol shows it: amounts as decimal strings of minor units. */
export function authorizationToWire(record: AuthorizationRecord) {
  return {
    id: record.id,
    reference: record.reference,
    status: record.status,
    amount: record.amount.toString(),
    currency: record.currency,
    captured_amount: record.capturedAmount.toString(),
    decline_code: record.declineCode,
    action_url: record.actionUrl,
    brand: record.brand,
    last4: record.last4,
  };
}
