import { fail } from '../../../lib/errors.js';
import type { Principal } from '../../../lib/principal.js';

/**
 * The merchant whose figures the principal is limited to, or null for every merchant: ADMIN and a
 * platform-wide ANALYST see all; a MERCHANT key and a merchant-bound ANALYST key only their own.
 */
export function merchantScope(principal: Principal): string | null {
  if (principal.role === 'ADMIN') return null;
  if (principal.merchantId !== null) return principal.merchantId;
  if (principal.role === 'ANALYST') return null;
  throw fail.forbidden('This API key belongs to no merchant');
}
