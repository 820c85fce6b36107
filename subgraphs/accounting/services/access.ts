import { fail } from '../../../lib/errors.js';
import type { Principal } from '../../../lib/principal.js';

export function assertAdmin(principal: Principal): void {
  if (principal.role !== 'ADMIN') throw fail.forbidden('Only the ADMIN key may do this');
}
