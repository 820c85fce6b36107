import type { AuthorizationRecord } from './authorization.js';
import type { SimulatorState } from './state.js';

/** Captures `amount` of an authorization, and keeps the capture among the acquirer's money effects. */
export function captureFunds(state: SimulatorState, record: AuthorizationRecord, amount: bigint): void {
  const at = new Date();
  record.status = 'captured';
  record.capturedAmount = amount;
  record.capturedAt = at;
  state.captures.push({ authorization: record.id, amount, at });
}

export function voidFunds(state: SimulatorState, record: AuthorizationRecord): void {
  record.status = 'voided';
  state.voids.push({ authorization: record.id, at: new Date() });
}
