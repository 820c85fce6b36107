import { fail } from '../../../lib/errors.js';
import type { Principal } from '../../../lib/principal.js';

export function assertAdmin(principal: Principal): void {
  if (principal.role !== 'ADMIN') throw fail.forbidden('Only the ADMIN key may do this');
}

/** Reconciliation reports span every merchant: the ADMIN key and platform-wide ANALYST keys may read them. */
export function assertMayReadPlatform(principal: Principal): void {
  const platformAnalyst = principal.role === 'ANALYST' && principal.merchantId === null;
  if (principal.role !== 'ADMIN' && !platformAnalyst) throw fail.forbidden('Only the ADMIN key and platform-wide ANALYST keys may read reconciliation reports');
}
