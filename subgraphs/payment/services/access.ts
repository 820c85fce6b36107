import { fail } from '../../../lib/errors.js';
import { canSeeMerchant, type Principal } from '../../../lib/principal.js';

/** Mutations on payments: a merchant's own key, or an admin. ANALYST keys are read-only. */
export function assertMayWrite(principal: Principal): void {
  if (principal.role === 'ANALYST') throw fail.forbidden('ANALYST keys are read-only');
}

export function assertAdmin(principal: Principal): void {
  if (principal.role !== 'ADMIN') throw fail.forbidden('Only the ADMIN key may do this');
}

/** The merchant a MERCHANT key acts for; creating a payment needs one. */
export function actingMerchant(principal: Principal): string {
  assertMayWrite(principal);
  if (principal.role !== 'MERCHANT' || !principal.merchantId) {
    throw fail.forbidden('Payments are created with a MERCHANT key');
  }
  return principal.merchantId;
}

export { canSeeMerchant };

/** Idempotency keys are scoped to the caller: its merchant, else its key. */
export function idempotencyScope(principal: Principal, operation: string): string {
  return `${principal.merchantId ?? principal.keyId ?? 'admin'}:${operation}`;
}
