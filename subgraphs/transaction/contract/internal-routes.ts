import { z } from 'zod';
import type { InternalStreamRoute } from '../../../lib/internal-route.js';

/**
 * The transaction subgraph's statement: the CSV of a merchant's records over [from, to), streamed to a
 * request signed with the caller's principal (which decides whose records it may read). The gateway
 * serves it as GET /statements/transactions.csv; from and to are checked by the subgraph (services/statements.ts).
 */
export const statementRoute = {
  service: 'transaction',
  path: '/internal/statements/transactions.csv',
  request: z.object({
    from: z.string().optional(),
    to: z.string().optional(),
    /** required with a platform-wide key; a merchant's key reads its own */
    merchantId: z.string().nullable().optional(),
  }),
} satisfies InternalStreamRoute;
